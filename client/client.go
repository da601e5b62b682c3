package client

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/jid"
)

// Dial connects account j (resolving its server per RFC 6120 §3.2 unless
// cfg.Server is set), secures the stream, authenticates, binds a resource
// and returns a ready Session with cfg.Extensions added (by default the
// disco and ping responders). The Session reconnects through the same
// Connector when cfg.Session.Reconnect is set. DialConn does the same over
// a connection the caller opened.
//
// The first connection is not retried: a wrong password (*sasl.Failure or a
// legacy not-authorized, marked permanent) or an unreachable server
// (*ConnectError) is returned at once.
func Dial(ctx context.Context, j jid.JID, cfg *Config) (*xmpp.Session, error) {
	c, err := NewConnector(j, cfg)
	if err != nil {
		return nil, err
	}
	return start(ctx, c)
}

// start opens the Session over c, configured by c's Config.Session, and
// adds Config.Extensions (DefaultExtensions when nil): what Dial and
// DialConn share. A Connector that cannot dial (DialConn without a dial
// function) gets a Session that does not reconnect: a dropped stream then
// ends it with its own cause rather than a failed attempt's.
func start(ctx context.Context, c *Connector) (*xmpp.Session, error) {
	var sc xmpp.Config
	if c.cfg.Session != nil {
		sc = *c.cfg.Session
	}
	if c.dialer == nil {
		sc.Reconnect = nil
	}
	exts := c.cfg.Extensions
	if exts == nil {
		exts = DefaultExtensions()
	}
	// Added before the Session reads: a disco#info or ping that arrives
	// right after bind is answered by them, not with service-unavailable.
	sc.Extensions = append(exts[:len(exts):len(exts)], sc.Extensions...)
	return xmpp.NewSession(ctx, c, &sc)
}

// DefaultExtensions returns what Dial adds when Config.Extensions is nil:
// a service discovery responder (XEP-0030, identity client/bot, features of
// every extension added later included) and a ping responder (XEP-0199).
func DefaultExtensions() []xmpp.Extension {
	return []xmpp.Extension{disco.New(nil), ping.New(nil)}
}
