package component

import (
	"context"
	"log/slog"
	"net"
	"time"

	xmpp "parley.dev/xmpp"
)

// Protocol selects how the component connects.
type Protocol uint8

const (
	// XEP0114 is the Jabber Component Protocol (XEP-0114), the default.
	XEP0114 Protocol = iota
	// Jabberd2 is the jabberd2 router's own component protocol.
	Jabberd2
)

// String returns the name used on the command line: "xep0114" or "jabberd2".
func (p Protocol) String() string {
	if p == Jabberd2 {
		return "jabberd2"
	}
	return "xep0114"
}

// Config tunes a component connection. A nil *Config means every default.
type Config struct {
	// Protocol selects XEP-0114 (default) or the jabberd2 router protocol.
	Protocol Protocol
	// User is the router user that authenticates with the jabberd2 router
	// protocol (a <name/> in the router's users file). Default: the domain.
	User string
	// Names lists the extra names to bind on the jabberd2 router besides the
	// domain (XEP-0114 serves exactly the stream's domain). Default none.
	Names []string
	// StepTimeout bounds each negotiation step (TCP connect, stream header,
	// handshake or SASL, bind). Default 30 s.
	StepTimeout time.Duration
	// Dialer opens the TCP connection. Default: a net.Dialer.
	Dialer *net.Dialer
	// DialContext, when set, opens every connection (the first and each
	// reconnect) in Dialer's place: network is "tcp" and addr the
	// Connector's address, so a proxy or tunnel can carry the component's
	// stream (a golang.org/x/net/proxy ContextDialer's DialContext fits).
	// The connection must support deadlines, which bound each negotiation
	// step. Default nil: Dialer.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// Extensions are added to the Session that Dial returns, in order.
	// Default nil: DefaultExtensions (service discovery with the identity
	// component/generic, and ping). A non-nil list is used as it is.
	Extensions []xmpp.Extension
	// Session configures the Session: handlers' logger, trace hooks,
	// events, reconnect, queue. Default nil (Session defaults).
	Session *xmpp.Config
	// Logger receives negotiation logging. Default: Session.Logger.
	Logger *slog.Logger
}

func (c *Config) withDefaults() Config {
	var out Config
	if c != nil {
		out = *c
	}
	if out.StepTimeout <= 0 {
		out.StepTimeout = 30 * time.Second
	}
	if out.Dialer == nil {
		out.Dialer = &net.Dialer{}
	}
	if out.DialContext == nil {
		out.DialContext = out.Dialer.DialContext
	}
	return out
}
