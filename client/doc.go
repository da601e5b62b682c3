// Package client opens XMPP client streams: the Go counterpart of
// Net::XMPP::Client's Connect/AuthSend, Jabber::Connection's connect/auth and
// POE::Component::Jabber's XMPP and LEGACY connection types.
//
// A Connector does, for one account, everything between "I have a JID and a
// password" and "stanzas can flow", and hands the result to the root
// package's Session as an xmpp.Stream:
//
//   - Connecting (RFC 6120 §3.2): DNS SRV records _xmpps-client._tcp
//     (XEP-0368 direct TLS) and _xmpp-client._tcp, merged and ordered by
//     priority and weight (RFC 2782); a lone "." target means the service is
//     not offered; without records, the domain on port 5222. Config.Server
//     skips DNS. Redirect sends the connection attempts that follow to a
//     see-other-host target (§4.9.3.19; a bare name is resolved like a
//     domain) until one of them establishes a stream; a target that cannot
//     be reached falls back to the usual server, and once the redirected
//     stream drops the server is resolved as usual again.
//   - Securing (RFC 6120 §5): STARTTLS is required unless
//     Config.AllowPlaintext; the certificate is checked against the JID's
//     domain (§13.7.2.1), never a host from DNS or a redirect. Bytes that
//     arrive after <proceed/> in the same read are refused, and every stream
//     restart forgets the features learnt before it (§5.4.3.3, §6.4.6).
//   - Authenticating (RFC 6120 §6): the sasl package picks the strongest
//     mechanism offered (SCRAM with channel binding per XEP-0440 where it
//     can); a <failure/> is a *sasl.Failure. Without SASL (pre-XMPP-1.0
//     servers, or on request) jabber:iq:auth (XEP-0078) logs in with the
//     digest, or the password over TLS.
//   - Binding (RFC 6120 §7) the requested or a server-assigned resource, and
//     the RFC 3921 §3 session when the server still asks for it.
//
// Every step is bounded by Config.StepTimeout and the caller's ctx, so a
// silent server never hangs a caller. Failures are *ConnectError values
// naming the step; those that retrying cannot fix (wrong password, refused
// mechanism, resource conflict) are marked with xmpp.Permanent so that the
// Session does not reconnect after them.
//
// Register creates an account before login (XEP-0077 §3.1) on a stream of
// its own; log in afterwards with a new Connector (jabberd2 needs the new
// connection).
//
// # Dial
//
// Dial (client.go) is the one call most programs need: a Connector plus the
// root package's Session, which reconnects through the same Connector. Use
// NewConnector directly to hand a Connector to xmpp.NewSession yourself.
//
// DialConn (dialconn.go) does the same over a connection the caller opened
// (a proxy, an SSH port forward, a socket pair): TLS, checked against the
// JID's domain, authentication and binding run on it. Config.DialContext
// makes every connection, reconnects and redirects included, go through
// the caller's dial function instead of a net.Dialer; a DialConn Session
// reconnects only with one.
package client
