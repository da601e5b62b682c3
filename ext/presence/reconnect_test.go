package presence

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
)

// A new session knows no presence until the server sends it again: the
// database from the dropped stream is cleared, not left stale.
func TestDBClearedOnNewSession(t *testing.T) {
	conn := xmpptest.NewConnector(t, "alice@localhost/r", "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, conn, &xmpp.Config{CloseTimeout: time.Second, Reconnect: &xmpp.Backoff{Min: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := conn.NextPeer()
	m := New(nil)
	if _, err := s.Add(m); err != nil {
		t.Fatal(err)
	}
	bob := jid.MustParse("bob@localhost")
	p.Send(`<presence from='bob@localhost/phone'><priority>5</priority></presence>`)
	p.Sync()
	if len(m.DB().Resources(bob)) != 1 {
		t.Fatalf("resources of bob = %v, want one", m.DB().Resources(bob))
	}
	s.Disconnect(errors.New("test: link lost"))
	conn.NextPeer()
	deadline := time.Now().Add(10 * time.Second)
	for len(m.DB().Resources(bob)) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("presence of the dropped session survived a new session")
		}
		time.Sleep(time.Millisecond)
	}
}
