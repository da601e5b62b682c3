package presence

import (
	"context"
	"maps"
	"slices"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NSSigned is the namespace of a presence signature (XEP-0027 §3), which
// Net::XMPP's PresenceSend carries as its signature argument.
const NSSigned = "jabber:x:signed"

// Sender is the one method of *xmpp.Session the send helpers need.
type Sender interface {
	Send(ctx context.Context, st xmpp.Stanza) error
}

// Options describes a presence to send (Net::XMPP's PresenceSend). The zero
// value (or nil) is a plain available broadcast.
type Options struct {
	// To makes the presence directed (RFC 6121 §4.6) instead of a
	// broadcast to the subscribers (§4.2, §4.4).
	To jid.JID
	// Show is the availability sub-state (§4.7.2.1); only for available
	// presence.
	Show stanza.Show
	// Status holds the human-readable status by xml:lang (§4.7.2.2); the
	// key "" is a status without xml:lang. They are written sorted by
	// language, so the output is deterministic.
	Status map[string]string
	// Priority is the resource's priority, -128 to 127 (§4.7.2.3); only
	// for available presence. It is written only when not zero.
	Priority int8
	// Signature, when set, is carried as <x xmlns='jabber:x:signed'/>
	// (XEP-0027 §3): the ASCII-armoured OpenPGP signature of the status.
	Signature string
	// Payloads are further extension elements (entity capabilities, ...).
	Payloads []*xmlstream.Element
}

// Available builds an available presence from o (RFC 6121 §4.2, §4.4, §4.6).
func Available(o *Options) stanza.Presence {
	return build(stanza.PresenceAvailable, o)
}

// Unavailable builds an unavailable presence from o (RFC 6121 §4.5): its
// To, Status, Signature and Payloads; Show and Priority do not apply to
// unavailable presence and are left out.
func Unavailable(o *Options) stanza.Presence {
	return build(stanza.PresenceUnavailable, o)
}

func build(typ stanza.PresenceType, o *Options) stanza.Presence {
	if o == nil {
		o = &Options{}
	}
	p := stanza.NewPresence(typ, o.To)
	if typ == stanza.PresenceAvailable {
		if o.Show != stanza.ShowOnline {
			p.SetShow(o.Show)
		}
		if o.Priority != 0 {
			p.SetPriority(o.Priority)
		}
	}
	for _, lang := range slices.Sorted(maps.Keys(o.Status)) {
		p.SetStatus(lang, o.Status[lang])
	}
	if o.Signature != "" {
		p.AddPayload(xmlstream.New(NSSigned, "x").AddText(o.Signature))
	}
	if len(o.Payloads) > 0 {
		p.AddPayload(o.Payloads...)
	}
	return p
}

// SendAvailable sends Available(o) (Net::XMPP's PresenceSend).
func SendAvailable(ctx context.Context, s Sender, o *Options) error {
	return s.Send(ctx, Available(o))
}

// SendUnavailable sends Unavailable(o) (Net::XMPP's
// PresenceSend(type=>"unavailable")).
func SendUnavailable(ctx context.Context, s Sender, o *Options) error {
	return s.Send(ctx, Unavailable(o))
}

// Signature returns the jabber:x:signed signature a presence carries
// (XEP-0027 §3) and whether it has one.
func Signature(p stanza.Presence) (string, bool) {
	if p.El == nil {
		return "", false
	}
	x := p.El.Child(NSSigned, "x")
	if x == nil {
		return "", false
	}
	return x.Text(), true
}
