package presence

import (
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// ChangeKind says what a presence did to the database.
type ChangeKind uint8

const (
	Online  ChangeKind = iota + 1 // available presence: a resource is online or changed its presence
	Offline                       // unavailable presence: a resource (or, from a bare JID, every one) went away
	Failed                        // error presence: the entity is unreachable and was removed
)

var kindNames = [...]string{"", "online", "offline", "failed"}

// String returns "online", "offline" or "failed".
func (k ChangeKind) String() string {
	if k != 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Change is one change to the presence database, reported to
// Config.OnChange.
type Change struct {
	Kind ChangeKind
	// JID is the sender of the presence: a full JID, or a bare JID for
	// presence about every resource.
	JID jid.JID
	// Presence is the presence that made the change.
	Presence stanza.Presence
}

// SubscriptionEvent is a subscription presence received (RFC 6121 §3),
// reported to Config.OnSubscription after the Policy acted on it.
type SubscriptionEvent struct {
	// Type is subscribe, subscribed, unsubscribe or unsubscribed.
	Type stanza.PresenceType
	// From is the sender's bare JID.
	From jid.JID
	// Presence is the stanza as received.
	Presence stanza.Presence
	// Answer is what the Policy sent back: subscribed or unsubscribed for
	// a request under AcceptAll or RejectAll, "" when nothing was sent
	// (Ask, or a type that needs no answer).
	Answer stanza.PresenceType
}
