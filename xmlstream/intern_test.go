package xmlstream

import (
	"slices"
	"testing"
)

func TestIntern(t *testing.T) {
	for i, s := range wellKnown[:firstName] {
		if got := intern(s); got != i {
			t.Errorf("intern(%q) = %d, want %d", s, got, i)
		}
		if got := intern([]byte(s)); got != i {
			t.Errorf("intern([]byte(%q)) = %d, want %d", s, got, i)
		}
		if got := intern(s + "x"); got != -1 {
			t.Errorf("intern(%q) = %d, want -1", s+"x", got)
		}
		if got := intern(s[:len(s)-1]); got != -1 {
			t.Errorf("intern(%q) = %d, want -1", s[:len(s)-1], got)
		}
	}
	for _, s := range []string{"", "a", "jabber:clienT", "urn:xmpp:sm:2", string(make([]byte, 200))} {
		if got := intern(s); got != -1 {
			t.Errorf("intern(%q) = %d, want -1", s, got)
		}
	}
}

// TestInternName checks internName on every interned element name, with
// and without bytes after it, and on names that are not interned.
func TestInternName(t *testing.T) {
	for i := firstName; i < len(wellKnown); i++ {
		s := wellKnown[i]
		for _, tail := range []string{"        ", ">       ", " a='b'/>"} {
			d := []byte("<" + s + tail)
			if got := internName(d, 1, 1+len(s)); got != i {
				t.Errorf("internName(%q) = %d, want %d", d, got, i)
			}
			// Too few bytes after it to load a word: not interned.
			if got := internName(d[:len(s)+1], 1, 1+len(s)); got != -1 && len(s) < 8 {
				t.Errorf("internName(%q) = %d, want -1", d[:len(s)+1], got)
			}
		}
		for _, o := range []string{s + "x", s[:len(s)-1] + "Q", "x" + s} {
			d := []byte(o + "        ")
			want := -1
			if k := slices.Index(wellKnown[firstName:], o); k >= 0 {
				want = firstName + k
			}
			if got := internName(d, 0, len(o)); got != want {
				t.Errorf("internName(%q) = %d, want %d", o, got, want)
			}
		}
	}
	if got := internName([]byte("composing  "), 0, 9); got != -1 {
		t.Errorf("internName(composing) = %d, want -1", got)
	}
}
