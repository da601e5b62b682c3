package jid

import (
	"testing"
	"unicode/utf8"
)

// checkFast checks that the fast paths of prepLocal, prepDomain and
// prepResource agree with full preparation and enforcement of s as that part.
func checkFast(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	for _, p := range [...]struct {
		name          string
		prep, enforce func(string) (string, error)
	}{
		{PartLocal, prepLocal, enforceLocal},
		{PartDomain, prepDomain, enforceDomain},
		{PartResource, prepResource, enforceResource},
	} {
		got, err := p.prep(s)
		want, werr := p.enforce(s)
		if got != want || (err == nil) != (werr == nil) {
			t.Fatalf("%s %q: prepared %q, %v; enforced %q, %v", p.name, s, got, err, want, werr)
		}
	}
}

// FuzzParse checks that Parse never panics, that its results are canonical
// (parsing String() gives the same JID, and String() is a fixed point), that
// the parts agree with the string and limits, and that the fast path agrees
// with full preparation and enforcement.
func FuzzParse(f *testing.F) {
	for _, tc := range validTests {
		f.Add(tc.in)
	}
	for _, tc := range invalidTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFast(t, s)
		j, err := Parse(s)
		if fj, ok := parseFast(s); ok {
			l, d, r, _ := split(s)
			checkFast(t, l)
			checkFast(t, d)
			checkFast(t, r)
			if fj != j || fj.String() != s {
				t.Fatalf("fast path %q = %#v, Parse = %#v", s, fj, j)
			}
		}
		if err != nil {
			if !j.IsZero() {
				t.Fatalf("Parse(%q) = %#v with error %v", s, j, err)
			}
			return
		}
		str := j.String()
		if !utf8.ValidString(str) {
			t.Fatalf("Parse(%q) = %q: invalid UTF-8", s, str)
		}
		j2, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, str, err)
		}
		if j2 != j || j2.String() != str {
			t.Fatalf("Parse(%q) = %#v, Parse(%q) = %#v", s, j, str, j2)
		}
		l, d, r := j.Localpart(), j.Domainpart(), j.Resourcepart()
		if d == "" || len(l) > MaxPartLen || len(d) > MaxPartLen || len(r) > MaxPartLen {
			t.Fatalf("Parse(%q) parts %q %q %q break the limits", s, l, d, r)
		}
		n, err := New(l, d, r)
		if err != nil || n != j {
			t.Fatalf("New(%q, %q, %q) = %#v, %v; want %#v", l, d, r, n, err, j)
		}
		if b := j.Bare(); b.Localpart() != l || b.Domainpart() != d || b.Resourcepart() != "" {
			t.Fatalf("Bare(%q) = %#v", str, b)
		}
		if p, err := Parse(j.Bare().String()); err != nil || p != j.Bare() {
			t.Fatalf("Bare(%q) = %#v, reparsed %#v, %v", str, j.Bare(), p, err)
		}
		if p, err := Parse(j.Domain().String()); err != nil || p != j.Domain() {
			t.Fatalf("Domain(%q) = %#v, reparsed %#v, %v", str, j.Domain(), p, err)
		}
	})
}

// FuzzEscape checks that XEP-0106 escaping round-trips and that escaping
// leaves none of the disallowed characters behind.
func FuzzEscape(f *testing.F) {
	for _, tc := range escapeTests {
		f.Add(tc.unescaped)
		f.Add(tc.escaped)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if u := Unescape(e); u != s {
			t.Fatalf("Unescape(Escape(%q)) = %q (escaped %q)", s, u, e)
		}
		for i := 0; i < len(e); i++ {
			switch e[i] {
			case ' ', '"', '&', '\'', '/', ':', '<', '>', '@':
				t.Fatalf("Escape(%q) = %q keeps %q", s, e, e[i])
			}
		}
		if Escape(Unescape(e)) != e {
			t.Fatalf("Escape(Unescape(%q)) != %q", e, e)
		}
	})
}
