package xmpp

import (
	"context"
	"io"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// BenchmarkSendChat measures the Session's send path for one chat message
// (build, encode, write) into a peer that discards what it reads.
func BenchmarkSendChat(b *testing.B) {
	c := newPipeConnector(b)
	s, err := NewSession(context.Background(), c, &Config{SM: &StreamManagement{Disable: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := c.nextPeer(b)
	go io.Copy(io.Discard, p.conn)
	to := jid.MustParse("bob@localhost/phone")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		m := stanza.NewMessage(stanza.MessageChat, to)
		m.AddBody("", "Hello, Bob!")
		if err := s.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReceiveChat measures the Session's receive path for one chat
// message: read, decode, type, dispatch to a handler.
func BenchmarkReceiveChat(b *testing.B) {
	c := newPipeConnector(b)
	s, err := NewSession(context.Background(), c, &Config{SM: &StreamManagement{Disable: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := c.nextPeer(b)
	got := make(chan struct{}, 1024)
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		got <- struct{}{}
		return nil
	})
	msg := []byte(`<message from='alice@localhost/res' to='bob@localhost/phone' type='chat' id='m1'><body>Hello &amp; welcome, Bob! ünïcødé 日本語</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	go func() {
		for range b.N {
			if _, err := p.conn.Write(msg); err != nil {
				return
			}
		}
	}()
	for range b.N {
		<-got
	}
}
