package version

import (
	"context"
	"errors"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of the query and the disco feature (XEP-0092 §2, §4).
const NS = "jabber:iq:version"

// ErrMalformed is returned by Parse for an element that is not a
// jabber:iq:version <query/>.
var ErrMalformed = errors.New("version: not a jabber:iq:version query")

// Info is the answer to a version request (XEP-0092 §2): the software's
// name and version (required) and, optionally, the operating system.
type Info struct {
	Name, Version, OS string
}

// Parse reads a {jabber:iq:version}query element (XEP-0092 §2).
func Parse(q *xmlstream.Element) (Info, error) {
	if q == nil || q.Name.Space != NS || q.Name.Local != "query" {
		return Info{}, ErrMalformed
	}
	return Info{Name: q.ChildText(NS, "name"), Version: q.ChildText(NS, "version"), OS: q.ChildText(NS, "os")}, nil
}

// Element returns the <query xmlns='jabber:iq:version'/> answer for i
// (XEP-0092 §2); empty fields are left out.
func (i Info) Element() *xmlstream.Element {
	q := xmlstream.New(NS, "query")
	for _, f := range [...][2]string{{"name", i.Name}, {"version", i.Version}, {"os", i.OS}} {
		if f[1] != "" {
			q.AddChild(NS, f[0]).AddText(f[1])
		}
	}
	return q
}

// IQ returns the version request to to (XEP-0092 §3). The id is left to the
// sender.
func IQ(to jid.JID) stanza.IQ {
	return stanza.NewIQ(stanza.IQGet, to, xmlstream.New(NS, "query"))
}

// IQSender sends an iq request and waits for its answer; an error answer
// comes back as a stanza.Error. *xmpp.Session implements it.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// Get asks to which software it runs (XEP-0092 §3). An entity that does
// not answer version requests gives a stanza.Error (service-unavailable).
func Get(ctx context.Context, s IQSender, to jid.JID) (Info, error) {
	reply, err := s.SendIQ(ctx, IQ(to))
	if err != nil {
		return Info{}, err
	}
	if p := reply.Payload(); p != nil {
		return Parse(p)
	}
	return Info{}, ErrMalformed
}

// Extension answers version requests with its Info.
type Extension struct{ info Info }

// New returns the responder answering with info. An empty Name is
// "Parley" and an empty Version "devel" (both are required, XEP-0092 §2);
// OS is sent only when set.
func New(info Info) *Extension {
	if info.Name == "" {
		info.Name = "Parley"
	}
	if info.Version == "" {
		info.Version = "devel"
	}
	return &Extension{info: info}
}

// Register implements xmpp.Extension.
func (e *Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NS)
	r.HandleIQ(stanza.IQGet, NS, func(ctx context.Context, in *xmpp.Incoming) error {
		in.Reply(ctx, e.info.Element())
		return xmpp.Handled
	})
	return nil
}
