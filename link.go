package xmpp

import (
	"errors"

	"parley.dev/xmpp/xmlstream"
)

// StreamFeatures returns the stream features the server announced last
// (RFC 6120 §4.3.2; after bind for a client: stream management, roster
// versioning, ...), or nil when no stream is up or the peer sent none. Each
// call returns a new copy, which the caller may keep or modify.
func (s *Session) StreamFeatures() *xmlstream.Element {
	s.mu.Lock()
	var b string
	if s.st != nil {
		b = s.st.features
	}
	s.mu.Unlock()
	if b == "" {
		return nil
	}
	e, err := xmlstream.Parse([]byte(b), "", nil)
	if err != nil {
		return nil // not reached: b is the encoding of a decoded element
	}
	return e
}

// keepFeatures replaces st's features by their wire form once attach has
// read what it needs from them: a quiet Session then keeps a few hundred
// bytes rather than the decoded tree, whose strings share a block with the
// raw bytes of the whole element. Session.mu is held.
func keepFeatures(st *Stream) {
	if st.Features != nil {
		st.features = string(xmlstream.AppendElement(nil, st.Features, ""))
		st.Features = nil
	}
}

// Disconnect drops the current stream's transport without closing the
// Session, as when the link is found dead (a keepalive timeout): the
// Session handles it like any lost connection, reconnecting when
// configured. cause is reported as the reason (StatusDisconnected, and Err
// if the Session ends).
func (s *Session) Disconnect(cause error) {
	s.mu.Lock()
	st := s.st
	if st != nil && s.dropCause == nil {
		s.dropCause = cause
	}
	s.mu.Unlock()
	if st != nil {
		st.Conn.Close()
	}
}

// ErrReconnectRequested is the cause reported when Reconnect drops a stream.
var ErrReconnectRequested = errors.New("xmpp: reconnect requested")

// Reconnect drops the current stream and connects again, to hostport when it
// is not empty and the Connector can be redirected (POE::Component::Jabber's
// reconnect and connect to another host). hostport takes the forms of a
// see-other-host target (RFC 6120 §4.9.3.19): "host:port", or a bare host
// that the Connector resolves (see Redirector). It holds for the connection
// attempts that follow until one of them establishes a stream, not beyond:
// when that stream drops in its turn, the Session reconnects to the usual
// server (DNS SRV, client.Config.Server). The identity checked on the new
// connection stays the same (the JID's domain for a client). Stream
// management resumes the session when it can. It works whether or not
// Config.Reconnect is set; without it, only this one reconnection is tried.
// A requested reconnect is not a redirect: it does not count towards
// Config.MaxRedirects, and the stream it drops counts as one that stayed up
// normally.
func (s *Session) Reconnect(hostport string) error {
	if hostport != "" {
		r, ok := s.conn.(Redirector)
		if !ok {
			return errors.New("xmpp: this connector cannot connect elsewhere")
		}
		r.Redirect(hostport)
	}
	s.mu.Lock()
	if s.state == StateClosed || s.closing {
		s.mu.Unlock()
		return ErrClosed
	}
	s.forceReconnect = true
	s.mu.Unlock()
	s.Disconnect(ErrReconnectRequested)
	return nil
}
