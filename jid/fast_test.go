package jid

import "testing"

// The word-at-a-time fast path must accept and split exactly what the
// byte-at-a-time one it replaced did: parseFastBytewise is that one.

func parseFastBytewise(s string) (JID, bool) {
	n := len(s)
	if n == 0 || n > 3*MaxPartLen+2 {
		return JID{}, false
	}
	// One pass, split as in RFC 7622 §3.1 (first '/', then the first '@'
	// before it): the localpart runs to the '@'. A byte that stops the
	// localpart early ('/' included) means there is no localpart, or that
	// s needs the full path: either way the domain scan from 0 decides.
	i := 0
	for i < n && fastClass[s[i]]&fLocal != 0 {
		i++
	}
	at := -1
	if i < n && s[i] == '@' {
		if i == 0 || i > MaxPartLen {
			return JID{}, false
		}
		at = i
		i++
	} else {
		i = 0
	}
	// The domainpart (fastDomain's rules, inline): labels of [a-z0-9-].
	d0, label := i, i
	for ; i < n; i++ {
		c := s[i]
		if fastClass[c]&fDomain != 0 {
			continue
		}
		switch c {
		case '-':
			if i == label || i-label == 3 && s[i-1] == '-' {
				return JID{}, false
			}
			continue
		case '.':
			if i == label || s[i-1] == '-' {
				return JID{}, false
			}
			label = i + 1
			continue
		case '/':
		default:
			return JID{}, false
		}
		break
	}
	end := i
	if end == label || end-d0 > MaxPartLen || s[end-1] == '-' {
		return JID{}, false
	}
	if c := s[end-1]; c >= '0' && c <= '9' {
		if !isIPv4(s[d0:end]) {
			return JID{}, false
		}
	} else if c := s[label]; c >= '0' && c <= '9' {
		return JID{}, false
	}
	if end < n && !fastResourceBytewise(s[end+1:]) {
		return JID{}, false
	}
	return withOffsets(s, at, end-at-1), true
}

func fastResourceBytewise(r string) bool {
	if len(r) == 0 || len(r) > MaxPartLen {
		return false
	}
	for i := 0; i < len(r); i++ {
		if c := r[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

func checkBytewise(t *testing.T, s string) {
	t.Helper()
	got, ok := parseFast(s)
	want, wok := parseFastBytewise(s)
	if got != want || ok != wok {
		t.Fatalf("parseFast(%q) = %#v, %v; byte at a time %#v, %v", s, got, ok, want, wok)
	}
}

// TestFastEveryByte puts every byte value at every offset of addresses
// whose parts are longer than a word, so that it lands in a whole word, in
// the overlapping last word and in the byte loop of each part.
func TestFastEveryByte(t *testing.T) {
	bases := []string{
		"alice@localhost/balcony-3f9a",
		"averylonglocalpart@sub.example-domain.org/a resource of 40 bytes or so!",
		"x@abcdefghijklmnop.qrstuvwx/12345678",
		"conference.example.com",
		"example.com/r",
		"192.168.100.200/abcdefgh",
		"a@b/c",
	}
	for _, base := range bases {
		checkBytewise(t, base)
		for i := range len(base) {
			for c := range 256 {
				b := []byte(base)
				b[i] = byte(c)
				checkBytewise(t, string(b))
				checkBytewise(t, string(b[:i+1]))
			}
		}
	}
}

// FuzzParseFast compares the fast path with the byte-at-a-time one.
func FuzzParseFast(f *testing.F) {
	for _, tc := range validTests {
		f.Add(tc.in)
	}
	for _, tc := range invalidTests {
		f.Add(tc.in)
	}
	f.Fuzz(checkBytewise)
}
