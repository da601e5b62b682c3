package roster

import (
	"context"
	"fmt"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Fetched describes the answer to a roster get (RFC 6121 §2.1.3, §2.6.3).
type Fetched struct {
	// Ver is the roster version after the fetch ("" without versioning).
	Ver string
	// Versioned says whether the request carried a ver attribute.
	Versioned bool
	// Unchanged is set when the server answered with an empty result: the
	// stored roster is current and any changes follow as pushes
	// (RFC 6121 §2.6.3). The database then holds the stored items.
	Unchanged bool
	// Items is how many items the server sent (0 when Unchanged).
	Items int
	// Skipped is how many items of the answer could not be read and were
	// left out (see ParseQuery).
	Skipped int
}

// Fetch retrieves the roster (RFC 6121 §2.1.3, RFC 6121 §2.2) and brings the
// database and the Store up to date, reporting each difference to OnChange.
//
// Before its first fetch the Roster loads the Store. With versioning (see
// Config.Versioning) the request carries the stored version, or an empty ver when
// nothing is stored (RFC 6121 §2.6.2); the server answers with the whole
// roster or with an empty result when the stored one is current, in which
// case pushes bring whatever changed (§2.6.3).
func (r *Roster) Fetch(ctx context.Context) (Fetched, error) {
	s, err := r.session()
	if err != nil {
		return Fetched{}, err
	}
	if err := r.load(ctx); err != nil {
		return Fetched{}, err
	}
	versioned := r.useVersioning(s)
	q := Query{}
	if versioned {
		q.Ver, q.HasVer = r.Version(), true
	}
	reply, err := s.SendIQ(ctx, stanza.NewIQ(stanza.IQGet, jid.JID{}, q.Element()))
	if err != nil {
		return Fetched{}, err
	}
	r.mu.Lock()
	r.fetched = true
	r.mu.Unlock()
	p := reply.Payload()
	if p == nil {
		// RFC 6121 §2.6.3: an empty result when the cached roster is
		// current. A server that does not version never sends one.
		return Fetched{Ver: r.Version(), Versioned: versioned, Unchanged: true}, nil
	}
	got, perr := ParseQuery(p)
	if perr == ErrNotRoster {
		return Fetched{}, fmt.Errorf("roster: unexpected answer %s", p.Name)
	}
	skipped := 0
	if perr != nil {
		skipped = countItems(p) - len(got.Items)
		r.log.Warn("roster: items left out of the fetched roster", "err", perr, "skipped", skipped)
	}
	ver := ""
	if got.HasVer {
		ver = got.Ver
	}
	if err := r.replace(ctx, ver, got.Items); err != nil {
		return Fetched{}, err
	}
	return Fetched{Ver: ver, Versioned: versioned, Items: len(got.Items), Skipped: skipped}, nil
}

// countItems counts the <item/> children of a roster query.
func countItems(q *xmlstream.Element) int {
	n := 0
	for c := range q.Children() {
		if c.Name.Space == NS && c.Name.Local == "item" {
			n++
		}
	}
	return n
}

// useVersioning applies Config.Versioning to the Session's stream features.
func (r *Roster) useVersioning(s *xmpp.Session) bool {
	switch r.versioning {
	case VersioningOn:
		return true
	case VersioningOff:
		return false
	}
	f := s.StreamFeatures()
	return f != nil && f.Child(NSVersioning, "ver") != nil
}

// load reads the Store once into the database.
func (r *Roster) load(ctx context.Context) error {
	r.emu.Lock()
	defer r.emu.Unlock()
	r.mu.Lock()
	if r.loaded {
		r.mu.Unlock()
		return nil
	}
	r.mu.Unlock()
	ver, items, err := r.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("roster: loading the store: %w", err)
	}
	r.mu.Lock()
	r.loaded = true
	r.ver = ver
	changes := r.replaceLocked(items)
	r.mu.Unlock()
	r.emit(ver, changes)
	return nil
}

// replace makes items the roster at version ver, in the database and the
// Store.
func (r *Roster) replace(ctx context.Context, ver string, items []Item) error {
	r.emu.Lock()
	defer r.emu.Unlock()
	r.mu.Lock()
	r.ver = ver
	changes := r.replaceLocked(items)
	r.mu.Unlock()
	err := r.store.Replace(ctx, ver, items)
	r.emit(ver, changes)
	if err != nil {
		return fmt.Errorf("roster: saving to the store: %w", err)
	}
	return nil
}
