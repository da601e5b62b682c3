package client

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Connector opens authenticated, bound client streams for one account: it
// resolves and dials the server (RFC 6120 §3), secures the stream (§5, or
// XEP-0368 direct TLS), authenticates (§6, or XEP-0078) and binds a resource
// (§7). It implements xmpp.Connector; the Session calls Connect for the first
// connection and for every reconnect. A Connector is safe for concurrent use.
type Connector struct {
	jid       jid.JID
	cfg       Config
	lookupSRV srvLookup       // cfg.Resolver.LookupSRV; tests replace it
	rand      func(n int) int // RFC 2782 weighted choice; tests replace it
	// dialer is Config.DialContext or Config.Dialer's; nil for a DialConn
	// Connector that has neither, which cannot open a second connection.
	dialer func(ctx context.Context, network, addr string) (net.Conn, error)

	// tlsCfg serves every TLS connection (a *tls.Config may be shared
	// once in use); tlsDirect is its variant with the XEP-0368 ALPN
	// protocol, made on the first direct TLS connection. Every connection
	// of the Connector keeps a pointer to one of them, not a copy.
	tlsCfg *tls.Config

	mu          sync.Mutex  // guards given, redirect, redirectGen, bound and tlsDirect
	given       net.Conn    // DialConn's connection, taken by the first connect
	redirect    string      // pending redirect target (Redirect), "" for none
	redirectGen uint64      // counts Redirect calls, so a Connect forgets only its own
	bound       jid.JID     // the last bound JID, resumed by XEP-0198
	tlsDirect   *tls.Config // see tlsCfg
}

var _ xmpp.Connector = (*Connector)(nil)

// NewConnector returns a Connector for the account j. j needs a domainpart;
// a localpart is needed for password authentication (a domain-only JID suits
// SASL ANONYMOUS or EXTERNAL). A resourcepart in j is the resource requested
// at bind when cfg.Resource is empty. cfg may be nil; it is cloned.
func NewConnector(j jid.JID, cfg *Config) (*Connector, error) {
	if j.IsZero() {
		return nil, errors.New("client: empty JID")
	}
	c := &Connector{jid: j, cfg: cfg.withDefaults(), rand: defaultRand}
	c.tlsCfg = c.cfg.tlsConfig(j.Domainpart())
	c.lookupSRV = c.cfg.Resolver.LookupSRV
	c.dialer = c.cfg.DialContext
	if c.dialer == nil {
		c.dialer = c.cfg.Dialer.DialContext
	}
	if c.cfg.Legacy > LegacyOnly {
		return nil, errors.New("client: unknown LegacyMode " + c.cfg.Legacy.String())
	}
	return c, nil
}

// JID returns the account the Connector logs in to.
func (c *Connector) JID() jid.JID { return c.jid }

// tlsConfig returns the TLS configuration of a connection: tlsCfg, or for
// direct TLS (XEP-0368 §3) one that also offers the "xmpp-client" ALPN
// protocol unless Config.TLSConfig named its own (the server need not
// support ALPN).
func (c *Connector) tlsConfig(direct bool) *tls.Config {
	if !direct || len(c.tlsCfg.NextProtos) > 0 {
		return c.tlsCfg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tlsDirect == nil {
		c.tlsDirect = c.tlsCfg.Clone()
		c.tlsDirect.NextProtos = []string{"xmpp-client"}
	}
	return c.tlsDirect
}

func (c *Connector) log(t *xmpp.Trace) *slog.Logger {
	if c.cfg.Logger != nil {
		return c.cfg.Logger
	}
	return t.Logger()
}

// resource is the resource to request: Config.Resource, else j's own.
func (c *Connector) resource(j jid.JID) string {
	if c.cfg.Resource != "" {
		return c.cfg.Resource
	}
	return j.Resourcepart()
}

// Connect dials, secures, authenticates and binds, reporting progress
// through t (StatusConnecting per address tried, StatusConnected, StatusTLS,
// StatusAuthenticated, StatusBound) and the raw chunks through t's hooks.
// Every step is bounded by Config.StepTimeout and by ctx. Errors are
// *ConnectError values; xmpp.IsPermanent tells whether retrying can help.
//
// While a redirect is pending (see Redirect), Connect tries its target
// first; when the target cannot be resolved, reached or negotiated with,
// it goes on in the same call with the usual resolution (Config.Server or
// DNS), unless the failure was a see-other-host (the Session counts those),
// a permanent one (a refused login is not retried elsewhere) or the end of
// ctx.
func (c *Connector) Connect(ctx context.Context, t *xmpp.Trace) (*xmpp.Stream, error) {
	target, gen := c.pendingRedirect()
	if target != "" {
		s, err := c.establish(ctx, t, func(ctx context.Context) ([]candidate, error) {
			return c.redirectCandidates(ctx, target)
		})
		if err == nil {
			c.redirectDone(gen)
			return s, nil
		}
		if !fallBack(ctx, err) || target == c.cfg.Server {
			return nil, err // no fallback (see fallBack), or the target was the usual server
		}
		c.log(t).Info("client: redirect target failed; resolving the server as usual", "target", target, "err", err)
	}
	s, err := c.establish(ctx, t, c.serverCandidates)
	if err == nil && target != "" {
		c.redirectDone(gen)
	}
	return s, err
}

// establish resolves the addresses with resolve, dials the first that
// accepts and negotiates the stream over it.
func (c *Connector) establish(ctx context.Context, t *xmpp.Trace, resolve func(context.Context) ([]candidate, error)) (*xmpp.Stream, error) {
	w, direct, err := c.connect(ctx, t, resolve)
	if err != nil {
		return nil, err
	}
	stop := watch(ctx, w.raw)
	s, err := c.negotiate(ctx, w, direct)
	if !stop() && err == nil {
		err = &ConnectError{Step: StepBind, Addr: w.addr, Err: ctx.Err()}
	}
	if err != nil {
		w.abandon()
		return nil, err
	}
	w.raw.SetDeadline(time.Time{})
	return s, nil
}

// connect resolves (with resolve) and dials the first reachable candidate,
// or takes the connection DialConn was given. It reports whether the
// connection is to start with TLS (XEP-0368).
func (c *Connector) connect(ctx context.Context, t *xmpp.Trace, resolve func(context.Context) ([]candidate, error)) (*wire, bool, error) {
	domain := c.jid.Domainpart()
	if raw := c.takeGiven(); raw != nil {
		addr := remoteAddr(raw)
		t.Emit(xmpp.Event{Status: xmpp.StatusConnected, Addr: addr})
		c.log(t).Debug("client: using the caller's connection", "addr", addr, "directTLS", c.cfg.DirectTLS)
		return newWire(raw, addr, domain, c.cfg.StepTimeout, t), c.cfg.DirectTLS, nil
	}
	if c.dialer == nil {
		target, _ := c.pendingRedirect()
		return nil, false, &ConnectError{Step: StepDial, Addr: target, Err: xmpp.Permanent(ErrNoRedial)}
	}
	cands, err := resolve(ctx)
	if err != nil {
		return nil, false, &ConnectError{Step: StepResolve, Err: err}
	}
	raw, cand, err := c.dial(ctx, cands, func(addr string) {
		t.Emit(xmpp.Event{Status: xmpp.StatusConnecting, Addr: addr})
	})
	if err != nil {
		var ce *ConnectError
		if !errors.As(err, &ce) {
			err = &ConnectError{Step: StepDial, Addr: cand.addr, Err: err}
		}
		return nil, false, err
	}
	t.Emit(xmpp.Event{Status: xmpp.StatusConnected, Addr: cand.addr})
	c.log(t).Debug("client: connected", "addr", cand.addr, "directTLS", cand.directTLS)
	return newWire(raw, cand.addr, domain, c.cfg.StepTimeout, t), cand.directTLS, nil
}

// secure opens the stream and brings TLS up: direct TLS before the header,
// or STARTTLS after it (then the stream restarts). It returns nil state on
// a plaintext stream, which only AllowPlaintext permits.
func (c *Connector) secure(ctx context.Context, w *wire, direct bool) (*tls.ConnectionState, error) {
	var st *tls.ConnectionState
	var err error
	if direct {
		if st, err = c.handshake(ctx, w, true); err != nil {
			return nil, err
		}
		w.t.Emit(xmpp.Event{Status: xmpp.StatusTLS, Addr: w.addr})
	}
	if err := w.open(ctx); err != nil {
		return nil, err
	}
	if st == nil && w.v1 {
		if st, err = c.startTLS(ctx, w); err != nil {
			return nil, err
		}
		if st != nil {
			w.t.Emit(xmpp.Event{Status: xmpp.StatusTLS, Addr: w.addr})
			if err := w.restart(ctx); err != nil {
				return nil, err
			}
		}
	}
	if st == nil && !c.cfg.AllowPlaintext {
		return nil, w.fail(StepStream, ErrTLSRequired) // pre-XMPP-1.0 stream: no STARTTLS
	}
	return st, nil
}

// negotiate runs everything after the TCP connect (RFC 6120 §4.3, §9).
func (c *Connector) negotiate(ctx context.Context, w *wire, direct bool) (*xmpp.Stream, error) {
	w.legacy = c.cfg.Legacy == LegacyOnly
	st, err := c.secure(ctx, w, direct)
	if err != nil {
		return nil, err
	}
	s := &xmpp.Stream{Conn: nil, Decoder: w.dec, Namespace: stanza.NSClient, TLS: st}
	if c.useLegacy(w) {
		full, mech, err := c.legacyAuth(ctx, w, c.jid, st != nil)
		if err != nil {
			return nil, err
		}
		w.t.Emit(xmpp.Event{Status: xmpp.StatusAuthenticated})
		s.JID, s.Mechanism = full, mech
	} else {
		mech, err := c.authenticate(ctx, w, st)
		if err != nil {
			return nil, err
		}
		w.t.Emit(xmpp.Event{Status: xmpp.StatusAuthenticated})
		if err := w.restart(ctx); err != nil {
			return nil, err
		}
		s.Mechanism = mech
		res, prev, err := c.resume(ctx, w)
		if err != nil {
			return nil, err
		}
		s.SM = res
		if res != nil && res.Resumed {
			// XEP-0198 §5: the old session continues; nothing is bound.
			s.JID = prev
			s.Conn, s.Header, s.Features = w.conn, w.header, w.features
			return s, nil
		}
		if s.JID, err = c.bind(ctx, w, c.jid, c.resource(c.jid)); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.bound = s.JID
		c.mu.Unlock()
	}
	w.t.Emit(xmpp.Event{Status: xmpp.StatusBound, JID: s.JID})
	s.Conn, s.Header, s.Features = w.conn, w.header, w.features
	return s, nil
}

// useLegacy decides between SASL and iq:auth (Config.Legacy).
func (c *Connector) useLegacy(w *wire) bool {
	switch c.cfg.Legacy {
	case LegacyOnly, LegacyPrefer:
		return true
	case LegacyNever:
		return false
	}
	return !w.v1 || len(offeredMechanisms(w)) == 0
}
