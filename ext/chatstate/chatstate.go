package chatstate

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of the state elements and the disco feature
// (XEP-0085 §5, §6.1).
const NS = "http://jabber.org/protocol/chatstates"

// State is a chat state (XEP-0085 §2): the local name of its element.
type State string

// The five chat states of XEP-0085 §2.
const (
	Active    State = "active"    // paying attention
	Composing State = "composing" // typing
	Paused    State = "paused"    // stopped typing for a while
	Inactive  State = "inactive"  // not paying attention
	Gone      State = "gone"      // left the conversation
)

// Valid reports whether s is one of the five states.
func (s State) Valid() bool {
	switch s {
	case Active, Composing, Paused, Inactive, Gone:
		return true
	}
	return false
}

// Element returns the <state xmlns='http://jabber.org/protocol/chatstates'/>
// element for s.
func (s State) Element() *xmlstream.Element { return xmlstream.New(NS, string(s)) }

// Of returns the chat state m carries and whether it carries a valid one
// (XEP-0085 §5.5: a message has at most one; the first counts).
func Of(m stanza.Message) (State, bool) {
	for p := range m.Payloads() {
		if p.Name.Space == NS {
			s := State(p.Name.Local)
			return s, s.Valid()
		}
	}
	return "", false
}

// Set puts state s on m, replacing any state it had (XEP-0085 §5.5).
func Set(m *stanza.Message, s State) {
	if m.El != nil {
		m.El.RemoveChildren(func(e *xmlstream.Element) bool { return e.Name.Space == NS })
	}
	m.AddPayload(s.Element())
}

// Notification returns a standalone notification of state s to to: a
// message of type chat with no body (XEP-0085 §5.1).
func Notification(to jid.JID, s State) stanza.Message {
	m := stanza.NewMessage(stanza.MessageChat, to)
	Set(&m, s)
	return m
}

// Config tunes the extension. A nil *Config means every default.
type Config struct {
	// OnState receives the state of every message that carries one, with
	// the message. It runs on the Session's handler goroutine. Default nil.
	OnState func(ctx context.Context, from jid.JID, s State, m stanza.Message)
}

// Extension advertises chat state support and reports received states.
type Extension struct{ cfg Config }

// New returns the extension configured by cfg.
func New(cfg *Config) *Extension {
	e := &Extension{}
	if cfg != nil {
		e.cfg = *cfg
	}
	return e
}

// Register implements xmpp.Extension.
func (e *Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NS)
	if e.cfg.OnState != nil {
		r.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
			if s, ok := Of(*in.Message); ok && in.Message.Type != stanza.MessageError {
				e.cfg.OnState(ctx, in.Message.From, s, *in.Message)
			}
			return nil
		})
	}
	return nil
}
