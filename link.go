package xmpp

import "parley.dev/xmpp/xmlstream"

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
