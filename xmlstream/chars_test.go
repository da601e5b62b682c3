package xmlstream

import (
	"math/bits"
	"testing"
)

// TestWords checks the eight-bytes-at-a-time tests against the byte table:
// a word may be refused when the table would copy it (the byte loop then
// takes over), never accepted when it holds a byte the table would not.
func TestWords(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			for _, fill := range []byte("aZ09@/.-") {
				w := []byte{fill, fill, fill, fill, fill, fill, fill, fill}
				w[pos] = byte(c)
				if attrWord(w, 0) && asciiClass[c]&cAttr == 0 {
					t.Errorf("attrWord accepts %#x at %d", c, pos)
				}
				if textWord(w, 0) && asciiClass[c]&cText == 0 {
					t.Errorf("textWord accepts %#x at %d", c, pos)
				}
				// What the fast paths are for must take them.
				if c >= '(' && c < 0x80 && c != '<' && !attrWord(w, 0) {
					t.Errorf("attrWord refuses %#x at %d", c, pos)
				}
				if asciiClass[c]&cText != 0 && c >= 0x20 && !textWord(w, 0) {
					t.Errorf("textWord refuses %#x at %d", c, pos)
				}
			}
		}
	}
	// attrStop finds the first byte attrWord refuses, whatever follows it.
	for c := range 256 {
		for d := range 256 {
			for pos := range 7 {
				w := []byte("abcdefgh")
				w[pos], w[pos+1] = byte(c), byte(d)
				want := 8
				for i, b := range w {
					if b >= 0x80 || b < '(' || b == '<' {
						want = i
						break
					}
				}
				got := 8
				if m := attrStop(w, 0); m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				if got != want {
					t.Fatalf("attrStop(%q) stops at %d, want %d", w, got, want)
				}
			}
		}
	}
	// Two special bytes in one word, and borrows across bytes.
	for _, w := range []string{"\x00\x01aaaaaa", "a<&]\"'\r\n", "\x7f\x80aaaaaa", "aaaaaaa\xff", "\x20\x1faaaaaa"} {
		if attrWord([]byte(w), 0) || textWord([]byte(w), 0) {
			t.Errorf("%q accepted", w)
		}
	}
}
