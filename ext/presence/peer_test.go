package presence

import (
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
)

// peer is the scripted server end of an in-memory stream (xmpptest.Peer).
type peer = xmpptest.Peer

// newPeerSession returns a Session bound to own over an in-memory pipe and
// the scripted server on the other end.
func newPeerSession(t *testing.T, own string) (*xmpp.Session, *peer) {
	s, p, _ := xmpptest.PeerSession(t, own, "", nil)
	return s, p
}
