package xmpp

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"
	"time"

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
	sendChats(b, s)
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

// BenchmarkSendChatSM is BenchmarkSendChat with stream management on: each
// message is kept until the peer acknowledges it. The peer scans the bytes
// (it decodes nothing, so that the allocations counted are the Session's)
// and answers every ack request with the count of messages before it.
func BenchmarkSendChatSM(b *testing.B) {
	c := newPipeConnector(b)
	c.features = smFeatures
	c.raw = true
	enabled := make(chan struct{})
	// The peer reads from the start (NewSession writes <enable/>, and
	// net.Pipe has no buffer).
	go func() { smAckingPeer(<-c.peers, enabled) }()
	s, err := NewSession(context.Background(), c, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	<-enabled
	for !s.SMStats().Enabled {
		time.Sleep(time.Millisecond)
	}
	sendChats(b, s)
}

// smAckingPeer reads a raw peer: it enables stream management when asked
// (closing enabled) and answers each <r/> with the number of messages read
// before it.
func smAckingPeer(p *peer, enabled chan struct{}) {
	// The answers go out on their own goroutine: a write on net.Pipe waits
	// for the Session's reader, which may wait for the send in progress,
	// which waits for this reader.
	acks := make(chan int, 1)
	defer close(acks)
	go func() {
		for h := range acks {
			if h < 0 {
				p.conn.Write([]byte("<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>"))
				continue
			}
			p.conn.Write([]byte("<a xmlns='urn:xmpp:sm:3' h='" + strconv.Itoa(h) + "'/>"))
		}
	}()
	msg, req, enable := []byte("<message"), []byte("<r xmlns"), []byte("<enable ")
	var carry []byte
	buf := make([]byte, 32<<10)
	h, on := 0, false
	for {
		n, err := p.conn.Read(buf)
		if err != nil {
			return
		}
		carry = append(carry, buf[:n]...)
		i := 0
		for {
			j := bytes.IndexByte(carry[i:], '<')
			if j < 0 {
				i = len(carry)
				break
			}
			i += j
			if len(carry)-i < len(msg) {
				break // the rest of a tag is still to come
			}
			switch rest := carry[i:]; {
			case !on && bytes.HasPrefix(rest, enable):
				on = true
				acks <- -1
				close(enabled)
			case bytes.HasPrefix(rest, msg):
				h++
			case bytes.HasPrefix(rest, req):
				acks <- h
			}
			i++
		}
		carry = append(carry[:0], carry[i:]...)
	}
}

// sendChats is the measured loop of the send benchmarks: one chat message
// built and sent per iteration.
func sendChats(b *testing.B, s *Session) {
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
