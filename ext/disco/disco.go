package disco

import (
	"context"
	"errors"
	"slices"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// DefaultIdentity is the identity a Disco advertises when Config.Identity
// is zero: an automated client (XEP-0030 §3.1, Service Discovery
// Identities registry, category client, type bot).
var DefaultIdentity = xmpp.Identity{Category: "client", Type: "bot"}

// Config tunes a Disco. A nil *Config means every default.
type Config struct {
	// Identity is advertised while the extension is added (XEP-0030 §3.1:
	// every entity has at least one identity). Default DefaultIdentity
	// (client/bot). Use NoIdentity when other extensions supply one.
	Identity xmpp.Identity

	// NoIdentity, when true, advertises no identity of the Disco's own.
	// Default false.
	NoIdentity bool

	// Forms are XEP-0128 extended information forms (each with a hidden
	// FORM_TYPE) added to the root node's answer. Default none. More can be
	// added later with AddForm.
	Forms []*form.Form
}

// Node answers the requests for one node (XEP-0030 §3.2, §4.2). from is
// the requester. A nil function answers item-not-found for that kind of
// request. An error that is a stanza.Error is sent as it is; any other
// becomes internal-server-error.
type Node struct {
	Info  func(ctx context.Context, from jid.JID, node string) (*Info, error)
	Items func(ctx context.Context, from jid.JID, node string) ([]Item, error)
}

// Disco is the service discovery extension: add it to a Session with
// Session.Add. It is safe for concurrent use and may be added to several
// Sessions; nodes, aliases and forms are shared by all of them.
type Disco struct {
	cfg Config

	// Guarded by mu.
	mu      sync.RWMutex
	nodes   map[string]Node // made by the first SetNode: most clients have none
	aliases []*func(node string) bool
	forms   []*form.Form
}

// New returns a Disco configured by cfg (nil for the defaults).
func New(cfg *Config) *Disco {
	d := &Disco{}
	if cfg != nil {
		d.cfg = *cfg
	}
	if d.cfg.Identity == (xmpp.Identity{}) {
		d.cfg.Identity = DefaultIdentity
	}
	for _, f := range d.cfg.Forms {
		d.forms = append(d.forms, f.Copy())
	}
	return d
}

// Register implements xmpp.Extension: it advertises the disco features and
// identity and answers disco#info and disco#items requests (XEP-0030 §3,
// §4).
func (d *Disco) Register(r *xmpp.Registrar) error {
	r.Feature(NSInfo, NSItems)
	if !d.cfg.NoIdentity {
		r.Identity(d.cfg.Identity)
	}
	s := r.Session()
	r.HandleIQ(stanza.IQGet, NSInfo, func(ctx context.Context, in *xmpp.Incoming) error {
		info, err := d.info(ctx, s, in.IQ.From, in.IQ.Payload().Get("node"))
		if err != nil {
			return err
		}
		in.Reply(ctx, info.Element())
		return xmpp.Handled
	})
	r.HandleIQ(stanza.IQGet, NSItems, func(ctx context.Context, in *xmpp.Incoming) error {
		items, err := d.items(ctx, in.IQ.From, in.IQ.Payload().Get("node"))
		if err != nil {
			return err
		}
		in.Reply(ctx, items.Element())
		return xmpp.Handled
	})
	// XEP-0030 §3.1 defines only get: a set is a bad request.
	bad := func(ctx context.Context, in *xmpp.Incoming) error {
		return stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	r.HandleIQ(stanza.IQSet, NSInfo, bad)
	r.HandleIQ(stanza.IQSet, NSItems, bad)
	return nil
}

// Local returns the root node's information as the Disco answers it for s:
// the Session's identities and features (those of every added extension)
// and the extended information forms.
func (d *Disco) Local(s *xmpp.Session) *Info {
	d.mu.RLock()
	forms := slices.Clone(d.forms)
	d.mu.RUnlock()
	return &Info{Identities: s.Identities(), Features: s.Features(), Forms: forms}
}

// SetNode makes n answer the requests for node name and returns a function
// that removes it. For the root node ("") only n.Items is used: the root's
// information always comes from the Session (see Local).
func (d *Disco) SetNode(name string, n Node) (remove func()) {
	d.mu.Lock()
	if d.nodes == nil {
		d.nodes = make(map[string]Node)
	}
	d.nodes[name] = n
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		delete(d.nodes, name)
		d.mu.Unlock()
	}
}

// Alias makes every node for which match returns true answer disco#info
// with the root node's information (the node attribute echoed), and returns
// a function that removes the alias. Entity capabilities use it for the
// node#ver node (XEP-0115 §6.2).
func (d *Disco) Alias(match func(node string) bool) (remove func()) {
	p := &match
	d.mu.Lock()
	d.aliases = append(d.aliases, p)
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		if i := slices.Index(d.aliases, p); i >= 0 {
			d.aliases = slices.Delete(d.aliases, i, i+1)
		}
		d.mu.Unlock()
	}
}

// AddForm adds an XEP-0128 extended information form to the root node's
// answer and returns a function that removes it. f must carry a hidden
// FORM_TYPE (XEP-0128 §2); it is copied.
func (d *Disco) AddForm(f *form.Form) (remove func()) {
	c := f.Copy()
	d.mu.Lock()
	d.forms = append(d.forms, c)
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		if i := slices.Index(d.forms, c); i >= 0 {
			d.forms = slices.Delete(d.forms, i, i+1)
		}
		d.mu.Unlock()
	}
}

var errNotFound = stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound}

// info answers a disco#info request for node.
func (d *Disco) info(ctx context.Context, s *xmpp.Session, from jid.JID, node string) (*Info, error) {
	if node == "" || d.aliased(node) {
		info := d.Local(s)
		info.Node = node
		return info, nil
	}
	d.mu.RLock()
	n, ok := d.nodes[node]
	d.mu.RUnlock()
	if !ok || n.Info == nil {
		return nil, errNotFound
	}
	info, err := n.Info(ctx, from, node)
	if err != nil {
		return nil, asStanzaError(err)
	}
	if info == nil {
		info = &Info{}
	}
	out := *info
	out.Node = node
	return &out, nil
}

// items answers a disco#items request for node.
func (d *Disco) items(ctx context.Context, from jid.JID, node string) (*Items, error) {
	d.mu.RLock()
	n, ok := d.nodes[node]
	d.mu.RUnlock()
	if !ok || n.Items == nil {
		if node == "" {
			return &Items{}, nil // the root has no items unless told
		}
		return nil, errNotFound
	}
	items, err := n.Items(ctx, from, node)
	if err != nil {
		return nil, asStanzaError(err)
	}
	return &Items{Node: node, Items: items}, nil
}

func (d *Disco) aliased(node string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, m := range d.aliases {
		if (*m)(node) {
			return true
		}
	}
	return false
}

func asStanzaError(err error) error {
	var se stanza.Error
	if errors.As(err, &se) {
		return se
	}
	return stanza.Error{Type: stanza.Wait, Condition: stanza.InternalServerError}
}
