package stanza

import (
	"bytes"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

const benchChat = `<message from='alice@localhost/res' to='bob@localhost' type='chat' id='a1b2c3d4'>` +
	`<body>Hello &amp; welcome — ünïcødé 日本語</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`

var (
	sinkString string
	sinkInt    int
)

// decodeChat is the hot path: element → Message → body, plus the payload
// walk a handler would do.
func decodeChat(e *xmlstream.Element) {
	m, err := MessageFromElement(e)
	if err != nil {
		panic(err)
	}
	sinkString = m.Body("")
	for p := range m.Payloads() {
		sinkInt += len(p.Name.Local)
	}
}

func chatMessage() Message {
	m := NewMessage(MessageChat, j("bob@localhost"))
	m.From = j("alice@localhost/res")
	m.ID = "a1b2c3d4"
	m.AddBody("", "Hello & welcome — ünïcødé 日本語")
	m.AddPayload(xmlstream.New("http://jabber.org/protocol/chatstates", "active"))
	return m
}

// The allocation targets of the brief are hard limits, so they are tests.
func TestAllocs(t *testing.T) {
	e := parse(t, benchChat)
	if n := testing.AllocsPerRun(100, func() { decodeChat(e) }); n != 0 {
		t.Errorf("MessageFromElement + Body + Payloads: %v allocs, want 0", n)
	}
	p := parse(t, `<presence from='alice@localhost/res'><show>away</show><status>out</status><priority>5</priority></presence>`)
	if n := testing.AllocsPerRun(100, func() {
		pr, _ := PresenceFromElement(p)
		sinkString = string(pr.Show())
		sinkString = pr.Status("")
		sinkInt = int(pr.Priority())
	}); n != 0 {
		t.Errorf("PresenceFromElement + accessors: %v allocs, want 0", n)
	}
	q := parse(t, `<iq from='alice@localhost/res' to='localhost' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>`)
	if n := testing.AllocsPerRun(100, func() {
		iq, _ := IQFromElement(q)
		sinkString = iq.Payload().Name.Space
	}); n != 0 {
		t.Errorf("IQFromElement + Payload: %v allocs, want 0", n)
	}
	m := chatMessage()
	buf := make([]byte, 0, 1024)
	if n := testing.AllocsPerRun(100, func() { buf = m.AppendXML(buf[:0]) }); n != 0 {
		t.Errorf("Message.AppendXML: %v allocs, want 0", n)
	}
	se := Error{Type: Cancel, Condition: ItemNotFound, Text: "x", Lang: "en"}
	if n := testing.AllocsPerRun(100, func() { buf = se.AppendXML(buf[:0]) }); n != 0 {
		t.Errorf("Error.AppendXML: %v allocs, want 0", n)
	}
	st := StreamError{Condition: StreamSeeOtherHost, Redirect: "example.net"}
	if n := testing.AllocsPerRun(100, func() { buf = st.AppendXML(buf[:0]) }); n != 0 {
		t.Errorf("StreamError.AppendXML: %v allocs, want 0", n)
	}
}

// BenchmarkMessageFromElement measures turning a decoded chat message into a
// Message and reading its body and payloads (0 allocs/op).
func BenchmarkMessageFromElement(b *testing.B) {
	e := parse(b, benchChat)
	b.ReportAllocs()
	for b.Loop() {
		decodeChat(e)
	}
}

// BenchmarkMessageAppendXML measures encoding a chat message into a reused
// buffer (0 allocs/op).
func BenchmarkMessageAppendXML(b *testing.B) {
	m := chatMessage()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = m.AppendXML(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkDecodeChatToMessage measures the whole read path: bytes fed to an
// xmlstream.Decoder, one chat message element out, turned into a Message.
// Its allocs/op are the decoder's per-element allocations and nothing more.
func BenchmarkDecodeChatToMessage(b *testing.B) {
	const n = 1000
	stream := []byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>`)
	body := bytes.Repeat([]byte(benchChat), n)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d := xmlstream.NewDecoder(nil)
		d.Feed(stream)
		if ev, err := d.Next(); err != nil || ev.Kind != xmlstream.EventStreamStart {
			b.Fatal(ev.Kind, err)
		}
		for off := 0; off < len(body); off += 4096 {
			d.Feed(body[off:min(off+4096, len(body))])
			for {
				ev, err := d.Next()
				if err != nil {
					b.Fatal(err)
				}
				if ev.Kind == xmlstream.EventNone {
					break
				}
				decodeChat(ev.Element)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
}
