// Package chatstate implements XEP-0085 Chat State Notifications: whether
// a conversation partner is active, composing, paused, inactive or gone.
//
// Set adds a state to an outgoing message (a standalone notification is a
// message with no body, XEP-0085 §5.1); Of reads the state of a received
// one. New returns an xmpp.Extension that advertises the feature (§6.1),
// which XEP-0085 §5.1 asks for before states are sent, and passes received
// states to Config.OnState.
package chatstate
