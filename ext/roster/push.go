package roster

import (
	"context"
	"fmt"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/stanza"
)

// handlePush accepts a roster push (RFC 6121 §2.1.6): only from the account
// itself (no from, or the account's bare JID) and with exactly one item.
// Anything else changes nothing and is answered with an error:
// service-unavailable for a push from anyone else (a spoofing attempt, which
// RFC 6121 §2.1.6 says to ignore; the error reveals no more than an
// unhandled request would), bad-request for a malformed one.
func (r *Roster) handlePush(ctx context.Context, in *xmpp.Incoming) error {
	from := in.IQ.From
	if !from.IsZero() && from != in.Session.JID().Bare() {
		r.log.Warn("roster: ignoring a push from another entity", "from", from.String())
		return stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
	}
	q, err := ParseQuery(in.IQ.Payload())
	if err != nil {
		r.log.Warn("roster: refusing a malformed push", "err", err)
		return stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest}
	}
	if len(q.Items) != 1 {
		r.log.Warn("roster: refusing a push without exactly one item", "items", len(q.Items))
		return stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest, Text: "a roster push carries exactly one item"}
	}
	if err := r.apply(ctx, q); err != nil {
		r.log.Warn("roster: push applied but not stored", "err", err)
	}
	return in.Reply(ctx, nil)
}

// apply records a pushed item and the version it brings.
func (r *Roster) apply(ctx context.Context, q Query) error {
	it := q.Items[0]
	r.emu.Lock()
	defer r.emu.Unlock()
	r.mu.Lock()
	if q.HasVer {
		r.ver = q.Ver
	}
	ver := r.ver
	c, changed := r.setLocked(it)
	r.mu.Unlock()
	err := r.store.Apply(ctx, ver, it)
	if changed {
		r.emit(ver, []Change{c})
	}
	if err != nil {
		return fmt.Errorf("roster: saving to the store: %w", err)
	}
	return nil
}
