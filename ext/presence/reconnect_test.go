package presence

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

// A new session knows no presence until the server sends it again: the
// database from the dropped stream is cleared, not left stale.
func TestDBClearedOnNewSession(t *testing.T) {
	peers := make(chan *peer, 4)
	conn := xmpp.ConnectorFunc(func(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
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
			JID: jid.MustParse("alice@localhost/r"), Namespace: "jabber:client"}, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, conn, &xmpp.Config{CloseTimeout: time.Second, Reconnect: &xmpp.Backoff{Min: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := <-peers
	m := New(nil)
	if _, err := s.Add(m); err != nil {
		t.Fatal(err)
	}
	bob := jid.MustParse("bob@localhost")
	p.send(`<presence from='bob@localhost/phone'><priority>5</priority></presence>`)
	p.sync()
	if len(m.DB().Resources(bob)) != 1 {
		t.Fatalf("resources of bob = %v, want one", m.DB().Resources(bob))
	}
	s.Disconnect(errors.New("test: link lost"))
	<-peers
	deadline := time.Now().Add(10 * time.Second)
	for len(m.DB().Resources(bob)) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("presence of the dropped session survived a new session")
		}
		time.Sleep(time.Millisecond)
	}
}
