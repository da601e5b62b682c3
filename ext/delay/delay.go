package delay

import (
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of XEP-0203 and of its obsolete predecessor XEP-0091.
const (
	NS       = "urn:xmpp:delay"
	NSLegacy = "jabber:x:delay"
)

// legacyLayout is XEP-0091's stamp: CCYYMMDDThh:mm:ss, always UTC.
const legacyLayout = "20060102T15:04:05"

// Delay is a delayed-delivery annotation (XEP-0203 §4): when the stanza was
// originally sent (in UTC), the entity that delayed it (optional) and a
// human-readable reason (optional).
type Delay struct {
	Stamp  time.Time
	From   jid.JID
	Reason string
	Legacy bool // read from a XEP-0091 jabber:x:delay element
}

// Parse returns the Delay of e, which is a <delay/> (or legacy <x/>)
// element or a stanza carrying one, and whether there is a valid one. The
// stamp is required (XEP-0203 §4) and is a XEP-0082 DateTime; an offset
// other than Z is accepted and converted to UTC. A malformed from is
// ignored. A stanza with both forms gives the XEP-0203 one.
func Parse(e *xmlstream.Element) (Delay, bool) {
	if e == nil {
		return Delay{}, false
	}
	if d, ok := parseOne(e); ok {
		return d, true
	}
	var legacy *xmlstream.Element
	for c := range e.Children() {
		if c.Name.Space == NS && c.Name.Local == "delay" {
			return parseOne(c)
		}
		if legacy == nil && c.Name.Space == NSLegacy && c.Name.Local == "x" {
			legacy = c
		}
	}
	if legacy != nil {
		return parseOne(legacy)
	}
	return Delay{}, false
}

func parseOne(e *xmlstream.Element) (Delay, bool) {
	var d Delay
	switch {
	case e.Name.Space == NS && e.Name.Local == "delay":
		t, err := time.Parse(time.RFC3339Nano, e.Get("stamp"))
		if err != nil {
			return Delay{}, false
		}
		d.Stamp = t.UTC()
	case e.Name.Space == NSLegacy && e.Name.Local == "x":
		t, err := time.Parse(legacyLayout, e.Get("stamp"))
		if err != nil {
			return Delay{}, false
		}
		d.Stamp, d.Legacy = t, true
	default:
		return Delay{}, false
	}
	if f, err := jid.Parse(e.Get("from")); err == nil {
		d.From = f
	}
	d.Reason = e.Text()
	return d, true
}

// Of returns the Delay of a message (see Parse).
func Of(m stanza.Message) (Delay, bool) { return Parse(m.El) }

// Element returns the XEP-0203 <delay/> element for d, the stamp in UTC.
func (d Delay) Element() *xmlstream.Element {
	e := xmlstream.New(NS, "delay")
	if !d.From.IsZero() {
		e.SetAttr("from", d.From.String())
	}
	e.SetAttr("stamp", d.Stamp.UTC().Format(time.RFC3339Nano))
	e.AddText(d.Reason)
	return e
}

// Add puts d on m (XEP-0203 §4).
func Add(m *stanza.Message, d Delay) { m.AddPayload(d.Element()) }
