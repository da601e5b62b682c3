package xmpp

import (
	"context"
	"slices"
	"sync"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// HandlerFunc handles one incoming stanza. Return nil to pass the stanza on
// to the next handler of the chain, Handled to end the chain, a stanza.Error
// to answer an IQ get or set with that error (which also ends the chain), or
// any other error to have it logged and the chain continue.
type HandlerFunc func(ctx context.Context, in *Incoming) error

// entry is one registered handler. Entries are immutable once added.
type entry struct {
	seq    uint64
	direct bool // runs on the raw element, before typed handlers
	once   bool // removed after its first call
	match  func(in *Incoming) bool
	fn     HandlerFunc
}

// mux holds the handlers of a Session, in registration order. It is guarded
// by its own lock so handlers can be added and removed from handlers.
type mux struct {
	mu      sync.RWMutex
	seq     uint64
	entries []*entry
}

func (m *mux) add(e *entry) func() {
	m.mu.Lock()
	m.seq++
	e.seq = m.seq
	m.entries = append(m.entries, e)
	m.mu.Unlock()
	return func() { m.remove(e) }
}

// remove deletes e and reports whether it was still registered.
func (m *mux) remove(e *entry) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.Index(m.entries, e)
	if i < 0 {
		return false
	}
	m.entries = slices.Delete(m.entries, i, i+1)
	return true
}

// chain appends to out the handlers for in: direct ones first, then, when
// the stanza decoded into its typed form, the typed ones; each group in
// registration order.
func (m *mux) chain(out []*entry, in *Incoming, typed bool) []*entry {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, e := range m.entries {
		if e.direct && e.match(in) {
			out = append(out, e)
		}
	}
	if !typed {
		return out
	}
	for _, e := range m.entries {
		if !e.direct && e.match(in) {
			out = append(out, e)
		}
	}
	return out
}

// HandleMessage registers h for messages of type typ ("" for every type;
// RFC 6121 §5.2.2) and returns a function that removes it.
func (s *Session) HandleMessage(typ stanza.MessageType, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{fn: h, match: func(in *Incoming) bool {
		return in.Kind == stanza.KindMessage && (typ == "" || in.Message.Type == typ ||
			(typ == stanza.MessageNormal && in.Message.Type == ""))
	}})
}

// HandlePresence registers h for presence of type typ ("" for available
// presence only; use HandleStanza for all; RFC 6121 §4.7.1).
func (s *Session) HandlePresence(typ stanza.PresenceType, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{fn: h, match: func(in *Incoming) bool {
		return in.Kind == stanza.KindPresence && in.Presence.Type == typ
	}})
}

// HandleIQ registers h for IQs of type typ ("" for get and set) whose payload
// is in namespace ns ("" for any payload) (RFC 6120 §8.2.3).
func (s *Session) HandleIQ(typ stanza.IQType, ns string, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{fn: h, match: func(in *Incoming) bool {
		if in.Kind != stanza.KindIQ {
			return false
		}
		if typ == "" {
			if in.IQ.Type != stanza.IQGet && in.IQ.Type != stanza.IQSet {
				return false
			}
		} else if in.IQ.Type != typ {
			return false
		}
		if ns == "" {
			return true
		}
		p := in.IQ.Payload()
		return p != nil && p.Name.Space == ns
	}})
}

// HandleStanza registers h for every stanza of kind k.
func (s *Session) HandleStanza(k stanza.Kind, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{fn: h, match: func(in *Incoming) bool { return in.Kind == k }})
}

// HandleMatch registers h for stanzas that m matches (Net::XMPP's XPath
// callbacks), run with the typed handlers: in registration order among them,
// after every direct handler, and only for a stanza that decodes into its
// typed form. An expression outside the supported subset is an error of
// xmlstream.Compile; m must not be nil (HandleMatch panics, where a nil m
// would otherwise fail at the first stanza): for every stanza use
// HandleStanza, or HandleDirect with a nil Matcher.
func (s *Session) HandleMatch(m *xmlstream.Matcher, h HandlerFunc) (remove func()) {
	if m == nil {
		panic("xmpp: HandleMatch with a nil Matcher")
	}
	return s.mux.add(&entry{fn: h, match: func(in *Incoming) bool { return m.Match(in.Element) }})
}

// HandleDirect registers h for raw elements that m matches, before any typed
// handler and even when the stanza does not decode into its typed form
// (Net::XMPP's DirectXPath callbacks). A nil m matches every stanza.
func (s *Session) HandleDirect(m *xmlstream.Matcher, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{direct: true, fn: h, match: func(in *Incoming) bool {
		return m == nil || m.Match(in.Element)
	}})
}

// HandleID registers a one-shot handler for the next stanza whose id
// attribute is exactly id (the passthru mode's reply handler, see
// SendIQPassthru). Only the id is checked: the stanza may be of any kind
// (message, presence or iq), of any type (a result, an error, or a get or
// set carrying the id) and from any sender, or from none. Like a HandleDirect
// handler it runs before the typed handlers, even for a stanza that does not
// decode into its typed form; returning nil passes the stanza on to the rest
// of the chain. It is removed before its call, so it runs at most once; until
// a stanza with the id arrives (or remove is called) it stays registered. An
// empty id matches the first stanza without an id.
func (s *Session) HandleID(id string, h HandlerFunc) (remove func()) {
	return s.mux.add(&entry{once: true, direct: true, fn: h, match: func(in *Incoming) bool {
		return in.Element.Get("id") == id
	}})
}
