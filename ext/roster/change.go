package roster

import (
	"slices"
	"strings"

	"parley.dev/xmpp/jid"
)

// ChangeKind says what happened to a roster item.
type ChangeKind uint8

const (
	Added   ChangeKind = iota + 1 // a new item
	Updated                       // an item's name, groups, subscription or ask changed
	Removed                       // the item is gone
)

var changeNames = [...]string{"", "added", "updated", "removed"}

// String returns "added", "updated" or "removed".
func (k ChangeKind) String() string {
	if int(k) < len(changeNames) && k != 0 {
		return changeNames[k]
	}
	return "invalid"
}

// Change is one change to the roster database, reported to Config.OnChange.
type Change struct {
	Kind ChangeKind
	// Item is the item after the change; for Removed, the item as it was.
	Item Item
	// Old is the item before an Updated change; zero otherwise.
	Old Item
	// Ver is the roster version after the change (RFC 6121 §2.6).
	Ver string
}

// setLocked puts it in the database (or removes it for SubRemove) and
// returns the change, if any. r.mu is held for writing.
func (r *Roster) setLocked(it Item) (Change, bool) {
	old, had := r.items[it.JID]
	switch {
	case it.Subscription == SubRemove:
		if !had {
			return Change{}, false
		}
		delete(r.items, it.JID)
		return Change{Kind: Removed, Item: old}, true
	case !had:
		r.items[it.JID] = it.clone()
		return Change{Kind: Added, Item: it.clone()}, true
	case old.Equal(it):
		return Change{}, false
	default:
		r.items[it.JID] = it.clone()
		return Change{Kind: Updated, Item: it.clone(), Old: old}, true
	}
}

// replaceLocked makes items the whole database and returns the changes.
// r.mu is held for writing.
func (r *Roster) replaceLocked(items []Item) []Change {
	var out []Change
	seen := make(map[jid.JID]bool, len(items))
	for _, it := range items {
		seen[it.JID] = true
		if c, ok := r.setLocked(it); ok {
			out = append(out, c)
		}
	}
	var gone []jid.JID
	for j := range r.items {
		if !seen[j] {
			gone = append(gone, j)
		}
	}
	slices.SortFunc(gone, compareJID)
	for _, j := range gone {
		out = append(out, Change{Kind: Removed, Item: r.items[j]})
		delete(r.items, j)
	}
	return out
}

// emit reports changes to OnChange, stamped with ver. r.emu is held.
func (r *Roster) emit(ver string, changes []Change) {
	if r.onChange == nil {
		return
	}
	for _, c := range changes {
		c.Ver = ver
		r.onChange(c)
	}
}

// compareJID orders JIDs by their string form.
func compareJID(a, b jid.JID) int { return strings.Compare(a.String(), b.String()) }
