package time

import (
	"context"
	"errors"
	"strconv"
	stdtime "time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of the <time/> element and the disco feature
// (XEP-0202 §3, §4).
const NS = "urn:xmpp:time"

// ErrMalformed is returned (wrapped) by Parse for an element that is not a
// valid urn:xmpp:time <time/>.
var ErrMalformed = errors.New("time: malformed entity time")

// Parse reads a {urn:xmpp:time}time element (XEP-0202 §3): the instant of
// <utc/> in a fixed zone whose offset is <tzo/>.
func Parse(e *xmlstream.Element) (stdtime.Time, error) {
	if e == nil || e.Name.Space != NS || e.Name.Local != "time" {
		return stdtime.Time{}, ErrMalformed
	}
	off, err := parseTZO(e.ChildText(NS, "tzo"))
	if err != nil {
		return stdtime.Time{}, err
	}
	utc, err := stdtime.Parse(stdtime.RFC3339Nano, e.ChildText(NS, "utc"))
	if err != nil || utc.Location() != stdtime.UTC {
		return stdtime.Time{}, errors.Join(ErrMalformed, errors.New("time: <utc/> is not a UTC dateTime (XEP-0082)"))
	}
	return utc.In(stdtime.FixedZone(formatTZO(off), off)), nil
}

// Element returns the <time xmlns='urn:xmpp:time'/> element for t: its
// offset from UTC in <tzo/> and the instant in UTC in <utc/> (XEP-0202 §3).
func Element(t stdtime.Time) *xmlstream.Element {
	_, off := t.Zone()
	e := xmlstream.New(NS, "time")
	e.AddChild(NS, "tzo").AddText(formatTZO(off))
	e.AddChild(NS, "utc").AddText(t.UTC().Format(stdtime.RFC3339Nano))
	return e
}

// parseTZO reads a XEP-0082 time zone: "Z" or ±hh:mm; it returns seconds
// east of UTC.
func parseTZO(s string) (int, error) {
	if s == "Z" {
		return 0, nil
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, errors.Join(ErrMalformed, errors.New("time: <tzo/> "+strconv.Quote(s)+" is not ±hh:mm"))
	}
	for _, i := range [...]int{1, 2, 4, 5} {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.Join(ErrMalformed, errors.New("time: <tzo/> "+strconv.Quote(s)+" is not ±hh:mm"))
		}
	}
	h, m := int(s[1]-'0')*10+int(s[2]-'0'), int(s[4]-'0')*10+int(s[5]-'0')
	if h > 23 || m > 59 {
		return 0, errors.Join(ErrMalformed, errors.New("time: <tzo/> "+strconv.Quote(s)+" out of range"))
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, nil
}

// formatTZO writes seconds east of UTC as ±hh:mm ("Z" for zero, as
// XEP-0202 §3's examples do).
func formatTZO(off int) string {
	if off == 0 {
		return "Z"
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	h, m := off/3600, off%3600/60
	return string([]byte{sign, byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)})
}

// IQ returns the time request to to (XEP-0202 §3). The id is left to the
// sender.
func IQ(to jid.JID) stanza.IQ {
	return stanza.NewIQ(stanza.IQGet, to, xmlstream.New(NS, "time"))
}

// IQSender sends an iq request and waits for its answer; an error answer
// comes back as a stanza.Error. *xmpp.Session implements it.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// Get asks to for its current time (XEP-0202 §3) and returns it in a
// fixed zone with the entity's offset.
func Get(ctx context.Context, s IQSender, to jid.JID) (stdtime.Time, error) {
	reply, err := s.SendIQ(ctx, IQ(to))
	if err != nil {
		return stdtime.Time{}, err
	}
	return Parse(reply.Payload())
}

// Config tunes the responder. A nil *Config means every default.
type Config struct {
	// Now returns the time to answer with, in the zone to report. Default
	// time.Now (the local zone).
	Now func() stdtime.Time
}

// Extension answers entity time requests.
type Extension struct{ now func() stdtime.Time }

// New returns the responder configured by cfg.
func New(cfg *Config) *Extension {
	e := &Extension{now: stdtime.Now}
	if cfg != nil && cfg.Now != nil {
		e.now = cfg.Now
	}
	return e
}

// Register implements xmpp.Extension.
func (e *Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NS)
	r.HandleIQ(stanza.IQGet, NS, func(ctx context.Context, in *xmpp.Incoming) error {
		in.Reply(ctx, Element(e.now()))
		return xmpp.Handled
	})
	return nil
}
