package xmlstream

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// idleStream is a header, stanzas of several sizes (one larger than
// readChunk, so the buffer grows and is dropped rather than pooled),
// whitespace between them, and the close.
func idleStream() []byte {
	var b strings.Builder
	b.WriteString(clientHdr)
	for i := range 20 {
		b.WriteString(chatStanza(i))
		if i%3 == 0 {
			b.WriteString("\n ")
		}
		if i == 7 {
			b.WriteString("<message><body>" + strings.Repeat("y", 3*readChunk) + "</body></message>")
		}
	}
	b.WriteString("</stream:stream>")
	return []byte(b.String())
}

// decodeRoom decodes everything r yields, read through Room and Commit.
func decodeRoom(r io.Reader) []string {
	d := NewDecoder(nil)
	var out []string
	for {
		var failed bool
		if out, failed = drain(d, out); failed {
			return out
		}
		n, err := r.Read(d.Room())
		d.Commit(n)
		if err != nil {
			out, _ = drain(d, out)
			return out
		}
	}
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	r io.Reader
	n int
}

func (c chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestRoomDecodesLikeFeed(t *testing.T) {
	in := idleStream()
	want := decodeChunks(nil, [][]byte{in})
	if len(want) != 30 || want[len(want)-1] != "stream-end" {
		t.Fatalf("reference decode: %d events, last %q", len(want), want[len(want)-1])
	}
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{
		{"whole", bytes.NewReader(in)},
		{"one byte", iotest.OneByteReader(bytes.NewReader(in))},
		{"half", iotest.HalfReader(bytes.NewReader(in))},
		{"7 bytes", chunkReader{bytes.NewReader(in), 7}},
		{"1000 bytes", chunkReader{bytes.NewReader(in), 1000}},
		{"data with EOF", iotest.DataErrReader(bytes.NewReader(in))},
	} {
		if got := decodeRoom(tc.r); !slices.Equal(got, want) {
			t.Errorf("%s: %d events, want %d", tc.name, len(got), len(want))
		}
	}
}

// TestIdleDecoderHoldsNothing: once everything fed is consumed, the
// decoder holds no input buffer and no parser; a partial element keeps
// both (it is buffered), and decodes the same however it was split.
func TestIdleDecoderHoldsNothing(t *testing.T) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr))
	out, _ := drain(d, nil)
	if d.buf != nil || d.p != nil {
		t.Fatalf("after the header: buf cap %d, parser %v", cap(d.buf), d.p != nil)
	}
	st := chatStanza(1)
	for cut := 1; cut < len(st); cut += 13 {
		d.Feed([]byte(st[:cut]))
		out, _ = drain(d, out)
		if d.Buffered() == 0 || d.buf == nil {
			t.Fatalf("cut %d: partial element not buffered", cut)
		}
		d.Feed([]byte(st[cut:]))
		out, _ = drain(d, out)
		if d.buf != nil || d.p != nil {
			t.Fatalf("cut %d: idle decoder holds buf cap %d, parser %v", cut, cap(d.buf), d.p != nil)
		}
	}
	want := decodeChunks(nil, [][]byte{[]byte(clientHdr + st)})
	for i := 1; i < len(out); i++ {
		if out[i] != want[1] {
			t.Fatalf("event %d = %q, want %q", i, out[i], want[1])
		}
	}
}

// TestIdleCycleAllocs: a stanza fed to an idle decoder and decoded costs
// the element's one allocation: the buffer and parser come from the pools.
func TestIdleCycleAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr))
	drain(d, nil)
	st := []byte(chatStanza(2))
	r := bytes.NewReader(nil)
	allocs := testing.AllocsPerRun(200, func() {
		r.Reset(st)
		n, err := r.Read(d.Room())
		if err != nil {
			t.Fatal(err)
		}
		d.Commit(n)
		if ev, err := d.Next(); err != nil || ev.Kind != EventElement {
			t.Fatalf("Next = %v, %v", ev.Kind, err)
		}
		if ev, _ := d.Next(); ev.Kind != EventNone || d.buf != nil {
			t.Fatalf("not idle after the stanza")
		}
	})
	if allocs > 1 {
		t.Errorf("%.1f allocations per idle cycle, want 1 (the element)", allocs)
	}
}

// BenchmarkDecodeChatIdle decodes chat messages arriving one at a time, as
// on a Session whose stream goes idle between stanzas: each is fed to a
// decoder that has consumed everything before it.
func BenchmarkDecodeChatIdle(b *testing.B) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr))
	drain(d, nil)
	st := []byte(chatStanza(3))
	b.SetBytes(int64(len(st)))
	b.ReportAllocs()
	for b.Loop() {
		d.Feed(st)
		d.Next()
		d.Next()
	}
}

// TestCommitAfterError: like Feed, Commit discards input once the stream
// is broken, and the decoder keeps no buffer.
func TestCommitAfterError(t *testing.T) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr + "<a>&bogus;</a>"))
	if _, failed := drain(d, nil); !failed {
		t.Fatal("no error")
	}
	n := copy(d.Room(), "<b/>")
	d.Commit(n)
	if d.Buffered() != 0 || d.buf != nil {
		t.Fatalf("after Commit on a broken stream: buffered %d, buf cap %d", d.Buffered(), cap(d.buf))
	}
	if _, err := d.Next(); err == nil {
		t.Fatal("error forgotten")
	}
}
