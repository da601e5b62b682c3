package roster

import (
	"iter"
	"slices"

	"parley.dev/xmpp/jid"
)

// The database queries mirror Net::XMPP's RosterDB. They read the local
// copy only; every JID list is sorted by the JIDs' string form. An address
// with a resource finds the item of its bare JID when there is no item for
// the full address.

// lookupLocked finds the item for j. r.mu is held.
func (r *Roster) lookupLocked(j jid.JID) (Item, bool) {
	if it, ok := r.items[j]; ok {
		return it, true
	}
	if !j.IsBare() {
		it, ok := r.items[j.Bare()]
		return it, ok
	}
	return Item{}, false
}

// Exists reports whether j is in the roster (RosterDBExists).
func (r *Roster) Exists(j jid.JID) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.lookupLocked(j)
	return ok
}

// Item returns the item for j and whether there is one (RosterDBQuery).
// The item is a copy.
func (r *Roster) Item(j jid.JID) (Item, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	it, ok := r.lookupLocked(j)
	return it.clone(), ok
}

// Key names one field of an item, for Query.
type Key uint8

// Keys of Query (RosterDBQuery's name, subscription, ask and groups).
const (
	KeyName Key = iota + 1
	KeySubscription
	KeyAsk
	KeyGroups
)

// Query returns one field of j's item (RosterDBQuery(jid, key)): a string
// for KeyName and KeyAsk, a Subscription for KeySubscription, a []string
// (a copy) for KeyGroups. It returns nil, false when j is not in the
// roster or key is unknown.
func (r *Roster) Query(j jid.JID, key Key) (any, bool) {
	it, ok := r.Item(j)
	if !ok {
		return nil, false
	}
	switch key {
	case KeyName:
		return it.Name, true
	case KeySubscription:
		return it.Subscription, true
	case KeyAsk:
		return it.Ask, true
	case KeyGroups:
		return it.Groups, true
	}
	return nil, false
}

// Len returns the number of items.
func (r *Roster) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.items)
}

// JIDs returns the addresses of every item (RosterDBJIDs).
func (r *Roster) JIDs() []jid.JID {
	return r.jids(func(Item) bool { return true })
}

// GroupJIDs returns the addresses of the items filed under group g
// (RosterDBGroupJIDs).
func (r *Roster) GroupJIDs(g string) []jid.JID {
	return r.jids(func(it Item) bool { return it.InGroup(g) })
}

// NonGroupJIDs returns the addresses of the items in no group
// (RosterDBNonGroupJIDs).
func (r *Roster) NonGroupJIDs() []jid.JID {
	return r.jids(func(it Item) bool { return len(it.Groups) == 0 })
}

func (r *Roster) jids(keep func(Item) bool) []jid.JID {
	r.mu.RLock()
	out := make([]jid.JID, 0, len(r.items))
	for j, it := range r.items {
		if keep(it) {
			out = append(out, j)
		}
	}
	r.mu.RUnlock()
	slices.SortFunc(out, compareJID)
	return out
}

// Groups returns the names of every group in use, sorted (RosterDBGroups).
func (r *Roster) Groups() []string {
	r.mu.RLock()
	var out []string
	for _, it := range r.items {
		out = append(out, it.Groups...)
	}
	r.mu.RUnlock()
	slices.Sort(out)
	return slices.Compact(out)
}

// GroupExists reports whether some item is filed under g
// (RosterDBGroupExists).
func (r *Roster) GroupExists(g string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, it := range r.items {
		if it.InGroup(g) {
			return true
		}
	}
	return false
}

// Items returns copies of every item, sorted by JID.
func (r *Roster) Items() []Item {
	r.mu.RLock()
	out := make([]Item, 0, len(r.items))
	for _, it := range r.items {
		out = append(out, it.clone())
	}
	r.mu.RUnlock()
	slices.SortFunc(out, func(a, b Item) int { return compareJID(a.JID, b.JID) })
	return out
}

// All iterates over copies of the items, sorted by JID:
//
//	for it := range r.All() { ... }
//
// It iterates over a snapshot taken when the loop starts, so the loop body
// may call the Roster's methods.
func (r *Roster) All() iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for _, it := range r.Items() {
			if !yield(it) {
				return
			}
		}
	}
}
