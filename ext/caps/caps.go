package caps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// DefaultNode is the node Parley advertises when Config.Node is empty: a
// URI naming the software (XEP-0115 §4).
const DefaultNode = "https://parley.dev/xmpp"

var (
	// ErrMismatch is returned by Lookup when the claimant's disco#info does
	// not hash to the ver it claimed (XEP-0115 §5.4): the claim
	// is not trusted and nothing is cached.
	ErrMismatch = errors.New("caps: ver does not match the disco#info answer")
	// ErrUnverifiable is returned by Lookup for a legacy claim without a
	// hash attribute.
	ErrUnverifiable = errors.New("caps: legacy claim without hash cannot be verified")
	// ErrNoClaim is returned by Info for an entity whose presence carried
	// no capabilities.
	ErrNoClaim = errors.New("caps: no capabilities claimed by this entity")
	// ErrNoDisco is returned by Register when the Caps was made without a
	// Disco.
	ErrNoDisco = errors.New("caps: needs a disco.Disco")
)

// Config tunes a Caps. A nil *Config means every default.
type Config struct {
	// Node names the software in our claims (XEP-0115 §4). Default
	// DefaultNode.
	Node string
	// Hash is the hash function of our ver (XEP-0115 §5.1). Default
	// HashSHA1, which every implementation understands.
	Hash string
	// Cache holds verified information by ver. Default a new MemoryCache.
	Cache Cache
}

// Caps is the entity capabilities extension. Add it to a Session together
// with the Disco it was made with. It is safe for concurrent use.
type Caps struct {
	d   *disco.Disco
	cfg Config

	// Guarded by mu: the latest claim of each full JID, from presence.
	mu     sync.Mutex
	claims map[jid.JID]Claim
}

// New returns a Caps that publishes d's root information (d must also be
// added to the Session) and verifies others' claims, configured by cfg.
func New(d *disco.Disco, cfg *Config) *Caps {
	c := &Caps{d: d, claims: make(map[jid.JID]Claim)}
	if cfg != nil {
		c.cfg = *cfg
	}
	if c.cfg.Node == "" {
		c.cfg.Node = DefaultNode
	}
	if c.cfg.Hash == "" {
		c.cfg.Hash = HashSHA1
	}
	if c.cfg.Cache == nil {
		c.cfg.Cache = NewMemoryCache()
	}
	return c
}

// Cache returns the cache of verified information.
func (c *Caps) Cache() Cache { return c.cfg.Cache }

// Register implements xmpp.Extension: it advertises the caps feature
// (XEP-0115 §6.1), answers disco#info at "node#ver" for our current ver
// (§6.2) and records the claims of received presence.
func (c *Caps) Register(r *xmpp.Registrar) error {
	if c.d == nil {
		return ErrNoDisco
	}
	if _, err := newHash(c.cfg.Hash); err != nil {
		return err
	}
	s := r.Session()
	r.Feature(NS)
	prefix := c.cfg.Node + "#"
	r.OnRemove(c.d.Alias(func(node string) bool {
		if !strings.HasPrefix(node, prefix) {
			return false
		}
		own, err := c.Claim(s)
		return err == nil && node == own.NodeVer()
	}))
	r.HandleStanza(stanza.KindPresence, func(ctx context.Context, in *xmpp.Incoming) error {
		from := in.Presence.From
		if from.IsZero() {
			return nil
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		switch in.Presence.Type {
		case stanza.PresenceAvailable:
			if cl, ok := ParseClaim(in.Element); ok {
				c.claims[from] = cl
			} else {
				delete(c.claims, from)
			}
		case stanza.PresenceUnavailable, stanza.PresenceError:
			delete(c.claims, from)
		}
		return nil
	})
	r.OnRemove(func() {
		c.mu.Lock()
		clear(c.claims)
		c.mu.Unlock()
	})
	return nil
}

// Claim returns our own claim for s: Config.Node, Config.Hash and the ver
// of the Disco's root information (XEP-0115 §5.1).
func (c *Caps) Claim(s *xmpp.Session) (Claim, error) {
	ver, err := Ver(c.d.Local(s), c.cfg.Hash)
	if err != nil {
		return Claim{}, err
	}
	return Claim{Hash: c.cfg.Hash, Node: c.cfg.Node, Ver: ver}, nil
}

// Attach adds our <c/> element to p (XEP-0115 §4), replacing any it had.
// Call it for every available presence broadcast, and send a new one when
// the Session's features change.
func (c *Caps) Attach(s *xmpp.Session, p *stanza.Presence) error {
	cl, err := c.Claim(s)
	if err != nil {
		return err
	}
	if p.El != nil {
		p.El.RemoveChildren(func(e *xmlstream.Element) bool { return e.Name.Space == NS && e.Name.Local == "c" })
	}
	p.AddPayload(cl.Element())
	return nil
}

// Claimed returns the latest claim in the available presence of the full
// JID j, and whether there is one.
func (c *Caps) Claimed(j jid.JID) (Claim, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.claims[j]
	return cl, ok
}

// Info returns the verified information for the latest claim of j (see
// Lookup), or ErrNoClaim.
func (c *Caps) Info(ctx context.Context, s disco.IQSender, j jid.JID) (*disco.Info, error) {
	cl, ok := c.Claimed(j)
	if !ok {
		return nil, ErrNoClaim
	}
	return c.Lookup(ctx, s, j, cl)
}

// Lookup returns the information behind cl, claimed by from. A ver already
// in the Cache is answered from it. Otherwise from is asked for disco#info
// at cl.NodeVer(), the answer's ver is recomputed with cl.Hash, and the
// answer is trusted and cached only if it matches cl.Ver and follows the
// rules of XEP-0115 §5.4 (else ErrMismatch or ErrInvalid). A legacy claim
// gives ErrUnverifiable, an unknown hash ErrUnknownHash.
func (c *Caps) Lookup(ctx context.Context, s disco.IQSender, from jid.JID, cl Claim) (*disco.Info, error) {
	if cl.Legacy() {
		return nil, ErrUnverifiable
	}
	if _, err := newHash(cl.Hash); err != nil {
		return nil, err
	}
	if info, ok := c.cfg.Cache.Get(cl.Hash, cl.Ver); ok {
		return info, nil
	}
	info, err := Verify(ctx, s, from, cl)
	if err != nil {
		return nil, err
	}
	c.cfg.Cache.Put(cl.Hash, cl.Ver, info)
	return info, nil
}

// Verify asks from for disco#info at cl.NodeVer() and checks that the
// answer hashes to cl.Ver (XEP-0115 §5.4), without any cache.
func Verify(ctx context.Context, s disco.IQSender, from jid.JID, cl Claim) (*disco.Info, error) {
	info, err := disco.GetInfo(ctx, s, from, cl.NodeVer())
	if err != nil {
		return nil, err
	}
	ver, err := Ver(info, cl.Hash)
	if err != nil {
		return nil, err
	}
	if ver != cl.Ver {
		return nil, fmt.Errorf("%w: %s claimed %s, its disco#info hashes to %s", ErrMismatch, from, cl.Ver, ver)
	}
	info.Node = ""
	return info, nil
}
