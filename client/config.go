package client

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/sasl"
)

// LegacyMode chooses when jabber:iq:auth (XEP-0078) is used instead of SASL
// (RFC 6120 §6).
type LegacyMode uint8

const (
	// LegacyAuto (the default) uses iq:auth only when the server cannot do
	// SASL: the stream header has no version (a pre-XMPP-1.0 server,
	// RFC 6120 §4.7.5) or the features offer no SASL mechanism.
	LegacyAuto LegacyMode = iota
	// LegacyNever never uses iq:auth: a server without SASL is an error.
	LegacyNever
	// LegacyPrefer opens an XMPP 1.0 stream (STARTTLS as usual) and then
	// authenticates with iq:auth even when SASL is offered (servers that
	// advertise http://jabber.org/features/iq-auth, XEP-0078 §3).
	LegacyPrefer
	// LegacyOnly is the connection type for pre-XMPP-1.0 servers
	// (POE::Component::Jabber's LEGACY): the stream header carries no
	// version, so there are no stream features, no STARTTLS and no SASL
	// (XEP-0078 §2). Use it with DirectTLS, or with AllowPlaintext.
	LegacyOnly
)

var legacyNames = [...]string{"auto", "never", "prefer", "only"}

// String returns "auto", "never", "prefer" or "only".
func (m LegacyMode) String() string {
	if int(m) < len(legacyNames) {
		return legacyNames[m]
	}
	return "legacy(?)"
}

// DefaultStepTimeout bounds each negotiation step when Config.StepTimeout
// is zero.
const DefaultStepTimeout = 30 * time.Second

// Config tunes a Connector. A nil *Config means every default. NewConnector
// clones the Config before filling in defaults, so callers may reuse it; the
// pointed-to TLSConfig and SASL values are cloned too.
type Config struct {
	// Password is the account's password, for SASL and iq:auth. Default "".
	Password string

	// Resource is the resource to request at bind (RFC 6120 §7.6). Default
	// "": the server assigns one. The server may change it: the bound JID
	// is in Stream.JID. When the server answers <conflict/> to a requested
	// resource, the Connector retries once with a server-assigned one
	// (RFC 6120 §7.7.2.2).
	Resource string

	// Server is a "host:port" to connect to instead of looking up DNS SRV
	// records (Jabber::Connection's server, RFC 6120 §3.2.3). DialConn's
	// first connection does not use it; its reconnects do. Default "":
	// RFC 6120 §3.2 and XEP-0368 resolution for the JID's domain.
	Server string

	// DirectTLS speaks TLS from the first byte (XEP-0368) instead of
	// STARTTLS. With Server set it applies to that address; without, only
	// _xmpps-client._tcp SRV records are used. For DialConn it says that
	// the caller's connection leads to a direct TLS port. Default false:
	// SRV records of both kinds, each with its own TLS mode (DialConn:
	// STARTTLS).
	DirectTLS bool

	// TLSConfig holds root CAs, client certificates (for SASL EXTERNAL),
	// minimum version and so on. Default nil: system roots, TLS 1.2 at
	// least. ServerName is always forced to the JID's domain (RFC 6120
	// §13.7.2.1), whatever address is dialed, and InsecureSkipVerify is
	// always replaced by InsecureSkipTLSVerify.
	TLSConfig *tls.Config

	// InsecureSkipTLSVerify turns off certificate verification. Anyone on
	// the path can then read the password. Tests only. A warning is logged
	// for each connection. Default false.
	InsecureSkipTLSVerify bool

	// AllowPlaintext allows a stream without TLS when the server offers no
	// STARTTLS (or with LegacyOnly). Default false: such a stream is
	// ErrTLSRequired (RFC 6120 §5.3.1 mandatory-to-negotiate).
	AllowPlaintext bool

	// SASL is the mechanism policy (see sasl.Config). Default nil: the
	// sasl package's defaults (strongest first, no PLAIN while SCRAM is
	// offered, PLAIN only over TLS). Without a SaltCache in it, each
	// Connector keeps its own, so that reconnecting skips PBKDF2
	// (RFC 5802 §5.1 allows caching the salted password per salt and
	// iteration count).
	SASL *sasl.Config

	// Legacy chooses when iq:auth (XEP-0078) is used. Default LegacyAuto.
	Legacy LegacyMode

	// LegacyZeroK allows jabberd 1.x zero-knowledge iq:auth (the <hash/>
	// computed from <sequence/> and <token/>), tried before digest as
	// Jabber::Connection did. Obsolete: no current server offers it and
	// XEP-0078 dropped it. Default false.
	LegacyZeroK bool

	// AllowLegacyPlaintext allows the iq:auth <password/> method on a
	// stream without TLS. Default false: only <digest/> without TLS.
	AllowLegacyPlaintext bool

	// StepTimeout bounds each step of the negotiation: every TCP connect,
	// TLS handshake, and every wait for the server's next element (stream
	// header, features, STARTTLS answer, each SASL answer, bind, iq:auth).
	// The ctx given to Connect bounds the whole. Default 30 s.
	StepTimeout time.Duration

	// DialContext, when set, opens every transport connection in Dialer's
	// place, for Dial, Register and every reconnect: to each address found
	// for the JID's domain (RFC 6120 §3.2.1 SRV targets, or the §3.2.2
	// fallback), to Server (§3.2.3), to a see-other-host redirect
	// (§4.9.3.19) and to an XEP-0198 §5 resumption location. network is
	// "tcp" and addr a "host:port" whose host may be a name, unresolved, so
	// a proxy can resolve it (a golang.org/x/net/proxy ContextDialer's
	// DialContext fits). The connection must carry the stream's bytes to
	// that address unchanged and support deadlines, which bound each
	// negotiation step; TLS (STARTTLS, or direct TLS for XEP-0368
	// candidates) runs over it with the certificate checked against the
	// JID's domain (§13.7.2.1), whatever was dialed. SRV lookups still go
	// through Resolver: set Server to make none. Default nil: Dialer.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)

	// Dialer dials TCP when DialContext is nil; its fields (LocalAddr,
	// KeepAlive, Control, ...) tune the connection. Default: a zero
	// net.Dialer.
	Dialer *net.Dialer

	// Resolver looks up SRV records. Default net.DefaultResolver.
	Resolver *net.Resolver

	// Extensions are added to the Session that Dial returns, in order.
	// Default nil: DefaultExtensions, the service discovery (XEP-0030) and
	// ping (XEP-0199) responders every entity should run (RFC 6120 §8.4
	// leaves everything else to service-unavailable). A non-nil list is
	// used as it is: include disco and ping yourself if you want them.
	Extensions []xmpp.Extension

	// Session configures the Session that Dial returns: logger, trace
	// hooks, status events, reconnect policy, queue sizes. Default nil:
	// the Session's defaults (see xmpp.Config).
	Session *xmpp.Config

	// Logger receives the connector's logging. Default: the Trace's logger
	// given to Connect (itself discarding when the Session has none).
	Logger *slog.Logger
}

// srvLookup is the shape of net.Resolver.LookupSRV; tests replace it.
type srvLookup func(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)

// defaultDialer is the zero net.Dialer that every Connector without a
// Config.Dialer shares (it is only ever read).
var defaultDialer = &net.Dialer{}

// withDefaults returns a copy of c with every default filled in.
func (c *Config) withDefaults() Config {
	var out Config
	if c != nil {
		out = *c
	}
	if out.StepTimeout <= 0 {
		out.StepTimeout = DefaultStepTimeout
	}
	if out.Dialer == nil {
		out.Dialer = defaultDialer
	}
	if out.Resolver == nil {
		out.Resolver = net.DefaultResolver
	}
	if out.SASL != nil {
		s := *out.SASL
		out.SASL = &s
	} else {
		out.SASL = &sasl.Config{}
	}
	if out.SASL.SaltCache == nil {
		out.SASL.SaltCache = sasl.NewSaltCache(4)
	}
	if out.TLSConfig != nil {
		out.TLSConfig = out.TLSConfig.Clone()
	}
	return out
}

// tlsConfig returns the TLS configuration for connections to domain:
// ServerName forced to the domain (never a dialed host), verification as
// configured, TLS 1.2 at least. It completes c.TLSConfig in place (the
// private clone withDefaults made) rather than cloning it again, so call it
// once, on a Config that withDefaults returned.
func (c *Config) tlsConfig(domain string) *tls.Config {
	t := c.TLSConfig
	if t == nil {
		t = &tls.Config{}
	}
	c.TLSConfig = nil // t is the Connector's now
	t.ServerName = domain
	t.InsecureSkipVerify = c.InsecureSkipTLSVerify
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	return t
}
