package presence

import (
	"context"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Policy decides what happens to an incoming subscription request
// (RFC 6121 §3.1.3).
type Policy uint8

const (
	// Ask (the default) leaves the decision to the application: each
	// request is reported to Config.OnRequest and kept in Manager.Pending
	// until Approve or Deny answers it.
	Ask Policy = iota
	// AcceptAll approves every request and acknowledges every unsubscribe
	// (Net::XMPP's default callbacks).
	AcceptAll
	// RejectAll refuses every request (RFC 6121 §3.1.4).
	RejectAll
)

var policyNames = [...]string{"ask", "accept-all", "reject-all"}

// String returns "ask", "accept-all" or "reject-all".
func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return "invalid"
}

// Request is a subscription request waiting for the application's answer
// under the Ask policy (RFC 6121 §3.1.3).
type Request struct {
	// From is the bare JID asking for the user's presence.
	From jid.JID
	// Presence is the subscribe stanza, with any status text the contact
	// wrote (RFC 6121 §3.1.1).
	Presence stanza.Presence

	m *Manager
}

// Approve answers the request with subscribed (RFC 6121 §3.1.5).
func (r Request) Approve(ctx context.Context) error {
	if r.m == nil {
		return ErrNotAdded
	}
	return r.m.Approve(ctx, r.From)
}

// Deny answers the request with unsubscribed (RFC 6121 §3.1.4).
func (r Request) Deny(ctx context.Context) error {
	if r.m == nil {
		return ErrNotAdded
	}
	return r.m.Deny(ctx, r.From)
}
