package roster

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Versioning chooses whether Fetch uses roster versioning (RFC 6121 §2.6).
type Versioning uint8

const (
	// VersioningAuto (the default) uses versioning when the server
	// advertises urn:xmpp:features:rosterver in its stream features
	// (RFC 6121 §2.6.1), read through Session.StreamFeatures.
	VersioningAuto Versioning = iota
	// VersioningOff never sends a ver attribute.
	VersioningOff
	// VersioningOn always sends one, for servers known to support it
	// without advertising it.
	VersioningOn
)

// Config tunes a Roster. A nil *Config means every default.
type Config struct {
	// Store keeps the version and items across restarts. Default: a new
	// MemoryStore.
	Store Store
	// Versioning chooses when Fetch asks for a versioned roster. Default
	// VersioningAuto.
	Versioning Versioning
	// OnChange is called for every change to the roster database, in
	// order, from the goroutine that made it (the Session's handler
	// goroutine for pushes, the caller of Fetch for a fetch). It may call
	// the Roster's methods, Set and Remove included. Default nil.
	OnChange func(Change)
	// Logger receives the pushes that were refused. Default: none.
	Logger *slog.Logger
}

// Roster is a client's roster (RFC 6121 §2) and its local database
// (Net::XMPP's RosterDB). It is an xmpp.Extension: add it to a Session with
// Session.Add, then call Fetch. It accepts roster pushes (§2.1.6) while
// added. A Roster can be added to one Session at a time; its database and
// Store outlive the Session, so after a reconnection Fetch brings it up to
// date. All methods are safe for concurrent use.
type Roster struct {
	store      Store
	versioning Versioning
	onChange   func(Change)
	log        *slog.Logger

	// emu serialises changes with their OnChange calls, so that callbacks
	// see changes in the order they were made.
	emu sync.Mutex

	// Guarded by mu: the Session the Roster is added to, the database,
	// the current version and whether the Store was loaded.
	mu      sync.RWMutex
	s       *xmpp.Session
	items   map[jid.JID]Item
	ver     string
	loaded  bool
	fetched bool // Fetch succeeded once: fetch again after a new session
}

// ErrNotAdded is returned by the methods that talk to the server while the
// Roster is not added to a Session.
var ErrNotAdded = errors.New("roster: not added to a session")

// ErrAdded is returned by Register when the Roster is already added to a
// Session.
var ErrAdded = errors.New("roster: already added to a session")

// New returns an empty Roster configured by cfg.
func New(cfg *Config) *Roster {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Store == nil {
		c.Store = NewMemoryStore()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &Roster{
		store:      c.Store,
		versioning: c.Versioning,
		onChange:   c.OnChange,
		log:        c.Logger,
		items:      make(map[jid.JID]Item),
	}
}

// Register implements xmpp.Extension: it handles roster pushes (RFC 6121
// §2.1.6) and, when removed, stops talking to the Session.
func (r *Roster) Register(reg *xmpp.Registrar) error {
	r.mu.Lock()
	if r.s != nil {
		r.mu.Unlock()
		return ErrAdded
	}
	s := reg.Session()
	r.s = s
	r.mu.Unlock()
	reg.OnRemove(func() {
		r.mu.Lock()
		if r.s == s {
			r.s = nil
		}
		r.mu.Unlock()
	})
	reg.HandleIQ(stanza.IQSet, NS, r.handlePush)
	// A new session (not a XEP-0198 resumption) may have missed pushes
	// while the stream was down: fetch again (with versioning, only the
	// changes), in the background since events run on the reader.
	reg.OnEvent(func(e xmpp.Event) {
		r.mu.RLock()
		again := e.Status == xmpp.StatusReady && r.fetched
		r.mu.RUnlock()
		if again {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := r.Fetch(ctx); err != nil {
					r.log.Warn("roster: fetch after reconnecting failed", "err", err)
				}
			}()
		}
	})
	return nil
}

func (r *Roster) session() (*xmpp.Session, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.s == nil {
		return nil, ErrNotAdded
	}
	return r.s, nil
}

// Version returns the version of the roster the database holds (RFC 6121
// §2.6), "" when unknown.
func (r *Roster) Version() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ver
}
