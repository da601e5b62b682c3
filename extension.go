package xmpp

import (
	"errors"
	"slices"
	"sync"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Extension is a value added to a Session that brings handlers, service
// discovery features and identities, and payload types with it
// (AnyEvent::XMPP's add_extension, Net::XMPP's AddNamespace). Every
// built-in extension (ext/...) uses only this mechanism, so a user's
// extension is a first-class citizen.
//
// Register is called once by Session.Add; everything it registers through r
// is undone when the extension is removed.
type Extension interface {
	Register(r *Registrar) error
}

// ExtensionFunc adapts a function to the Extension interface.
type ExtensionFunc func(r *Registrar) error

// Register calls f(r).
func (f ExtensionFunc) Register(r *Registrar) error { return f(r) }

// Registrar is what an extension registers through. It records every
// registration so that removing the extension removes them all.
type Registrar struct {
	s       *Session
	mu      sync.Mutex
	undo    []func()
	removed bool
}

// Session returns the Session the extension is being added to.
func (r *Registrar) Session() *Session { return r.s }

func (r *Registrar) keep(undo func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.removed {
		undo()
		return
	}
	r.undo = append(r.undo, undo)
}

// HandleMessage is Session.HandleMessage, undone with the extension.
func (r *Registrar) HandleMessage(typ stanza.MessageType, h HandlerFunc) {
	r.keep(r.s.HandleMessage(typ, h))
}

// HandlePresence is Session.HandlePresence, undone with the extension.
func (r *Registrar) HandlePresence(typ stanza.PresenceType, h HandlerFunc) {
	r.keep(r.s.HandlePresence(typ, h))
}

// HandleIQ is Session.HandleIQ, undone with the extension.
func (r *Registrar) HandleIQ(typ stanza.IQType, ns string, h HandlerFunc) {
	r.keep(r.s.HandleIQ(typ, ns, h))
}

// HandleStanza is Session.HandleStanza, undone with the extension.
func (r *Registrar) HandleStanza(k stanza.Kind, h HandlerFunc) {
	r.keep(r.s.HandleStanza(k, h))
}

// HandleMatch is Session.HandleMatch, undone with the extension.
func (r *Registrar) HandleMatch(m *xmlstream.Matcher, h HandlerFunc) {
	r.keep(r.s.HandleMatch(m, h))
}

// HandleDirect is Session.HandleDirect, undone with the extension.
func (r *Registrar) HandleDirect(m *xmlstream.Matcher, h HandlerFunc) {
	r.keep(r.s.HandleDirect(m, h))
}

// Feature advertises a service discovery feature (XEP-0030 §3.1) while the
// extension is added.
func (r *Registrar) Feature(vars ...string) {
	for _, v := range vars {
		r.keep(r.s.disco.addFeature(v))
	}
}

// Identity advertises a service discovery identity (XEP-0030 §3.1) while
// the extension is added.
func (r *Registrar) Identity(id Identity) {
	r.keep(r.s.disco.addIdentity(id))
}

// Payload registers a Go type for payload elements named name: Incoming's
// Payload decodes such children into values made by newValue (through
// xmlstream.Unmarshal). This is Net::XMPP's AddNamespace.
func (r *Registrar) Payload(name xmlstream.Name, newValue func() any) {
	r.keep(r.s.disco.addPayload(name, newValue))
}

// OnEvent calls f for every status event of the Session while the
// extension is added (after Config.OnEvent), so an extension can react to a
// dropped stream, a new session or a resumption. f runs synchronously on
// the goroutine that changed the status and must not block.
func (r *Registrar) OnEvent(f func(Event)) {
	r.keep(r.s.listen(f))
}

// OnRemove runs f when the extension is removed or the Session ends.
func (r *Registrar) OnRemove(f func()) { r.keep(f) }

// Add registers ext with the Session and returns a function that removes
// everything it registered. If Register fails, what it registered so far
// is removed and the error is returned.
func (s *Session) Add(ext Extension) (remove func(), err error) {
	r := &Registrar{s: s}
	remove = func() {
		r.mu.Lock()
		undo := r.undo
		r.undo = nil
		r.removed = true
		r.mu.Unlock()
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	if err := ext.Register(r); err != nil {
		remove()
		return nil, err
	}
	return remove, nil
}

// Identity is a service discovery identity (XEP-0030 §3.1).
type Identity struct {
	Category, Type, Name, Lang string
}

// registry holds what extensions advertise: disco features and identities,
// payload types. Guarded by its own lock.
type registry struct {
	mu         sync.RWMutex
	features   []string // with repetitions: each registration counts
	identities []Identity
	payloads   map[xmlstream.Name]func() any
}

func (g *registry) addFeature(v string) func() {
	g.mu.Lock()
	g.features = append(g.features, v)
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if i := slices.Index(g.features, v); i >= 0 {
			g.features = slices.Delete(g.features, i, i+1)
		}
	}
}

func (g *registry) addIdentity(id Identity) func() {
	g.mu.Lock()
	g.identities = append(g.identities, id)
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if i := slices.Index(g.identities, id); i >= 0 {
			g.identities = slices.Delete(g.identities, i, i+1)
		}
	}
}

func (g *registry) addPayload(name xmlstream.Name, f func() any) func() {
	g.mu.Lock()
	if g.payloads == nil {
		g.payloads = make(map[xmlstream.Name]func() any)
	}
	g.payloads[name] = f
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		delete(g.payloads, name)
		g.mu.Unlock()
	}
}

// Features returns the service discovery features the Session's extensions
// advertise, sorted and without duplicates (XEP-0030 §3.1).
func (s *Session) Features() []string {
	s.disco.mu.RLock()
	out := slices.Clone(s.disco.features)
	s.disco.mu.RUnlock()
	slices.Sort(out)
	return slices.Compact(out)
}

// Identities returns the identities the Session's extensions advertise,
// in registration order and without duplicates (XEP-0030 §3.1; XEP-0115
// §5.4 rejects a repeated identity).
func (s *Session) Identities() []Identity {
	s.disco.mu.RLock()
	defer s.disco.mu.RUnlock()
	out := make([]Identity, 0, len(s.disco.identities))
	for _, id := range s.disco.identities {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ErrNoPayloadType is returned by Incoming.Payload when no extension
// registered a type for the payload's name.
var ErrNoPayloadType = errors.New("xmpp: no payload type registered")

// Payload decodes the first child of the stanza named name into a value of
// the type an extension registered for it, and returns that value.
func (in *Incoming) Payload(name xmlstream.Name) (any, error) {
	g := &in.Session.disco
	g.mu.RLock()
	f := g.payloads[name]
	g.mu.RUnlock()
	if f == nil {
		return nil, ErrNoPayloadType
	}
	c := in.Element.Child(name.Space, name.Local)
	if c == nil {
		return nil, nil
	}
	v := f()
	if err := xmlstream.Unmarshal(c, v); err != nil {
		return nil, err
	}
	return v, nil
}
