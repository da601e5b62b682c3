package client

import (
	"context"
	"errors"
	"strings"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of resource binding (RFC 6120 §7) and of the RFC 3921 §3
// session establishment that RFC 6120 dropped.
const (
	NSBind    = "urn:ietf:params:xml:ns:xmpp-bind"
	NSSession = "urn:ietf:params:xml:ns:xmpp-session"
)

// bind binds a resource (RFC 6120 §7): the requested one, or one the server
// picks when resource is "". The server's answer is authoritative (§7.6.1:
// it may change the resource). A <conflict/> for a requested resource
// (§7.7.2.2, a server that does not replace the older session) is retried
// once with a server-generated resource, so that a second instance of a
// program still gets online; the bound JID says what happened. Other bind
// errors (not-allowed, bad-request, ...) are returned as stanza errors.
func (c *Connector) bind(ctx context.Context, w *wire, account jid.JID, resource string) (jid.JID, error) {
	if w.feature(NSBind, "bind") == nil {
		return jid.JID{}, w.fail(StepBind, ErrNoBind)
	}
	full, err := c.bindOnce(ctx, w, resource)
	if err != nil && resource != "" && errors.Is(err, stanza.Error{Condition: stanza.Conflict}) {
		c.log(w.t).Warn("client: requested resource in conflict, binding a server-assigned one", "resource", resource)
		full, err = c.bindOnce(ctx, w, "")
	}
	if err != nil {
		if errors.Is(err, stanza.Error{Condition: stanza.Conflict}) || errors.Is(err, stanza.Error{Condition: stanza.NotAllowed}) {
			err = xmpp.Permanent(err)
		}
		return jid.JID{}, w.fail(StepBind, err)
	}
	if full.Bare() != account.Bare() && account.Localpart() != "" {
		// RFC 6120 §7.6.1 lets the server change the resource, not the
		// account: a different bare JID is a server bug or an attack.
		return jid.JID{}, w.fail(StepBind, errors.Join(ErrProtocol, errors.New("bound JID "+full.String()+" is not of account "+account.Bare().String())))
	}
	if err := c.session(ctx, w); err != nil {
		return jid.JID{}, err
	}
	return full, nil
}

func (c *Connector) bindOnce(ctx context.Context, w *wire, resource string) (jid.JID, error) {
	b := xmlstream.New(NSBind, "bind")
	if resource != "" {
		b.AddChild(NSBind, "resource").AddText(resource)
	}
	res, err := w.iq(ctx, StepBind, "set", b)
	if err != nil {
		return jid.JID{}, err
	}
	var s string
	if rb := res.Child(NSBind, "bind"); rb != nil {
		// A copy: the JID outlives the reply, whose decoded strings share
		// one block with the whole element (xmlstream's freeze).
		s = strings.Clone(rb.ChildText(NSBind, "jid"))
	}
	full, err := jid.Parse(s)
	if err != nil || full.Resourcepart() == "" {
		return jid.JID{}, errors.Join(ErrProtocol, errors.New("bind result without a full JID: "+s))
	}
	return full, nil
}

// session establishes an RFC 3921 §3 session when the features ask for one:
// <session/> without <optional/> (draft-cridland-xmpp-session). Servers that
// mark it optional, or do not advertise it (jabberd2), get nothing.
func (c *Connector) session(ctx context.Context, w *wire) error {
	s := w.feature(NSSession, "session")
	if s == nil || s.Child(NSSession, "optional") != nil {
		return nil
	}
	_, err := w.iq(ctx, StepSession, "set", xmlstream.New(NSSession, "session"))
	return err
}
