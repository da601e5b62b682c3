package jid

import "math/bits"

// parseFast recognises a JID that is already in canonical ASCII form and
// returns it without allocating: the JID shares s's memory. It reports false
// when s needs the full preparation and enforcement of RFC 7622 §3, which
// includes every non-ASCII string and every invalid one.
func parseFast(s string) (JID, bool) {
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
		// Skip the letters and digits, a word at a time while eight
		// bytes are left. A non-ASCII byte anywhere in s means the full
		// path (here or in fastResource), so a word holding one ends it.
		if i+8 <= n {
			x := load(s, i)
			if x&hi8 != 0 {
				return JID{}, false
			}
			m := notDomain(x)
			if m == 0 {
				i += 7
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
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
	if end < n && !fastResource(s[end+1:]) {
		return JID{}, false
	}
	return withOffsets(s, at, end-at-1), true
}

// fastClass marks, per byte, the parts whose fast path accepts it as it
// is: fLocal for the localpart (localOK), fDomain for the letters and
// digits of a domain label.
var fastClass = func() (t [256]uint8) {
	for c := range 256 {
		if localOK[c] {
			t[c] |= fLocal
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			t[c] |= fDomain
		}
	}
	return t
}()

const (
	fLocal = 1 << iota
	fDomain
)

// localOK marks the ASCII bytes that the PRECIS UsernameCaseMapped profile
// maps to themselves and RFC 7622 §3.3.1 allows: printable ASCII except
// upper-case letters (which are case-mapped) and `"&'/:<>@`.
var localOK = func() (t [256]bool) {
	for c := 0x21; c <= 0x7e; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = false
	}
	for _, c := range `"&'/:<>@` {
		t[c] = false
	}
	return t
}()

func fastLocal(l string) bool {
	if len(l) == 0 || len(l) > MaxPartLen {
		return false
	}
	for i := 0; i < len(l); i++ {
		if !localOK[l[i]] {
			return false
		}
	}
	return true
}

// fastResource accepts printable ASCII including space, which the PRECIS
// OpaqueString profile maps to itself (RFC 7622 §3.4).
func fastResource(r string) bool {
	if len(r) == 0 || len(r) > MaxPartLen {
		return false
	}
	if len(r) >= 8 {
		// Whole words, then the last eight bytes (overlapping).
		for i := 0; i+8 < len(r); i += 8 {
			if notResource(load(r, i)) != 0 {
				return false
			}
		}
		return notResource(load(r, len(r)-8)) == 0
	}
	for i := 0; i < len(r); i++ {
		if c := r[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// isIPv4 reports whether d is an IPv4 address in canonical dotted-decimal
// form: four decimal numbers from 0 to 255 without leading zeros.
func isIPv4(d string) bool {
	if len(d) < 7 || len(d) > 15 {
		return false
	}
	fields, v, digits := 0, 0, 0
	for i := 0; i <= len(d); i++ {
		if i == len(d) || d[i] == '.' {
			if digits == 0 || v > 255 || digits > 1 && d[i-digits] == '0' {
				return false
			}
			fields++
			v, digits = 0, 0
			continue
		}
		c := d[i]
		if c < '0' || c > '9' || digits == 3 {
			return false
		}
		v = v*10 + int(c-'0')
		digits++
	}
	return fields == 4
}

// fastDomain accepts a domain name of lower-case letters, digits and
// hyphens that IDNA2008 leaves unchanged (RFC 7622 §3.2): no empty label,
// no trailing dot, no hyphen at either end of a label, no "--" in the third
// and fourth positions (which includes A-labels, "xn--"), and a last label
// that does not start with a digit unless d is a canonical IPv4 address.
func fastDomain(d string) bool {
	if len(d) == 0 || len(d) > MaxPartLen {
		return false
	}
	if c := d[len(d)-1]; c >= '0' && c <= '9' {
		return isIPv4(d)
	}
	start := 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) {
			c := d[i]
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				continue
			}
			if c == '-' {
				if i == start || i-start == 3 && d[i-1] == '-' {
					return false
				}
				continue
			}
			if c != '.' {
				return false
			}
		}
		// End of a label at i.
		if i == start || d[i-1] == '-' {
			return false
		}
		if i == len(d) && d[start] >= '0' && d[start] <= '9' {
			return false
		}
		start = i + 1
	}
	return true
}
