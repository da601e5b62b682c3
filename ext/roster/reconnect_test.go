package roster

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
)

// A new session after a dropped stream may have missed roster pushes: a
// Roster that was fetched fetches again by itself.
func TestFetchAgainAfterReconnect(t *testing.T) {
	conn := xmpptest.NewConnector(t, "alice@localhost/r", "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, conn, &xmpp.Config{CloseTimeout: time.Second, Reconnect: &xmpp.Backoff{Min: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := &peer{Peer: conn.NextPeer(), t: t}
	r := New(nil)
	if _, err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := r.Fetch(ctx); done <- err }()
	req := p.Next()
	p.Send(`<iq type='result' id='` + req.Get("id") + `'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='both'/></query></iq>`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Disconnect(errors.New("test: link lost"))
	p2 := conn.NextPeer()
	again := p2.Next()
	if again.Get("type") != "get" || again.Child(NS, "query") == nil {
		t.Fatalf("after reconnecting got %v, want a roster fetch", again)
	}
	p2.Send(`<iq type='result' id='` + again.Get("id") + `'><query xmlns='jabber:iq:roster'><item jid='carol@localhost' subscription='to'/></query></iq>`)
	deadline := time.Now().Add(10 * time.Second)
	for !r.Exists(jid.MustParse("carol@localhost")) {
		if time.Now().After(deadline) {
			t.Fatal("the refetched roster was not applied")
		}
		time.Sleep(time.Millisecond)
	}
	if r.Exists(jid.MustParse("bob@localhost")) {
		t.Fatal("an item the server no longer has survived the refetch")
	}
}
