package jid

import "strings"

// escapes maps each character that XEP-0106 §3.2 escapes to the two hex
// digits that follow the backslash.
var escapes = [256]string{
	' ': "20", '"': "22", '&': "26", '\'': "27", '/': "2f",
	':': "3a", '<': "3c", '>': "3e", '@': "40", '\\': "5c",
}

// unescapeAt reports the character escaped by the sequence at s[i:], which
// starts with a backslash, and whether s[i:] starts with one of the ten
// escape sequences of XEP-0106 §3.3 (lower-case hex digits only: "CASE IS
// SIGNIFICANT", §3.1).
func unescapeAt(s string, i int) (byte, bool) {
	if i+3 > len(s) || s[i] != '\\' {
		return 0, false
	}
	switch s[i+1 : i+3] {
	case "20":
		return ' ', true
	case "22":
		return '"', true
	case "26":
		return '&', true
	case "27":
		return '\'', true
	case "2f":
		return '/', true
	case "3a":
		return ':', true
	case "3c":
		return '<', true
	case "3e":
		return '>', true
	case "40":
		return '@', true
	case "5c":
		return '\\', true
	}
	return 0, false
}

// Escape applies the JID escaping transformation of XEP-0106 §3.2 to a
// localpart: each of the characters space, ", &, ', /, :, <, > and @ becomes
// a backslash followed by two lower-case hex digits. A backslash is escaped
// (as \5c) only when it begins one of the ten escape sequences (XEP-0106
// §4.1 rule 7, §4.2 step 3), so "\5c" becomes "\5c5c" while other
// backslashes, as in "c:\net", are left alone (§4.3). The examples 9 to 11
// of XEP-0106 §5.1 escape every backslash; they contradict §4.3 and are not
// followed.
//
// Unescape(Escape(s)) == s for every s. XEP-0106 §4.1 rule 6 forbids \20 at
// the start or end of an escaped localpart; Escape does not trim, so callers
// that need a valid localpart should remove leading and trailing spaces
// first.
func Escape(local string) string {
	n := 0
	for i := 0; i < len(local); i++ {
		if needsEscape(local, i) {
			n++
		}
	}
	if n == 0 {
		return local
	}
	var b strings.Builder
	b.Grow(len(local) + 2*n)
	for i := 0; i < len(local); i++ {
		c := local[i]
		if needsEscape(local, i) {
			b.WriteByte('\\')
			b.WriteString(escapes[c])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func needsEscape(s string, i int) bool {
	c := s[i]
	if c == '\\' {
		_, ok := unescapeAt(s, i)
		return ok
	}
	return escapes[c] != ""
}

// Unescape applies the JID unescaping transformation of XEP-0106 §3.3: each
// of the ten escape sequences \20 \22 \26 \27 \2f \3a \3c \3e \40 \5c
// becomes the character it stands for. Any other backslash, including
// partial sequences and sequences with upper-case hex digits, is kept as it
// is (§4.1 rule 3, §4.3).
func Unescape(local string) string {
	i := strings.IndexByte(local, '\\')
	if i < 0 {
		return local
	}
	var b strings.Builder
	b.Grow(len(local))
	b.WriteString(local[:i])
	for ; i < len(local); i++ {
		if c, ok := unescapeAt(local, i); ok {
			b.WriteByte(c)
			i += 2
			continue
		}
		b.WriteByte(local[i])
	}
	return b.String()
}
