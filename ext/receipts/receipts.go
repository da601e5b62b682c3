package receipts

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of <request/> and <received/> and the disco feature
// (XEP-0184 §5, §6).
const NS = "urn:xmpp:receipts"

// Request asks the recipient of m for a receipt (XEP-0184 §5.1). A message
// without an id gets a fresh one, since the receipt names it; the id is
// returned.
func Request(m *stanza.Message) string {
	if m.ID == "" {
		m.ID = xmpp.NewID()
	}
	if !Requested(*m) {
		m.AddPayload(xmlstream.New(NS, "request"))
	}
	return m.ID
}

// Requested reports whether m asks for a receipt (XEP-0184 §5.1).
func Requested(m stanza.Message) bool {
	for p := range m.Payloads() {
		if p.Name.Space == NS && p.Name.Local == "request" {
			return true
		}
	}
	return false
}

// Received returns the id of the message m acknowledges and whether m is
// a receipt (XEP-0184 §5.1). A receipt without an id attribute (older
// versions of the XEP) acknowledges the message whose id m itself carries.
func Received(m stanza.Message) (id string, ok bool) {
	for p := range m.Payloads() {
		if p.Name.Space == NS && p.Name.Local == "received" {
			if id = p.Get("id"); id == "" {
				id = m.ID
			}
			return id, id != ""
		}
	}
	return "", false
}

// Receipt returns the receipt for the message with id id from to
// (XEP-0184 §5.1): a message with a fresh id of its own carrying
// <received id='…'/>.
func Receipt(to jid.JID, id string) stanza.Message {
	m := stanza.NewMessage("", to)
	m.ID = xmpp.NewID()
	m.AddPayload(xmlstream.New(NS, "received").SetAttr("id", id))
	return m
}

// Config tunes the extension. A nil *Config means every default.
type Config struct {
	// AutoAnswer acknowledges every message that requests a receipt, has
	// an id and a sender, and is neither an error nor a groupchat message
	// (XEP-0184 §5.4, §5.5). Default false.
	AutoAnswer bool
	// OnReceived receives each receipt: its sender and the id of the
	// acknowledged message. It runs on the Session's handler goroutine.
	// Default nil.
	OnReceived func(ctx context.Context, from jid.JID, id string)
}

// Extension advertises receipt support, reports receipts and optionally
// answers requests.
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
	s := r.Session()
	r.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		m := *in.Message
		if m.Type == stanza.MessageError {
			return nil
		}
		if id, ok := Received(m); ok && e.cfg.OnReceived != nil {
			e.cfg.OnReceived(ctx, m.From, id)
		}
		if e.cfg.AutoAnswer && Requested(m) && m.ID != "" && !m.From.IsZero() && m.Type != stanza.MessageGroupchat {
			return s.Send(ctx, Receipt(m.From, m.ID))
		}
		return nil
	})
	return nil
}
