package xmpp

import (
	"errors"

	"parley.dev/xmpp/xmlstream"
)

// StreamFeatures returns the stream features the server announced last
// (after bind for a client: stream management, roster versioning, ...), or
// nil when no stream is up or the peer sent none.
func (s *Session) StreamFeatures() *xmlstream.Element {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return nil
	}
	return s.st.Features
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
// reconnect and connect to another host). The identity checked on the new
// connection stays the same (the JID's domain for a client). Stream
// management resumes the session when it can. It works whether or not
// Config.Reconnect is set; without it, only this one reconnection is tried.
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
