package xmlstream

import (
	"strconv"
	"unicode/utf8"
)

// AppendXML appends the XML encoding of e to dst and returns the extended
// buffer. The root gets an xmlns declaration when its namespace is not
// empty; see AppendElement.
func (e *Element) AppendXML(dst []byte) []byte {
	return AppendElement(dst, e, "")
}

// String returns the XML encoding of e (AppendXML).
func (e *Element) String() string {
	return string(e.AppendXML(nil))
}

// AppendElement appends e, encoded as a top-level element of a stream whose
// default namespace is defaultNS (RFC 6120 §4.8.3), to dst.
//
// Element names are not prefixed (except in the xml namespace): an element gets xmlns='...' when its
// namespace differs from its parent's (for the root: from defaultNS; a root
// with an empty namespace is treated as being in defaultNS, and so are its
// children in no namespace), and an empty xmlns="" when it is in no namespace under
// a namespaced parent. Attributes in a namespace get generated prefixes
// (ns1, ns2, ...) declared on the same element, except xml:lang and the other
// xml: attributes, whose prefix is predefined. Attributes named xmlns or in
// NSXMLNS are skipped: declarations are the encoder's business.
//
// Text and attribute values are escaped with AppendEscapedText and
// AppendEscapedAttr. The output of a tree built by the Decoder re-parses to
// an equal tree. AppendElement does not allocate beyond growing dst.
func AppendElement(dst []byte, e *Element, defaultNS string) []byte {
	if e == nil {
		return dst
	}
	parent := defaultNS
	if e.Name.Space == "" {
		parent = ""
	}
	return appendElem(dst, e, parent)
}

// appendElem writes e where parent is the default namespace in scope.
func appendElem(dst []byte, e *Element, parent string) []byte {
	dst = append(dst, '<')
	scope := e.Name.Space
	if scope == NSXML { // the one prefix that needs no declaration
		scope = parent
		dst = append(dst, "xml:"...)
	}
	dst = append(dst, e.Name.Local...)
	if scope != parent {
		dst = append(dst, " xmlns='"...)
		dst = AppendEscapedAttr(dst, e.Name.Space)
		dst = append(dst, '\'')
	}
	for i := range e.Attr {
		sp := e.Attr[i].Name.Space
		if prefixed(sp) && firstIn(e.Attr, sp) == i {
			dst = append(dst, " xmlns:ns"...)
			dst = strconv.AppendInt(dst, int64(i+1), 10)
			dst = append(dst, "='"...)
			dst = AppendEscapedAttr(dst, sp)
			dst = append(dst, '\'')
		}
	}
	for i := range e.Attr {
		a := &e.Attr[i]
		switch sp := a.Name.Space; {
		case sp == "":
			if a.Name.Local == "xmlns" {
				continue
			}
			dst = append(dst, ' ')
		case sp == NSXML:
			dst = append(dst, " xml:"...)
		case sp == NSXMLNS:
			continue
		default:
			dst = append(dst, " ns"...)
			dst = strconv.AppendInt(dst, int64(firstIn(e.Attr, sp)+1), 10)
			dst = append(dst, ':')
		}
		dst = append(dst, a.Name.Local...)
		dst = append(dst, "='"...)
		dst = AppendEscapedAttr(dst, a.Value)
		dst = append(dst, '\'')
	}
	if len(e.Nodes) == 0 {
		return append(dst, "/>"...)
	}
	dst = append(dst, '>')
	for _, n := range e.Nodes {
		if n.Elem != nil {
			dst = appendElem(dst, n.Elem, scope)
		} else {
			dst = AppendEscapedText(dst, n.Text)
		}
	}
	dst = append(dst, "</"...)
	if e.Name.Space == NSXML {
		dst = append(dst, "xml:"...)
	}
	dst = append(dst, e.Name.Local...)
	return append(dst, '>')
}

// prefixed reports whether an attribute in namespace sp needs a generated
// prefix.
func prefixed(sp string) bool {
	return sp != "" && sp != NSXML && sp != NSXMLNS
}

// firstIn returns the index of the first attribute in namespace sp.
func firstIn(attrs []Attr, sp string) int {
	for i := range attrs {
		if attrs[i].Name.Space == sp {
			return i
		}
	}
	return -1
}

// AppendEscapedText appends s escaped as XML character data (XML 1.0 §2.4):
// & < > become entity references (so "]]>" cannot appear) and CR a
// character reference (so it survives line-end normalization, §2.11).
// Invalid UTF-8 and characters XML cannot carry (§2.2) become U+FFFD, so the
// output never breaks a stream.
func AppendEscapedText(dst []byte, s string) []byte {
	return appendEscaped(dst, s, cEscText)
}

// AppendEscapedAttr appends s escaped for a single- or double-quoted
// attribute value (XML 1.0 §3.1): & < " ' become entity references and TAB,
// LF and CR character references, so that attribute-value normalization
// (§3.3.3) gives s back. Characters XML cannot carry become U+FFFD.
func AppendEscapedAttr(dst []byte, s string) []byte {
	return appendEscaped(dst, s, cEscAttr)
}

func appendEscaped(dst []byte, s string, class uint8) []byte {
	// Runs that need no escaping are copied whole. Eight ASCII bytes are
	// checked at once where the next eight look like ASCII; characters of
	// two bytes and the three-byte ones that need no further check (most
	// of the BMP) are taken inline; the rest is decoded and checked one
	// character at a time.
	// Text refuses controls and <&>; attribute values refuse everything
	// below '(' (controls, space, !"#$%&') and <, as they seldom hold
	// those.
	lim, k1, k2, k3 := byte(0x20), uint64(swarLo*'<'), uint64(swarLo*'&'), uint64(swarLo*'>')
	if class == cEscAttr {
		lim, k2, k3 = '(', k1, k1
	}
	last := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && s[i+7] < utf8.RuneSelf {
			for i+8 <= len(s) {
				// Eight bytes at once (see hasZero): stop at one that is
				// not ASCII, is below lim or is one of k1, k2, k3.
				_ = s[i+7]
				x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
					uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
				if (x&swarHi | hasLess(x, lim) | hasZero(x^k1) | hasZero(x^k2) | hasZero(x^k3)) != 0 {
					break
				}
				i += 8
			}
		}
		for i < len(s) && asciiClass[s[i]]&class != 0 {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[last:i]...)
			dst = append(dst, escapes[c]...)
			i++
			last = i
			continue
		}
		switch {
		case c >= 0xC2 && c < 0xE0:
			if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				i += 2
				continue
			}
		case c >= 0xE1 && c <= 0xEC:
			if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				i += 3
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			dst = append(dst, s[last:i]...)
			dst = append(dst, "\uFFFD"...)
			last = i + n
		}
		i += n
	}
	return append(dst, s[last:]...)
}

// escapes are what appendEscaped writes for an ASCII byte it does not copy:
// an entity or character reference, or U+FFFD for a character XML cannot
// carry (XML 1.0 §2.2).
var escapes = func() (t [utf8.RuneSelf]string) {
	for c := range t {
		t[c] = "\uFFFD"
	}
	t['&'], t['<'], t['>'] = "&amp;", "&lt;", "&gt;"
	t['"'], t['\''] = "&quot;", "&apos;"
	t['\t'], t['\n'], t['\r'] = "&#x9;", "&#xA;", "&#xD;"
	return t
}()

// AppendHeader appends an XML declaration and the opening stream tag for h
// (RFC 6120 §4.7): xmlns for h.Default (if any), xmlns:stream, then to,
// from, id, version and xml:lang when set, then h.Prefixes other than
// stream. The tag is left open; AppendClose closes the stream.
func AppendHeader(dst []byte, h *Header) []byte {
	if h == nil {
		h = &Header{}
	}
	dst = append(dst, "<?xml version='1.0'?><stream:stream"...)
	if h.Default != "" {
		dst = appendAttr(dst, "xmlns", h.Default)
	}
	dst = append(dst, " xmlns:stream='"+NSStream+"'"...)
	dst = appendAttr(dst, "to", h.To)
	dst = appendAttr(dst, "from", h.From)
	dst = appendAttr(dst, "id", h.ID)
	dst = appendAttr(dst, "version", h.Version)
	dst = appendAttr(dst, "xml:lang", h.Lang)
	for _, p := range h.Prefixes {
		switch p.Name.Local {
		case "", "stream", "xml", "xmlns":
			continue
		}
		dst = append(dst, " xmlns:"...)
		dst = append(dst, p.Name.Local...)
		dst = append(dst, "='"...)
		dst = AppendEscapedAttr(dst, p.Value)
		dst = append(dst, '\'')
	}
	return append(dst, '>')
}

func appendAttr(dst []byte, name, value string) []byte {
	if value == "" {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, "='"...)
	dst = AppendEscapedAttr(dst, value)
	return append(dst, '\'')
}

// AppendClose appends the closing stream tag, </stream:stream> (RFC 6120
// §4.4).
func AppendClose(dst []byte) []byte {
	return append(dst, "</stream:stream>"...)
}
