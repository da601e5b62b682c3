package xmlstream

import (
	"encoding/binary"
	"unicode/utf8"
)

// Byte classes for the ASCII fast paths of the scanner, the parser and the
// encoder (XML 1.0 5th ed. §2.2 Char, §2.3 Name, §2.4 CharData).
const (
	cNameStart = 1 << iota // NameStartChar, ':' excluded (Namespaces in XML §3 NCName)
	cNameChar              // NameChar, ':' excluded
	cText                  // copied verbatim from character data
	cAttr                  // copied verbatim from an attribute value
	cSpace                 // S: space, tab, CR, LF
	cEscText               // written verbatim by AppendEscapedText
	cEscAttr               // written verbatim by AppendEscapedAttr
)

var asciiClass = func() (t [256]uint8) {
	for c := 0x20; c < 0x80; c++ {
		t[c] |= cText | cAttr | cEscText | cEscAttr
	}
	for _, c := range []byte("<&]\r") {
		t[c] &^= cText
	}
	for _, c := range []byte("<&\"'") {
		t[c] &^= cAttr
	}
	for _, c := range []byte("<&>") {
		t[c] &^= cEscText
	}
	for _, c := range []byte("<&\"'") {
		t[c] &^= cEscAttr
	}
	t['\t'] |= cText | cEscText
	t['\n'] |= cText | cEscText
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= cNameStart | cNameChar
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= cNameStart | cNameChar
	}
	t['_'] |= cNameStart | cNameChar
	for c := '0'; c <= '9'; c++ {
		t[c] |= cNameChar
	}
	t['-'] |= cNameChar
	t['.'] |= cNameChar
	for _, c := range []byte(" \t\r\n") {
		t[c] |= cSpace
	}
	return t
}()

// Eight bytes at a time (SWAR): the fast paths below look at a word of
// input at once and fall back to the byte tables for any word that may hold
// a byte they do not copy verbatim. has* are exact as yes/no answers.
const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// hasZero reports whether a byte of x is 0.
func hasZero(x uint64) uint64 { return (x - swarLo) & ^x & swarHi }

// hasLess reports whether a byte of x is below n (n <= 128).
func hasLess(x uint64, n byte) uint64 { return (x - swarLo*uint64(n)) & ^x & swarHi }

// attrWord reports whether all 8 bytes at b[i:] are cAttr and none is a
// space or one of !#$% (ruling out everything below '(' is cheaper, and
// attribute values seldom hold those).
func attrWord(b []byte, i int) bool {
	x := binary.LittleEndian.Uint64(b[i:])
	return (x&swarHi | hasLess(x, '(') | hasZero(x^(swarLo*'<'))) == 0
}

// attrStop returns a mask with the high bit set in the first byte at b[i:]
// (of eight) that attrWord would refuse, or 0; bits above the first may be
// set too (borrows), but the first is exact.
func attrStop(b []byte, i int) uint64 {
	x := binary.LittleEndian.Uint64(b[i:])
	return x&swarHi | hasLess(x, '(') | hasZero(x^(swarLo*'<'))
}

// textWord reports whether all 8 bytes at b[i:] are cText other than TAB
// and LF.
func textWord(b []byte, i int) bool {
	x := binary.LittleEndian.Uint64(b[i:])
	return (x&swarHi | hasLess(x, 0x20) | hasZero(x^(swarLo*'<')) | hasZero(x^(swarLo*'&')) |
		hasZero(x^(swarLo*']'))) == 0
}

func isSpace(c byte) bool { return asciiClass[c]&cSpace != 0 }

// skipSpace returns the index of the first non-S byte of b at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && asciiClass[b[i]]&cSpace != 0 {
		i++
	}
	return i
}

// isChar reports whether r is a Char (XML 1.0 §2.2).
func isChar(r rune) bool {
	switch {
	case r < 0x20:
		return r == 0x9 || r == 0xA || r == 0xD
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= 0x10FFFF
	}
}

// charLen returns the length of the valid, allowed non-ASCII character at the
// start of b (b[0] >= 0x80), or 0 for invalid UTF-8 (overlong forms and
// surrogates included) and for U+FFFE and U+FFFF.
func charLen(b []byte) int {
	// Fast paths for the two- and three-byte forms that text is made of.
	if c := b[0]; c >= 0xC2 && c < 0xE0 {
		if len(b) >= 2 && b[1]&0xC0 == 0x80 {
			return 2
		}
		return 0
	} else if c >= 0xE0 && c < 0xF0 && len(b) >= 3 && b[1]&0xC0 == 0x80 && b[2]&0xC0 == 0x80 {
		switch {
		case c == 0xE0 && b[1] < 0xA0: // overlong
			return 0
		case c == 0xED && b[1] >= 0xA0: // surrogate
			return 0
		case c == 0xEF && b[1] == 0xBF && b[2] >= 0xBE: // U+FFFE, U+FFFF
			return 0
		}
		return 3
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
		return 0
	}
	return n
}

// isNameStartRune reports whether the non-ASCII r is a NameStartChar.
func isNameStartRune(r rune) bool {
	switch {
	case r < 0xC0:
		return false
	case r <= 0x2FF:
		return r != 0xD7 && r != 0xF7
	case r < 0x370:
		return false
	case r <= 0x1FFF:
		return r != 0x37E
	case r == 0x200C || r == 0x200D:
		return true
	case r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF:
		return true
	case r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= 0xEFFFF
	}
}

// isNameRune reports whether the non-ASCII r is a NameChar.
func isNameRune(r rune) bool {
	return isNameStartRune(r) || r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040
}

// ncName returns the end of the NCName starting at b[i], or -1 if none
// starts there. max bounds the name's length in bytes (-2 when exceeded).
func ncName(b []byte, i, max int) int {
	start := i
	if i < len(b) && b[i] < utf8.RuneSelf {
		if asciiClass[b[i]]&cNameStart == 0 {
			return -1
		}
		i++
	}
	for {
		// ASCII name characters, the usual case, in a tight loop.
		for i < len(b) && asciiClass[b[i]]&cNameChar != 0 {
			i++
		}
		if i == len(b) || b[i] < utf8.RuneSelf {
			break
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !isNameRune(r) || i == start && !isNameStartRune(r) {
			break
		}
		i += n
	}
	switch {
	case i == start:
		return -1
	case i-start > max:
		return -2
	}
	return i
}

// hasPrefix compares the start of b with lit: 1 when b starts with lit, 0 when
// b is a proper prefix of lit (more input needed), -1 when they differ.
func hasPrefix(b []byte, lit string) int {
	n := min(len(b), len(lit))
	if string(b[:n]) != lit[:n] {
		return -1
	}
	if n < len(lit) {
		return 0
	}
	return 1
}

// equalFoldASCII reports whether b equals s ignoring ASCII case.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}
