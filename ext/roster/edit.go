package roster

import (
	"context"
	"errors"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// ErrNoJID is returned by Set and Remove for an item without an address.
var ErrNoJID = errors.New("roster: item without a jid")

// Set adds an item to the roster or updates it (RFC 6121 §2.3, §2.4): its
// name and groups are sent; the subscription state and ask are the
// server's to manage and are not. The database changes when the server's
// push arrives (§2.3.2), not when Set returns.
func (r *Roster) Set(ctx context.Context, it Item) error {
	if it.JID.IsZero() {
		return ErrNoJID
	}
	it.Subscription = ""
	return r.send(ctx, it)
}

// Remove deletes the contact j from the roster (RFC 6121 §2.5), which also
// cancels subscriptions both ways (§2.5.2). The database changes when the
// server's push arrives.
func (r *Roster) Remove(ctx context.Context, j jid.JID) error {
	if j.IsZero() {
		return ErrNoJID
	}
	return r.send(ctx, Item{JID: j, Subscription: SubRemove})
}

func (r *Roster) send(ctx context.Context, it Item) error {
	s, err := r.session()
	if err != nil {
		return err
	}
	q := Query{}.Element().AppendChild(it.setElement())
	_, err = s.SendIQ(ctx, stanza.NewIQ(stanza.IQSet, jid.JID{}, q))
	return err
}
