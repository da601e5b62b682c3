package client

import (
	"context"
	"errors"
	"net"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
)

// DialConn is Dial over conn, a connection the caller opened to j's server
// (RFC 6120 §3.1): through a proxy, an SSH port forward, a socket pair, an
// in-memory pipe. Nothing is resolved or dialed for it, and cfg.Server plays
// no part in it. On conn, DialConn negotiates as Dial does: TLS, by
// STARTTLS (RFC 6120 §5), or at once when cfg.DirectTLS says conn leads to a
// direct TLS port (XEP-0368), with the server's certificate checked against
// j's domain (§13.7.2.1) whatever conn is connected to; then SASL (§6) or
// iq:auth per cfg.Legacy, and resource binding (§7). The Session returned
// is the one Dial returns, with cfg.Extensions (by default
// DefaultExtensions) added.
//
// conn is DialConn's from the call on: the Session closes it, and DialConn
// does when it fails. TLS always runs over it, even when conn is a TLS
// connection itself (to a proxy, say). conn must support deadlines
// (SetDeadline), which bound each negotiation step (cfg.StepTimeout) and
// the Session's writes.
//
// conn cannot be dialed again, yet every later connection needs a new one:
// a reconnect after the stream dropped (cfg.Session.Reconnect, RFC 6120
// §3.3), Session.Reconnect, a see-other-host redirect (§4.9.3.19), an
// XEP-0198 §5 resumption. The Session dials those as Dial's would, through
// cfg.DialContext or cfg.Dialer: set one of them (to reach the server the
// way conn did) for the Session to reconnect. With neither set, the
// Session does not reconnect: cfg.Session.Reconnect is ignored and a
// dropped stream ends the Session; a new connection asked for all the same
// (by Session.Reconnect, or a redirect while negotiating) fails with
// ErrNoRedial, which is permanent.
func DialConn(ctx context.Context, conn net.Conn, j jid.JID, cfg *Config) (*xmpp.Session, error) {
	if conn == nil {
		return nil, errors.New("client: DialConn: nil connection")
	}
	c, err := NewConnector(j, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	c.given = conn
	if cfg == nil || (cfg.DialContext == nil && cfg.Dialer == nil) {
		c.dialer = nil
	}
	s, err := start(ctx, c)
	if err != nil {
		// A failed negotiation closed conn; this closes it when the
		// Session failed before taking it.
		if raw := c.takeGiven(); raw != nil {
			raw.Close()
		}
		return nil, err
	}
	return s, nil
}

// takeGiven returns DialConn's connection once, then nil.
func (c *Connector) takeGiven() net.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	raw := c.given
	c.given = nil
	return raw
}

// remoteAddr names a caller's connection in events and errors: its remote
// address, or "" when it has none (an unnamed socket, a custom transport).
func remoteAddr(c net.Conn) string {
	if a := c.RemoteAddr(); a != nil {
		return a.String()
	}
	return ""
}
