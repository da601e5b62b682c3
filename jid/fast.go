package jid

// parseFast recognises a JID that is already in canonical ASCII form and
// returns it without allocating: the JID shares s's memory. It reports false
// when s needs the full preparation and enforcement of RFC 7622 §3, which
// includes every non-ASCII string and every invalid one.
func parseFast(s string) (JID, bool) {
	if len(s) == 0 || len(s) > 3*MaxPartLen+2 {
		return JID{}, false
	}
	// Split as in RFC 7622 §3.1: first '/', then the first '@' before it.
	at, slash := -1, len(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' {
			slash = i
			break
		}
		if c == '@' && at < 0 {
			at = i
		}
	}
	if at >= 0 && !fastLocal(s[:at]) {
		return JID{}, false
	}
	if !fastDomain(s[at+1 : slash]) {
		return JID{}, false
	}
	if slash < len(s) && !fastResource(s[slash+1:]) {
		return JID{}, false
	}
	return withOffsets(s, at, slash-at-1), true
}

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
