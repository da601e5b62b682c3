package presence

import (
	"context"
	"errors"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// ErrNotSubscription is returned by SendSubscription for a presence type
// that is not one of the four subscription types.
var ErrNotSubscription = errors.New("presence: not a subscription type")

// ErrNoAddress is returned when a subscription presence has no recipient.
var ErrNoAddress = errors.New("presence: subscription without a recipient")

// SendSubscription sends a subscription presence of type typ (subscribe,
// subscribed, unsubscribe or unsubscribed) to the bare JID of to (RFC 6121
// §3): Net::XMPP's Subscription(type=>..., to=>...).
func SendSubscription(ctx context.Context, s Sender, typ stanza.PresenceType, to jid.JID) error {
	switch typ {
	case stanza.PresenceSubscribe, stanza.PresenceSubscribed,
		stanza.PresenceUnsubscribe, stanza.PresenceUnsubscribed:
	default:
		return ErrNotSubscription
	}
	if to.IsZero() {
		return ErrNoAddress
	}
	// RFC 6121 §3.1.1, §3.1.5, §3.2.1, §3.3.1: subscription presence is
	// addressed to the bare JID.
	return s.Send(ctx, stanza.NewPresence(typ, to.Bare()))
}

// Subscribe asks to receive to's presence (RFC 6121 §3.1.1).
func Subscribe(ctx context.Context, s Sender, to jid.JID) error {
	return SendSubscription(ctx, s, stanza.PresenceSubscribe, to)
}

// Unsubscribe stops receiving to's presence (RFC 6121 §3.3.1).
func Unsubscribe(ctx context.Context, s Sender, to jid.JID) error {
	return SendSubscription(ctx, s, stanza.PresenceUnsubscribe, to)
}

// Approve lets to receive the user's presence: the answer to its request
// (RFC 6121 §3.1.5), or a pre-approval when it has not asked yet (§3.4).
func Approve(ctx context.Context, s Sender, to jid.JID) error {
	return SendSubscription(ctx, s, stanza.PresenceSubscribed, to)
}

// Deny refuses to's request (RFC 6121 §3.1.4), cancels its existing
// subscription to the user's presence (§3.2.1) or a pre-approval (§3.4).
func Deny(ctx context.Context, s Sender, to jid.JID) error {
	return SendSubscription(ctx, s, stanza.PresenceUnsubscribed, to)
}
