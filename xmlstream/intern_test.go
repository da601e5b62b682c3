package xmlstream

import "testing"

func TestIntern(t *testing.T) {
	for i, s := range wellKnown {
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
