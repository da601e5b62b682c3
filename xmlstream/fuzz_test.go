package xmlstream

import (
	"slices"
	"testing"
)

// fuzzConfig has small limits, so that the fuzzer reaches them.
var fuzzConfig = &Config{MaxElementBytes: 2048, MaxDepth: 12, MaxAttrs: 10, MaxNameBytes: 40, MaxAttrValueBytes: 300}

// bigConfig re-parses encoder output, which may be longer than its input.
var bigConfig = &Config{MaxElementBytes: 1 << 20, MaxDepth: 1000, MaxAttrs: 1000, MaxNameBytes: 1 << 16, MaxAttrValueBytes: 1 << 20}

// FuzzDecoder checks that the decoder never panics, that its events and
// error do not depend on chunking, that every element re-encodes to XML
// that parses back to an equal element, and that it keeps no more than one
// element's worth of input.
func FuzzDecoder(f *testing.F) {
	for _, tc := range validStreams {
		f.Add([]byte(tc.in), uint16(len(tc.in)/3), uint16(len(tc.in)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut1, cut2 uint16) {
		if len(data) > 1<<16 {
			return
		}
		whole := decodeChecked(t, data, [][]byte{data})
		c1, c2 := int(cut1)%(len(data)+1), int(cut2)%(len(data)+1)
		if c1 > c2 {
			c1, c2 = c2, c1
		}
		if got := decodeChecked(t, data, split(data, c1, c2)); !slices.Equal(got, whole) {
			t.Fatalf("split at %d, %d:\n got %q\nwant %q", c1, c2, got, whole)
		}
		if len(data) < 512 {
			if got := decodeChecked(t, data, bytewise(data)); !slices.Equal(got, whole) {
				t.Fatalf("bytewise:\n got %q\nwant %q", got, whole)
			}
		}
	})
}

// decodeChecked is decodeChunks with the round-trip and memory checks.
func decodeChecked(t *testing.T, data []byte, chunks [][]byte) []string {
	d := NewDecoder(fuzzConfig)
	var out []string
	for _, c := range chunks {
		d.Feed(c)
		for {
			ev, err := d.Next()
			if err == nil && ev.Kind == EventNone {
				break
			}
			out = append(out, render(ev, err))
			if err != nil {
				return out
			}
			if ev.Kind == EventElement {
				checkRoundTrip(t, ev.Element)
			}
		}
		if n := d.Buffered(); n > fuzzConfig.MaxElementBytes {
			t.Fatalf("%d bytes buffered after draining", n)
		}
		if n := cap(d.buf); n > 2*(fuzzConfig.MaxElementBytes+len(c))+64 {
			t.Fatalf("buffer capacity %d after a %d-byte chunk", n, len(c))
		}
	}
	return out
}

func checkRoundTrip(t *testing.T, e *Element) {
	t.Helper()
	out := e.AppendXML(nil)
	back, err := Parse(out, "", bigConfig)
	if err != nil {
		t.Fatalf("re-encoded %s does not parse: %v\n(from %s)", out, err, dump(e))
	}
	if !back.Equal(e) || dump(back) != dump(e) {
		t.Fatalf("round trip of %s:\n got %s\nwant %s", out, dump(back), dump(e))
	}
	if again := back.AppendXML(nil); string(again) != string(out) {
		t.Fatalf("encoding not stable:\n%s\n%s", out, again)
	}
}

// FuzzParse checks that Parse never panics, that what it accepts
// round-trips, that it agrees with the decoder on the same bytes, and that
// the fast path for common start tags gives exactly what the general one
// gives, errors included.
func FuzzParse(f *testing.F) {
	for _, tc := range validStreams {
		f.Add([]byte(tc.in[min(len(tc.in), len(clientHdr)):]))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data, "jabber:client", fuzzConfig)
		fastTags = false
		slow, serr := Parse(data, "jabber:client", fuzzConfig)
		fastTags = true
		if got, want := parseResult(e, err), parseResult(slow, serr); got != want {
			t.Fatalf("fast start tags: %s\ngeneral: %s", got, want)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		checkRoundTrip(t, e)
		d := NewDecoder(fuzzConfig)
		d.Feed([]byte(clientHdr))
		d.Feed(data)
		for {
			ev, err := d.Next()
			if err != nil || ev.Kind == EventNone {
				t.Fatalf("decoder: %v, %v", ev.Kind, err)
			}
			if ev.Kind == EventElement {
				if dump(ev.Element) != dump(e) {
					t.Fatalf("decoder %s, Parse %s", dump(ev.Element), dump(e))
				}
				return
			}
		}
	})
}

// parseResult describes what Parse returned, exactly.
func parseResult(e *Element, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	return dump(e)
}
