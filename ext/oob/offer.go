package oob

import (
	"context"
	"errors"
	"sync/atomic"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// ErrAnswered is returned when an Offer is answered a second time.
var ErrAnswered = errors.New("oob: offer already answered")

// Offer is a received jabber:iq:oob offer (XEP-0066 §3.1) waiting for the
// application's answer. Answer each offer exactly once; the sender waits
// until then. Its methods are safe to call from any goroutine.
type Offer struct {
	From, To jid.JID
	Data     Data

	s        *xmpp.Session
	req      stanza.IQ // header only: answers need from, to and id
	answered atomic.Bool
}

// Accept tells the sender the data was retrieved: an empty result
// (XEP-0066 §3.1, AnyEvent's reply_success).
func (o *Offer) Accept(ctx context.Context) error {
	if !o.answered.CompareAndSwap(false, true) {
		return ErrAnswered
	}
	return o.s.Send(ctx, o.req.Result(nil))
}

// Reject tells the sender the offer was refused: not-acceptable (406,
// XEP-0066 §3.1).
func (o *Offer) Reject(ctx context.Context) error {
	return o.fail(ctx, stanza.Error{Type: stanza.Modify, Condition: stanza.NotAcceptable, Code: "406"})
}

// NotFound tells the sender the URL could not be retrieved: item-not-found
// (404, XEP-0066 §3.1).
func (o *Offer) NotFound(ctx context.Context) error {
	return o.fail(ctx, stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound, Code: "404"})
}

func (o *Offer) fail(ctx context.Context, e stanza.Error) error {
	if !o.answered.CompareAndSwap(false, true) {
		return ErrAnswered
	}
	return o.s.Send(ctx, o.req.ErrorReply(e))
}

// Config tunes the extension. A nil *Config means every default.
type Config struct {
	// OnOffer receives each jabber:iq:oob offer (AnyEvent's oob_recv). It
	// runs on the Session's handler goroutine and should return quickly;
	// answer the Offer then or later. Default nil: offers are not taken
	// (the Session answers service-unavailable) and jabber:iq:oob is not
	// advertised.
	OnOffer func(o *Offer)
}

// Extension handles out-of-band data offers and advertises XEP-0066
// support.
type Extension struct{ cfg Config }

// New returns the extension configured by cfg.
func New(cfg *Config) *Extension {
	e := &Extension{}
	if cfg != nil {
		e.cfg = *cfg
	}
	return e
}

// Register implements xmpp.Extension: it advertises jabber:x:oob (and
// jabber:iq:oob when offers are taken, XEP-0066 §4), registers Data as the
// payload type of both elements and takes offers.
func (e *Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NSX)
	r.Payload(xmlstream.Name{Space: NSX, Local: "x"}, func() any { return new(Data) })
	r.Payload(xmlstream.Name{Space: NSIQ, Local: "query"}, func() any { return new(Data) })
	if e.cfg.OnOffer == nil {
		return nil
	}
	r.Feature(NSIQ)
	s := r.Session()
	r.HandleIQ(stanza.IQSet, NSIQ, func(ctx context.Context, in *xmpp.Incoming) error {
		d, ok := Parse(in.IQ.Payload())
		if !ok {
			return stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest, Text: "no <url/>"}
		}
		req := stanza.IQ{To: in.IQ.To, From: in.IQ.From, ID: in.IQ.ID, Type: in.IQ.Type}
		e.cfg.OnOffer(&Offer{From: in.IQ.From, To: in.IQ.To, Data: d, s: s, req: req})
		return xmpp.Handled
	})
	return nil
}
