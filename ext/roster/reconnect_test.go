package roster

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// reconnecting hands out a new in-memory stream, and its scripted peer on
// peers, for every Connect.
func reconnecting(t *testing.T, own string) (xmpp.Connector, chan *peer) {
	peers := make(chan *peer, 4)
	return xmpp.ConnectorFunc(func(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
		client, server := net.Pipe()
		p := &peer{t: t, conn: server, els: make(chan *xmlstream.Element, 64)}
		go p.read()
		t.Cleanup(func() { server.Close() })
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader))
		ev, err := dec.Next()
		if err != nil {
			return nil, err
		}
		peers <- p
		return &xmpp.Stream{Conn: tr.Conn(client), Decoder: dec, Header: ev.Header,
			JID: jid.MustParse(own), Namespace: "jabber:client"}, nil
	}), peers
}

// A new session after a dropped stream may have missed roster pushes: a
// Roster that was fetched fetches again by itself.
func TestFetchAgainAfterReconnect(t *testing.T) {
	conn, peers := reconnecting(t, "alice@localhost/r")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, conn, &xmpp.Config{CloseTimeout: time.Second, Reconnect: &xmpp.Backoff{Min: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := <-peers
	r := New(nil)
	if _, err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := r.Fetch(ctx); done <- err }()
	req := p.next()
	p.send(`<iq type='result' id='` + req.Get("id") + `'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='both'/></query></iq>`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Disconnect(errors.New("test: link lost"))
	p2 := <-peers
	again := p2.next()
	if again.Get("type") != "get" || again.Child(NS, "query") == nil {
		t.Fatalf("after reconnecting got %v, want a roster fetch", again)
	}
	p2.send(`<iq type='result' id='` + again.Get("id") + `'><query xmlns='jabber:iq:roster'><item jid='carol@localhost' subscription='to'/></query></iq>`)
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
