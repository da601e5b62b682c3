package xmlstream

import (
	"bytes"
	"encoding/xml"
	"io"
	"sync"
	"testing"
)

const benchMessages = 100000

var chatStream = sync.OnceValue(func() []byte {
	b := []byte(clientHdr)
	for i := range benchMessages {
		b = append(b, chatStanza(i)...)
	}
	return append(b, "</stream:stream>"...)
})

// BenchmarkDecodeChat decodes a stream of 100,000 chat messages fed in 4 KiB
// chunks, as a Session reading from a socket would.
func BenchmarkDecodeChat(b *testing.B) {
	in := chatStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	d := NewDecoder(nil)
	for b.Loop() {
		d.Reset()
		n := 0
		for off := 0; off < len(in); off += 4096 {
			d.Feed(in[off:min(off+4096, len(in))])
			for {
				ev, err := d.Next()
				if err != nil {
					b.Fatal(err)
				}
				if ev.Kind == EventNone {
					break
				}
				if ev.Kind == EventElement {
					n++
				}
			}
		}
		if n != benchMessages {
			b.Fatalf("%d elements", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchMessages), "ns/msg")
}

// BenchmarkStdlibTokenLoop is the baseline: a bare encoding/xml Token loop
// over the same bytes, building no tree.
func BenchmarkStdlibTokenLoop(b *testing.B) {
	in := chatStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d := xml.NewDecoder(bytes.NewReader(in))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchMessages), "ns/msg")
}

// BenchmarkIndexByteScan finds every '<' of the same bytes: the practical
// upper bound of any XML scanner.
func BenchmarkIndexByteScan(b *testing.B) {
	in := chatStream()
	b.SetBytes(int64(len(in)))
	n := 0
	for b.Loop() {
		for i := 0; ; {
			k := bytes.IndexByte(in[i:], '<')
			if k < 0 {
				break
			}
			n++
			i += k + 1
		}
	}
	if n == 0 {
		b.Fatal("no '<'")
	}
}

// BenchmarkEncodeChat appends one chat message to a reused buffer.
func BenchmarkEncodeChat(b *testing.B) {
	e, err := Parse([]byte(chatStanza(1)), "jabber:client", nil)
	if err != nil {
		b.Fatal(err)
	}
	buf := AppendElement(nil, e, "jabber:client")
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendElement(buf[:0], e, "jabber:client")
	}
}

type stdChat struct {
	XMLName xml.Name `xml:"jabber:client message"`
	From    string   `xml:"from,attr"`
	To      string   `xml:"to,attr"`
	Type    string   `xml:"type,attr"`
	ID      string   `xml:"id,attr"`
	Body    string   `xml:"body"`
	Active  struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/chatstates active"`
	}
}

// BenchmarkStdlibEncode encodes an equivalent struct with encoding/xml into
// a reused buffer.
func BenchmarkStdlibEncode(b *testing.B) {
	e, err := Parse([]byte(chatStanza(1)), "jabber:client", nil)
	if err != nil {
		b.Fatal(err)
	}
	v := stdChat{From: e.Get("from"), To: e.Get("to"), Type: e.Get("type"), ID: e.Get("id"), Body: e.ChildText("", "body")}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(&v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(&v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseChat parses one chat message with Parse.
func BenchmarkParseChat(b *testing.B) {
	in := []byte(chatStanza(1))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in, "jabber:client", nil); err != nil {
			b.Fatal(err)
		}
	}
}
