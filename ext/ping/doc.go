// Package ping implements XEP-0199 XMPP Ping: answering pings, sending
// them to measure a round trip, and a keepalive that finds a dead link.
//
// New returns an xmpp.Extension that answers <ping xmlns='urn:xmpp:ping'/>
// requests with an empty result (XEP-0199 §4.2, §5) and advertises the
// urn:xmpp:ping feature (§8). Ping sends one (client-to-server §4.2 by
// default, or to any entity, §4.3) and returns the round-trip time.
//
// With Config.Interval set, the extension also runs a keepalive (§6): every
// Interval it pings the server, and when no answer, not even an error,
// comes within Config.Timeout it declares the link dead and calls
// Session.Disconnect with ErrLinkDead, so that the Session reconnects (or
// resumes with XEP-0198) as after any lost connection. An error answer
// (a server that does not implement ping answers service-unavailable,
// §4.2) still proves that the link works.
package ping
