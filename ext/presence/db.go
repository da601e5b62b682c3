package presence

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"sync"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// DB is a presence database (Net::XMPP's PresenceDB): for each bare JID,
// the latest presence of each of its resources. The zero value is an empty
// database; a DB is safe for concurrent use.
//
// Resources are ordered by priority, highest first (RFC 6121 §4.7.2.3);
// among equal priorities the most recent presence comes first. A presence
// from a bare JID is kept under the empty resource.
type DB struct {
	mu      sync.RWMutex // guards seq and entries
	seq     uint64
	entries map[jid.JID]map[string]entry // bare JID → resource → latest
}

type entry struct {
	p   stanza.Presence
	seq uint64 // when it arrived, for ties
}

// NewDB returns an empty DB.
func NewDB() *DB { return &DB{} }

// Parse records p (Net::XMPP's PresenceDBParse) and returns the change it
// made, if any:
//
//   - available presence (RFC 6121 §4.2.3, §4.4.3) replaces what the
//     resource had;
//   - unavailable presence (§4.5.3) removes the resource, or every resource
//     of the JID when it comes from a bare JID;
//   - error presence (RFC 6120 §8.3; RFC 6121 §4.2.3 says the contact is
//     then unavailable) removes like unavailable presence.
//
// Subscription and probe presence and presence without from are ignored.
// Parse keeps its own copy of p's element.
func (db *DB) Parse(p stanza.Presence) (Change, bool) {
	if p.From.IsZero() {
		return Change{}, false
	}
	switch p.Type {
	case stanza.PresenceAvailable:
		if p.El != nil {
			p.El = p.El.Copy()
		}
		db.put(p)
		return Change{Kind: Online, JID: p.From, Presence: p}, true
	case stanza.PresenceUnavailable, stanza.PresenceError:
		if p.El != nil {
			p.El = p.El.Copy()
		}
		kind := Offline
		if p.Type == stanza.PresenceError {
			kind = Failed
		}
		return Change{Kind: kind, JID: p.From, Presence: p}, db.Delete(p.From)
	}
	return Change{}, false
}

func (db *DB) put(p stanza.Presence) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.entries == nil {
		db.entries = make(map[jid.JID]map[string]entry)
	}
	bare := p.From.Bare()
	rs := db.entries[bare]
	if rs == nil {
		rs = make(map[string]entry)
		db.entries[bare] = rs
	}
	db.seq++
	rs[p.From.Resourcepart()] = entry{p: p, seq: db.seq}
}

// Delete removes j's entries (Net::XMPP's PresenceDBDelete): every
// resource for a bare JID, the one resource for a full JID. It reports
// whether anything was removed.
func (db *DB) Delete(j jid.JID) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	bare := j.Bare()
	rs, ok := db.entries[bare]
	if !ok {
		return false
	}
	if j.IsBare() {
		delete(db.entries, bare)
		return true
	}
	res := j.Resourcepart()
	if _, ok := rs[res]; !ok {
		return false
	}
	delete(rs, res)
	if len(rs) == 0 {
		delete(db.entries, bare)
	}
	return true
}

// Clear empties the database (Net::XMPP's PresenceDBClear), as when the
// stream is lost and every presence is stale.
func (db *DB) Clear() {
	db.mu.Lock()
	db.entries = nil
	db.mu.Unlock()
}

// sorted returns j's resources' entries, highest priority first. db.mu is
// held.
func (db *DB) sorted(bare jid.JID) []entry {
	rs := db.entries[bare]
	out := make([]entry, 0, len(rs))
	for _, e := range rs {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b entry) int {
		if c := cmp.Compare(b.p.Priority(), a.p.Priority()); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	return out
}

// Query returns the presence of j (Net::XMPP's PresenceDBQuery): for a bare
// JID, the latest presence of its highest-priority resource; for a full
// JID, that resource's latest presence. The second result is false when
// there is none (the entity is offline as far as the DB knows). The
// returned presence must not be modified.
func (db *DB) Query(j jid.JID) (stanza.Presence, bool) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if !j.IsBare() {
		e, ok := db.entries[j.Bare()][j.Resourcepart()]
		return e.p, ok
	}
	s := db.sorted(j)
	if len(s) == 0 {
		return stanza.Presence{}, false
	}
	return s[0].p, true
}

// Resources returns the resources of j's bare JID, highest priority first
// (Net::XMPP's PresenceDBResources).
func (db *DB) Resources(j jid.JID) []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	s := db.sorted(j.Bare())
	out := make([]string, len(s))
	for i, e := range s {
		out[i] = e.p.From.Resourcepart()
	}
	return out
}

// JIDs returns the bare JIDs with at least one available resource, sorted.
func (db *DB) JIDs() []jid.JID {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.jidsLocked()
}

// All iterates over every available resource as full JID → presence: bare
// JIDs sorted, each one's resources highest priority first. It iterates
// over a snapshot, so the loop body may use the DB.
func (db *DB) All() iter.Seq2[jid.JID, stanza.Presence] {
	return func(yield func(jid.JID, stanza.Presence) bool) {
		var snap []entry
		db.mu.RLock()
		for _, j := range db.jidsLocked() {
			snap = append(snap, db.sorted(j)...)
		}
		db.mu.RUnlock()
		for _, e := range snap {
			if !yield(e.p.From, e.p) {
				return
			}
		}
	}
}

func (db *DB) jidsLocked() []jid.JID {
	out := make([]jid.JID, 0, len(db.entries))
	for j := range db.entries {
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b jid.JID) int { return strings.Compare(a.String(), b.String()) })
	return out
}
