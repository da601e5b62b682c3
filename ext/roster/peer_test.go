package roster

import (
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
)

// peer is the scripted server end of an in-memory stream (xmpptest.Peer),
// with the roster helpers of push_test.go.
type peer struct {
	*xmpptest.Peer
	t testing.TB
}

// newPeerSession returns a Session bound to own over an in-memory pipe and
// the scripted server on the other end. features is the post-bind
// <stream:features/> content, "" for none.
func newPeerSession(t *testing.T, own string, features string) (*xmpp.Session, *peer) {
	s, p, _ := xmpptest.PeerSession(t, own, features, nil)
	return s, &peer{Peer: p, t: t}
}
