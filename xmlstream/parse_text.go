package xmlstream

import (
	"bytes"
	"unicode/utf8"
)

// text parses the character data at d[i] up to the next '<' (XML 1.0 §2.4),
// unescaping references and normalizing line ends (§2.11) into the arena.
// It returns the index of the '<'.
func (p *parser) text(i int) int {
	d := p.data
	off := -1 // where the text starts in the arena, once it needs it
	run := i
	for i < len(d) {
		if i+8 <= len(d) && d[i+7] < utf8.RuneSelf {
			for i+8 <= len(d) && textWord(d, i) {
				i += 8
			}
		}
		for i < len(d) && asciiClass[d[i]]&cText != 0 {
			i++
		}
		if i == len(d) {
			break
		}
		c := d[i]
		if c >= utf8.RuneSelf {
			// Two-byte characters and the three-byte ones that need
			// no further check (most of the BMP) inline, else charLen.
			switch {
			case c >= 0xC2 && c < 0xE0:
				if i+1 < len(d) && d[i+1]&0xC0 == 0x80 {
					i += 2
					continue
				}
			case c >= 0xE1 && c <= 0xEC:
				if i+2 < len(d) && d[i+1]&0xC0 == 0x80 && d[i+2]&0xC0 == 0x80 {
					i += 3
					continue
				}
			}
			n := charLen(d[i:])
			if n == 0 {
				return p.fail(CondNotWellFormed, i, "invalid UTF-8 or character not allowed in XML")
			}
			i += n
			continue
		}
		if c == '<' {
			break
		}
		if off < 0 {
			off = p.textArena()
		}
		p.arena = append(p.arena, d[run:i]...)
		switch c {
		case '&':
			if i = p.ref(i); i < 0 {
				return -1
			}
		case '\r':
			p.arena = append(p.arena, '\n')
			if i++; i < len(d) && d[i] == '\n' {
				i++
			}
		case ']':
			if i+2 < len(d) && d[i+1] == ']' && d[i+2] == '>' {
				return p.fail(CondNotWellFormed, i, "']]>' in character data")
			}
			p.arena = append(p.arena, ']')
			i++
		default:
			return p.fail(CondNotWellFormed, i, "character not allowed in XML")
		}
		run = i
	}
	if off < 0 {
		off = p.textArena()
	}
	p.arena = append(p.arena, d[run:i]...)
	p.addText(off)
	return i
}

// cdata parses the CDATA section at d[i] (XML 1.0 §2.7) as character data.
func (p *parser) cdata(i int) int {
	d := p.data
	if hasPrefix(d[i:], cdataOpen) != 1 {
		return p.fail(CondRestrictedXML, i, "comment, DTD or other markup declaration")
	}
	if len(p.open) == 0 {
		return p.fail(CondNotWellFormed, i, "character data outside the element")
	}
	start := i + len(cdataOpen)
	k := bytes.Index(d[start:], cdataClose)
	if k < 0 {
		return p.fail(CondNotWellFormed, i, "unterminated CDATA section")
	}
	end := start + k
	off := -1
	run := start
	for j := start; j < end; {
		c := d[j]
		if c >= utf8.RuneSelf {
			n := charLen(d[j:])
			if n == 0 {
				return p.fail(CondNotWellFormed, j, "invalid UTF-8 or character not allowed in XML")
			}
			j += n
			continue
		}
		if c >= 0x20 || c == '\t' || c == '\n' {
			j++
			continue
		}
		if c != '\r' {
			return p.fail(CondNotWellFormed, j, "character not allowed in XML")
		}
		if off < 0 {
			off = p.textArena()
		}
		p.arena = append(p.arena, d[run:j]...)
		p.arena = append(p.arena, '\n')
		if j++; j < end && d[j] == '\n' {
			j++
		}
		run = j
	}
	if off < 0 {
		off = p.textArena()
	}
	p.arena = append(p.arena, d[run:end]...)
	p.addText(off)
	return end + len(cdataClose)
}

// ref appends the character that the reference at d[i] ('&') stands for
// (XML 1.0 §4.1, §4.6) and returns the index after its ';'. Only the five
// predefined entities and character references exist in restricted XML
// (RFC 6120 §11.1); other entity references are restricted-xml.
func (p *parser) ref(i int) int {
	d := p.data
	j := i + 1
	if j < len(d) && d[j] == '#' {
		return p.charRef(i)
	}
	end := ncName(d, j, 64)
	if end < 0 || end >= len(d) || d[end] != ';' {
		return p.fail(CondNotWellFormed, i, "malformed entity reference")
	}
	var c byte
	switch string(d[j:end]) {
	case "amp":
		c = '&'
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "quot":
		c = '"'
	case "apos":
		c = '\''
	default:
		return p.fail(CondRestrictedXML, i, "entity reference")
	}
	p.arena = append(p.arena, c)
	return end + 1
}

// charRef handles "&#N;" and "&#xH;" at d[i].
func (p *parser) charRef(i int) int {
	d := p.data
	j := i + 2
	base := rune(10)
	if j < len(d) && d[j] == 'x' {
		base = 16
		j++
	}
	start := j
	var r rune
	for ; j < len(d) && d[j] != ';'; j++ {
		c := d[j]
		var v rune
		switch {
		case '0' <= c && c <= '9':
			v = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return p.fail(CondNotWellFormed, i, "malformed character reference")
		}
		if r = r*base + v; r > utf8.MaxRune {
			return p.fail(CondNotWellFormed, i, "character reference out of range")
		}
	}
	if j == start || j >= len(d) {
		return p.fail(CondNotWellFormed, i, "malformed character reference")
	}
	if !isChar(r) {
		return p.fail(CondNotWellFormed, i, "character reference to a character not allowed in XML")
	}
	p.arena = utf8.AppendRune(p.arena, r)
	return j + 1
}
