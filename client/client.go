package client

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
)

// Dial connects account j (resolving its server per RFC 6120 §3.2 unless
// cfg.Server is set), secures the stream, authenticates, binds a resource
// and returns a ready Session. The Session reconnects through the same
// Connector when cfg.Session.Reconnect is set.
//
// The first connection is not retried: a wrong password (*sasl.Failure or a
// legacy not-authorized, marked permanent) or an unreachable server
// (*ConnectError) is returned at once.
func Dial(ctx context.Context, j jid.JID, cfg *Config) (*xmpp.Session, error) {
	c, err := NewConnector(j, cfg)
	if err != nil {
		return nil, err
	}
	var scfg *xmpp.Config
	if cfg != nil {
		scfg = cfg.Session
	}
	return xmpp.NewSession(ctx, c, scfg)
}
