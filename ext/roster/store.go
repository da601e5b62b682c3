package roster

import (
	"context"
	"sync"

	"parley.dev/xmpp/jid"
)

// Store keeps a roster version and its items across restarts, so that a
// client fetching with roster versioning (RFC 6121 §2.6) receives only what
// changed. Implementations must be safe for concurrent use. The Roster calls
// Load once, before its first fetch, Replace after a full roster arrives and
// Apply after each push.
type Store interface {
	// Load returns the stored version and items ("" and none when nothing
	// is stored).
	Load(ctx context.Context) (ver string, items []Item, err error)
	// Replace stores a whole roster and its version (RFC 6121 §2.6.3: the
	// server sent the complete roster).
	Replace(ctx context.Context, ver string, items []Item) error
	// Apply stores one pushed item and the version it brings (RFC 6121
	// §2.6.3, §2.1.6): an item whose Subscription is SubRemove deletes the
	// stored item with that JID.
	Apply(ctx context.Context, ver string, it Item) error
}

// MemoryStore is a Store kept in memory: it lets a roster be fetched with
// versioning again after a reconnection of the same process. The zero value
// is an empty store.
type MemoryStore struct {
	mu    sync.Mutex // guards ver and items
	ver   string
	items map[jid.JID]Item
	order []jid.JID // insertion order, so Load is deterministic
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Load returns the stored version and a copy of the items, in the order
// they were first stored.
func (m *MemoryStore) Load(ctx context.Context) (string, []Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	items := make([]Item, 0, len(m.order))
	for _, j := range m.order {
		items = append(items, m.items[j].clone())
	}
	return m.ver, items, nil
}

// Replace stores ver and a copy of items, dropping what was stored.
func (m *MemoryStore) Replace(ctx context.Context, ver string, items []Item) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ver = ver
	m.items = make(map[jid.JID]Item, len(items))
	m.order = m.order[:0]
	for _, it := range items {
		m.putLocked(it)
	}
	return nil
}

// Apply stores (or, for SubRemove, deletes) it and sets the version.
func (m *MemoryStore) Apply(ctx context.Context, ver string, it Item) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ver = ver
	if it.Subscription == SubRemove {
		if _, ok := m.items[it.JID]; ok {
			delete(m.items, it.JID)
			for i, j := range m.order {
				if j == it.JID {
					m.order = append(m.order[:i], m.order[i+1:]...)
					break
				}
			}
		}
		return nil
	}
	if m.items == nil {
		m.items = make(map[jid.JID]Item)
	}
	m.putLocked(it)
	return nil
}

func (m *MemoryStore) putLocked(it Item) {
	if _, ok := m.items[it.JID]; !ok {
		m.order = append(m.order, it.JID)
	}
	m.items[it.JID] = it.clone()
}
