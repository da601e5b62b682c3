package version_test

import (
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
)

// newPair returns two Sessions linked in memory (see xmpptest.Pair).
func newPair(t testing.TB) (a, b *xmpp.Session) { return xmpptest.Pair(t) }
