package presence

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Config tunes a Manager. A nil *Config means every default.
type Config struct {
	// Policy answers incoming subscription requests. Default Ask.
	Policy Policy
	// OnRequest is called for each new subscription request under the Ask
	// policy; answer it (now or later, from any goroutine) with
	// Request.Approve or Request.Deny. Default nil: requests wait in
	// Manager.Pending.
	OnRequest func(Request)
	// OnSubscription is called for every subscription presence received
	// (subscribe, subscribed, unsubscribe, unsubscribed; RFC 6121 §3),
	// after the Policy acted. Default nil.
	OnSubscription func(SubscriptionEvent)
	// OnChange is called for every change to the presence database.
	// Default nil.
	OnChange func(Change)
	// DB is the presence database to fill. Default: a new DB.
	DB *DB
	// Logger receives failures to answer requests. Default: none.
	Logger *slog.Logger
}

// Manager is the extension that tracks presence and subscriptions: it
// fills a DB from incoming presence (Net::XMPP's PresenceDB) and answers
// subscription requests by its Policy. The callbacks run on the Session's
// handler goroutine, in stanza order; they may send (Approve, Deny, ...)
// but should not block for long. All methods are safe for concurrent use.
type Manager struct {
	cfg Config
	db  *DB

	// Guarded by mu: the Session it is added to and the requests waiting
	// for an answer under Ask, by bare JID.
	mu      sync.Mutex
	s       *xmpp.Session
	pending map[jid.JID]Request
}

// ErrNotAdded is returned when the Manager is not added to a Session.
var ErrNotAdded = errors.New("presence: not added to a session")

// ErrAdded is returned by Register when the Manager is already added to a
// Session.
var ErrAdded = errors.New("presence: already added to a session")

// New returns a Manager configured by cfg.
func New(cfg *Config) *Manager {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.DB == nil {
		c.DB = NewDB()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{cfg: c, db: c.DB, pending: make(map[jid.JID]Request)}
}

// DB returns the presence database the Manager fills.
func (m *Manager) DB() *DB { return m.db }

// Policy returns the Manager's subscription policy.
func (m *Manager) Policy() Policy { return m.cfg.Policy }

// Register implements xmpp.Extension: it handles every presence stanza.
func (m *Manager) Register(reg *xmpp.Registrar) error {
	m.mu.Lock()
	if m.s != nil {
		m.mu.Unlock()
		return ErrAdded
	}
	s := reg.Session()
	m.s = s
	m.mu.Unlock()
	reg.OnRemove(func() {
		m.mu.Lock()
		if m.s == s {
			m.s = nil
		}
		m.mu.Unlock()
	})
	reg.HandleStanza(stanza.KindPresence, m.handle)
	// A new session starts with no presence known: the server sends it
	// again after initial presence. A resumed one keeps everything.
	reg.OnEvent(func(e xmpp.Event) {
		if e.Status == xmpp.StatusReady {
			m.db.Clear()
		}
	})
	return nil
}

func (m *Manager) session() (*xmpp.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.s == nil {
		return nil, ErrNotAdded
	}
	return m.s, nil
}

func (m *Manager) handle(ctx context.Context, in *xmpp.Incoming) error {
	p := *in.Presence
	switch p.Type {
	case stanza.PresenceAvailable, stanza.PresenceUnavailable, stanza.PresenceError:
		if c, ok := m.db.Parse(p); ok && m.cfg.OnChange != nil {
			m.cfg.OnChange(c)
		}
	case stanza.PresenceSubscribe, stanza.PresenceSubscribed,
		stanza.PresenceUnsubscribe, stanza.PresenceUnsubscribed:
		if !p.From.IsZero() {
			m.subscription(ctx, in.Session, p)
		}
	}
	return nil
}

// subscription applies the Policy to a subscription presence and reports
// it.
func (m *Manager) subscription(ctx context.Context, s *xmpp.Session, p stanza.Presence) {
	from := p.From.Bare()
	ev := SubscriptionEvent{Type: p.Type, From: from, Presence: p}
	var notify *Request
	switch p.Type {
	case stanza.PresenceSubscribe:
		switch m.cfg.Policy {
		case AcceptAll:
			ev.Answer = stanza.PresenceSubscribed
		case RejectAll:
			ev.Answer = stanza.PresenceUnsubscribed
		default:
			m.mu.Lock()
			if _, dup := m.pending[from]; !dup {
				r := Request{From: from, Presence: p, m: m}
				m.pending[from] = r
				notify = &r
			}
			m.mu.Unlock()
		}
	case stanza.PresenceUnsubscribe:
		// The contact withdrew its request or ended its subscription
		// (RFC 6121 §3.3): nothing is left to answer.
		m.forget(from)
		if m.cfg.Policy == AcceptAll {
			ev.Answer = stanza.PresenceUnsubscribed
		}
	}
	if ev.Answer != "" {
		if err := SendSubscription(ctx, s, ev.Answer, from); err != nil {
			m.cfg.Logger.Warn("presence: answering a subscription", "to", from.String(), "err", err)
		}
	}
	if notify != nil && m.cfg.OnRequest != nil {
		m.cfg.OnRequest(*notify)
	}
	if m.cfg.OnSubscription != nil {
		m.cfg.OnSubscription(ev)
	}
}

func (m *Manager) forget(from jid.JID) {
	m.mu.Lock()
	delete(m.pending, from)
	m.mu.Unlock()
}

// Pending returns the requests waiting for an answer, sorted by JID.
func (m *Manager) Pending() []Request {
	m.mu.Lock()
	out := make([]Request, 0, len(m.pending))
	for _, r := range m.pending {
		out = append(out, r)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Request) int { return strings.Compare(a.From.String(), b.From.String()) })
	return out
}

// Approve sends subscribed to j (RFC 6121 §3.1.5), answering its pending
// request or pre-approving one (§3.4).
func (m *Manager) Approve(ctx context.Context, j jid.JID) error {
	return m.answer(ctx, stanza.PresenceSubscribed, j)
}

// Deny sends unsubscribed to j (RFC 6121 §3.1.4, §3.2.1), refusing its
// pending request or cancelling its subscription.
func (m *Manager) Deny(ctx context.Context, j jid.JID) error {
	return m.answer(ctx, stanza.PresenceUnsubscribed, j)
}

func (m *Manager) answer(ctx context.Context, typ stanza.PresenceType, j jid.JID) error {
	s, err := m.session()
	if err != nil {
		return err
	}
	if err := SendSubscription(ctx, s, typ, j); err != nil {
		return err
	}
	m.forget(j.Bare())
	return nil
}

// Subscribe sends a subscription request to j (RFC 6121 §3.1.1).
func (m *Manager) Subscribe(ctx context.Context, j jid.JID) error {
	s, err := m.session()
	if err != nil {
		return err
	}
	return Subscribe(ctx, s, j)
}

// Unsubscribe stops the user's subscription to j's presence (RFC 6121
// §3.3.1).
func (m *Manager) Unsubscribe(ctx context.Context, j jid.JID) error {
	s, err := m.session()
	if err != nil {
		return err
	}
	return Unsubscribe(ctx, s, j)
}
