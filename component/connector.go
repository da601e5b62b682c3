package component

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NSAccept is the XEP-0114 stream namespace.
const NSAccept = "jabber:component:accept"

// ErrForeignFrom is returned when a stanza's from is outside the component's
// domains: a component may only speak for the names it serves.
var ErrForeignFrom = errors.New("component: from outside the component's domains")

// Connector establishes component streams; it implements xmpp.Connector and
// is used again for every reconnect.
type Connector struct {
	addr   string
	domain jid.JID
	secret string
	cfg    Config
	names  []string // every domain this component serves, the main one first
}

// NewConnector checks its arguments and returns a Connector for the server's
// component port addr (host:port), serving domain, authenticated by secret.
func NewConnector(addr, domain, secret string, cfg *Config) (*Connector, error) {
	d, err := jid.Parse(domain)
	if err != nil || !d.IsDomain() {
		return nil, fmt.Errorf("component: %q is not a domain: %v", domain, err)
	}
	c := &Connector{addr: addr, domain: d, secret: secret, cfg: cfg.withDefaults()}
	c.names = []string{d.String()}
	for _, n := range c.cfg.Names {
		nj, err := jid.Parse(n)
		if err != nil || !nj.IsDomain() {
			return nil, fmt.Errorf("component: name %q is not a domain: %v", n, err)
		}
		if !slices.Contains(c.names, nj.String()) {
			c.names = append(c.names, nj.String())
		}
	}
	if c.cfg.Protocol == XEP0114 && len(c.names) > 1 {
		return nil, errors.New("component: XEP-0114 serves one domain; Names needs the jabberd2 protocol")
	}
	return c, nil
}

// Dial connects a component and returns its Session, ready for stanzas.
func Dial(ctx context.Context, addr, domain, secret string, cfg *Config) (*xmpp.Session, error) {
	c, err := NewConnector(addr, domain, secret, cfg)
	if err != nil {
		return nil, err
	}
	var sc xmpp.Config
	if c.cfg.Session != nil {
		sc = *c.cfg.Session
	}
	exts := c.cfg.Extensions
	if exts == nil {
		exts = DefaultExtensions()
	}
	// Added before the Session reads (xmpp.Config.Extensions), so that the
	// first requests routed to the component are answered by them.
	sc.Extensions = append(exts[:len(exts):len(exts)], sc.Extensions...)
	return xmpp.NewSession(ctx, c, &sc)
}

// DefaultExtensions returns what Dial adds when Config.Extensions is nil: a
// service discovery responder (XEP-0030) with the identity component/generic
// and a ping responder (XEP-0199).
func DefaultExtensions() []xmpp.Extension {
	id := xmpp.Identity{Category: "component", Type: "generic"}
	return []xmpp.Extension{disco.New(&disco.Config{Identity: id}), ping.New(nil)}
}

// Connect implements xmpp.Connector.
func (c *Connector) Connect(ctx context.Context, t *xmpp.Trace) (*xmpp.Stream, error) {
	t.Emit(xmpp.Event{Status: xmpp.StatusConnecting, Addr: c.addr})
	dctx, cancel := context.WithTimeout(ctx, c.cfg.StepTimeout)
	raw, err := c.cfg.DialContext(dctx, "tcp", c.addr)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("component: connect %s: %w", c.addr, err)
	}
	t.Emit(xmpp.Event{Status: xmpp.StatusConnected, Addr: c.addr})
	w := &wire{raw: raw, conn: t.Conn(raw), dec: xmlstream.NewDecoder(nil), timeout: c.cfg.StepTimeout}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	var st *xmpp.Stream
	if c.cfg.Protocol == Jabberd2 {
		st, err = c.jabberd2(ctx, w, t)
	} else {
		st, err = c.xep0114(ctx, w, t)
	}
	if err != nil {
		raw.Close()
		return nil, err
	}
	st.JID = c.domain
	st.Outbound = c.outbound
	st.Accept = c.accept
	return st, nil
}

// xep0114 opens a jabber:component:accept stream and proves the secret
// (XEP-0114 §3).
func (c *Connector) xep0114(ctx context.Context, w *wire, t *xmpp.Trace) (*xmpp.Stream, error) {
	if err := w.open(ctx, &xmlstream.Header{To: c.domain.String(), Default: NSAccept}); err != nil {
		return nil, fmt.Errorf("component: stream header: %w", err)
	}
	if w.header.ID == "" {
		return nil, errors.New("component: the server's stream header has no id")
	}
	sum := sha1.Sum([]byte(w.header.ID + c.secret))
	hs := xmlstream.New("", "handshake").AddText(hex.EncodeToString(sum[:]))
	if err := w.write(ctx, xmlstream.AppendElement(nil, hs, NSAccept)); err != nil {
		return nil, err
	}
	e, err := w.element(ctx)
	if err != nil {
		return nil, authErr("handshake", err)
	}
	if e.Name.Local != "handshake" {
		return nil, fmt.Errorf("component: expected <handshake/>, got <%s/>", e.Name.Local)
	}
	t.Emit(xmpp.Event{Status: xmpp.StatusAuthenticated})
	st := w.stream()
	st.Namespace = NSAccept
	st.Mechanism = "handshake"
	return st, nil
}

// authErr marks authentication refusals as permanent: a wrong secret does
// not become right by retrying.
func authErr(step string, err error) error {
	var se stanza.StreamError
	if errors.As(err, &se) && se.Condition == stanza.StreamNotAuthorized {
		return xmpp.Permanent(fmt.Errorf("component: %s refused: %w", step, err))
	}
	return fmt.Errorf("component: %s: %w", step, err)
}

// outbound stamps the component's domain as from when it is missing, refuses
// a from outside its domains and writes stanzas in the stream's namespace.
func (c *Connector) outbound(e *xmlstream.Element) (*xmlstream.Element, error) {
	if stanza.KindOf(e) == stanza.KindNonza {
		return e, nil
	}
	out := *e
	if stanza.IsStanzaNS(out.Name.Space) {
		out.Name.Space = ""
	}
	from := e.Get("from")
	if from == "" {
		out.Attr = append(e.Attr[:len(e.Attr):len(e.Attr)], xmlstream.Attr{Name: xmlstream.Name{Local: "from"}, Value: c.domain.String()})
		return &out, nil
	}
	f, err := jid.Parse(from)
	if err != nil {
		return nil, fmt.Errorf("component: invalid from %q: %w", from, err)
	}
	if !c.serves(f.Domainpart()) {
		return nil, fmt.Errorf("%w: %s", ErrForeignFrom, from)
	}
	return &out, nil
}

// accept reports whether a received stanza is addressed to one of the
// component's domains.
func (c *Connector) accept(e *xmlstream.Element) bool {
	to, err := jid.Parse(e.Get("to"))
	return err == nil && c.serves(to.Domainpart())
}

func (c *Connector) serves(domain string) bool {
	for _, n := range c.names {
		if strings.EqualFold(n, domain) {
			return true
		}
	}
	return false
}
