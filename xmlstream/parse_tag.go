package xmlstream

import (
	"bytes"
	"unicode/utf8"
)

// qname scans the QName at d[i] (Namespaces in XML §4). It returns its end
// and the index of its colon (-1 if unprefixed), or -1 after failing.
func (p *parser) qname(i int) (end, colon int) {
	max := p.cfg.MaxNameBytes
	j := ncName(p.data, i, max)
	colon = -1
	if j > 0 && j < len(p.data) && p.data[j] == ':' {
		colon = j
		j = ncName(p.data, j+1, max-(j+1-i))
	}
	switch {
	case j == -2:
		return p.fail(CondPolicyViolation, i, "name exceeds MaxNameBytes"), -1
	case j < 0:
		return p.fail(CondNotWellFormed, i, "invalid name"), -1
	case j < len(p.data) && p.data[j] == ':':
		return p.fail(CondNotWellFormed, j, "invalid qualified name"), -1
	}
	return j, colon
}

// tag scans the start tag at d[i] into p.raw. It returns the index after
// the tag and whether it is an empty-element tag.
func (p *parser) tag(i int) (int, bool) {
	d := p.data
	p.raw = p.raw[:0]
	p.decls = false
	j, colon := p.qname(i + 1)
	if j < 0 {
		return -1, false
	}
	p.raw = append(p.raw, rawAttr{n0: int32(i + 1), colon: int32(colon), n1: int32(j)})
	for {
		k := skipSpace(d, j)
		if k >= len(d) {
			return p.fail(CondNotWellFormed, k, "unexpected end of start tag"), false
		}
		switch d[k] {
		case '>':
			return k + 1, false
		case '/':
			if k+1 < len(d) && d[k+1] == '>' {
				return k + 2, true
			}
			return p.fail(CondNotWellFormed, k, "invalid start tag"), false
		}
		if k == j {
			return p.fail(CondNotWellFormed, k, "missing space before attribute"), false
		}
		if len(p.raw) > p.cfg.MaxAttrs {
			return p.fail(CondPolicyViolation, k, "attributes exceed MaxAttrs"), false
		}
		n1, colon := p.qname(k)
		if n1 < 0 {
			return -1, false
		}
		v := skipSpace(d, n1)
		if v >= len(d) || d[v] != '=' {
			return p.fail(CondNotWellFormed, v, "expected '=' after attribute name"), false
		}
		v = skipSpace(d, v+1)
		if v >= len(d) || d[v] != '"' && d[v] != '\'' {
			return p.fail(CondNotWellFormed, v, "expected quoted attribute value"), false
		}
		v1, plain := p.rawValue(v+1, d[v])
		if v1 < 0 {
			return -1, false
		}
		a := rawAttr{n0: int32(k), colon: int32(colon), n1: int32(n1), v0: int32(v + 1), v1: int32(v1), plain: plain}
		a.decl = p.isDecl(&a)
		p.decls = p.decls || a.decl
		p.raw = append(p.raw, a)
		j = v1 + 1
	}
}

// rawValue checks the attribute value at d[i] up to quote q. It returns the
// index of the closing quote and whether the value can be copied verbatim.
func (p *parser) rawValue(i int, q byte) (int, bool) {
	d := p.data
	start, plain := i, true
	for i < len(d) {
		for i < len(d) && asciiClass[d[i]]&cAttr != 0 {
			i++
		}
		if i == len(d) {
			break
		}
		c := d[i]
		if c < utf8.RuneSelf {
			switch c {
			case q:
				if i-start > p.cfg.MaxAttrValueBytes {
					return p.fail(CondPolicyViolation, start+p.cfg.MaxAttrValueBytes, "attribute value exceeds MaxAttrValueBytes"), false
				}
				return i, plain
			case '"', '\'':
			case '&', '\t', '\n', '\r':
				plain = false
			case '<':
				return p.fail(CondNotWellFormed, i, "'<' in attribute value"), false
			default:
				return p.fail(CondNotWellFormed, i, "character not allowed in XML"), false
			}
			i++
			continue
		}
		n := charLen(d[i:])
		if n == 0 {
			return p.fail(CondNotWellFormed, i, "invalid UTF-8 or character not allowed in XML"), false
		}
		i += n
	}
	return p.fail(CondNotWellFormed, i, "unterminated attribute value"), false
}

// value appends the normalized value of a (XML 1.0 §3.3.3) to the arena.
func (p *parser) value(a *rawAttr) (sref, bool) {
	d := p.data
	off := len(p.arena)
	if a.plain {
		p.arena = append(p.arena, d[a.v0:a.v1]...)
		return sref{off: int32(off), end: int32(len(p.arena))}, true
	}
	for i := int(a.v0); i < int(a.v1); {
		switch c := d[i]; c {
		case '&':
			if i = p.ref(i); i < 0 {
				return sref{}, false
			}
			continue
		case '\r':
			if i+1 < int(a.v1) && d[i+1] == '\n' {
				i++
			}
			p.arena = append(p.arena, ' ')
		case '\t', '\n':
			p.arena = append(p.arena, ' ')
		default:
			p.arena = append(p.arena, c)
		}
		i++
	}
	return sref{off: int32(off), end: int32(len(p.arena))}, true
}

func (p *parser) isDecl(a *rawAttr) bool {
	name := p.data[a.n0:a.n1]
	if a.colon < 0 {
		return string(name) == "xmlns"
	}
	return string(p.data[a.n0:a.colon]) == "xmlns"
}

// declare pushes the namespace declarations of the scanned tag.
func (p *parser) declare() bool {
	if !p.decls {
		return true
	}
	d := p.data
	for k := 1; k < len(p.raw); k++ {
		a := &p.raw[k]
		if !a.decl {
			continue
		}
		var prefix []byte
		if a.colon >= 0 {
			prefix = d[a.colon+1 : a.n1]
		}
		for m := 1; m < k; m++ {
			if b := &p.raw[m]; b.decl && bytes.Equal(d[b.n0:b.n1], d[a.n0:a.n1]) {
				return p.fail(CondNotWellFormed, int(a.n0), "duplicate namespace declaration") >= 0
			}
		}
		uri, ok := p.uri(a)
		if !ok {
			return false
		}
		// Reserved names are always interned, so comparing refs is enough.
		switch {
		case string(prefix) == "xml":
			if uri != constRef(iXML) {
				return p.fail(CondNotWellFormed, int(a.n0), "prefix xml bound to another namespace") >= 0
			}
			continue
		case string(prefix) == "xmlns" || uri == constRef(iXML) || uri == constRef(iXMLNS):
			return p.fail(CondNotWellFormed, int(a.n0), "reserved namespace declaration") >= 0
		case prefix != nil && uri == sref{}:
			return p.fail(CondNotWellFormed, int(a.n0), "prefix bound to the empty namespace") >= 0
		}
		if len(p.ns)-p.nsBase >= p.cfg.MaxAttrs {
			// Each name is resolved by a search of the declarations in
			// scope: bounding them keeps that search cheap.
			return p.fail(CondPolicyViolation, int(a.n0), "namespace declarations in scope exceed MaxAttrs") >= 0
		}
		p.ns = append(p.ns, nsBinding{prefix: prefix, uri: uri})
	}
	return true
}

// uri returns the namespace name declared by a, interned when well known.
func (p *parser) uri(a *rawAttr) (sref, bool) {
	if a.plain {
		if i, ok := wellKnownIndex[string(p.data[a.v0:a.v1])]; ok {
			return constRef(i), true
		}
	}
	off := len(p.arena)
	r, ok := p.value(a)
	if !ok || r.end == r.off {
		return sref{}, ok
	}
	if i, ok := wellKnownIndex[string(p.arena[r.off:r.end])]; ok {
		p.arena = p.arena[:off]
		return constRef(i), true
	}
	return r, true
}

// same reports whether two namespace names are equal.
func (p *parser) same(a, b sref) bool {
	switch {
	case a == b:
		return true
	case a.off < 0 && b.off < 0:
		return p.consts[-a.off-1] == p.consts[-b.off-1]
	case a.off < 0:
		return p.consts[-a.off-1] == string(p.arena[b.off:b.end])
	case b.off < 0:
		return p.consts[-b.off-1] == string(p.arena[a.off:a.end])
	}
	return bytes.Equal(p.arena[a.off:a.end], p.arena[b.off:b.end])
}

// constant returns a reference to s, adding it to p.consts if needed.
func (p *parser) constant(s string) sref {
	if s == "" {
		return sref{}
	}
	if i, ok := wellKnownIndex[s]; ok {
		return constRef(i)
	}
	for i := len(wellKnown); i < len(p.consts); i++ {
		if p.consts[i] == s {
			return constRef(i)
		}
	}
	p.consts = append(p.consts, s)
	return constRef(len(p.consts) - 1)
}

// lookup resolves a prefix (empty for the default namespace).
func (p *parser) lookup(prefix []byte) (sref, bool) {
	if string(prefix) == "xml" {
		return constRef(iXML), true
	}
	for k := len(p.ns) - 1; k >= 0; k-- {
		if bytes.Equal(p.ns[k].prefix, prefix) {
			return p.ns[k].uri, true
		}
	}
	return sref{}, len(prefix) == 0
}

// resolve adds the element and attributes of the scanned tag at d[i],
// with namespaces resolved.
func (p *parser) resolve(i int) bool {
	d := p.data
	e := elemRec{a0: int32(len(p.attrs))}
	for k := range p.raw {
		a := &p.raw[k]
		if a.decl {
			continue
		}
		local := d[a.n0:a.n1]
		switch {
		case a.colon >= 0:
			prefix := d[a.n0:a.colon]
			if string(prefix) == "xmlns" {
				return p.fail(CondNotWellFormed, int(a.n0), "element with the xmlns prefix") >= 0
			}
			sp, ok := p.lookup(prefix)
			if !ok {
				return p.fail(CondBadNamespacePrefix, int(a.n0), "undeclared namespace prefix") >= 0
			}
			a.space = sp
			local = d[a.colon+1 : a.n1]
		case k == 0:
			a.space, _ = p.lookup(nil)
		default:
			a.space = sref{}
		}
		for m := 1; m < k; m++ {
			b := &p.raw[m]
			if b.decl {
				continue
			}
			bl := d[b.n0:b.n1]
			if b.colon >= 0 {
				bl = d[b.colon+1 : b.n1]
			}
			if bytes.Equal(bl, local) && p.same(a.space, b.space) {
				return p.fail(CondNotWellFormed, int(a.n0), "duplicate attribute") >= 0
			}
		}
		off := len(p.arena)
		p.arena = append(p.arena, local...)
		lr := sref{off: int32(off), end: int32(len(p.arena))}
		if k == 0 {
			e.space, e.local = a.space, lr
			continue
		}
		v, ok := p.value(a)
		if !ok {
			return false
		}
		p.attrs = append(p.attrs, attrRec{space: a.space, local: lr, value: v})
	}
	e.a1 = int32(len(p.attrs))
	p.elems = append(p.elems, e)
	return true
}

// Indices of the reserved namespaces in wellKnown.
const (
	iXML = iota
	iXMLNS
	iStream
)

// wellKnown are the namespace names that elements refer to without copying
// them into their arena. As a slice literal its capacity is its length, so
// appending to it (parser.constant) copies.
var wellKnown = []string{NSXML, NSXMLNS, NSStream,
	"jabber:client", "jabber:server", "jabber:component:accept", "jabber:component:connect",
	"jabber:server:dialback", "jabber:iq:roster", "jabber:iq:auth",
	"jabber:iq:register", "jabber:iq:version", "jabber:iq:last", "jabber:iq:private",
	"jabber:iq:oob", "jabber:x:oob", "jabber:x:data", "jabber:x:delay", "jabber:x:event",
	"jabber:iq:time", "vcard-temp", "vcard-temp:x:update", "urn:xmpp:ping", "urn:xmpp:delay",
	"urn:xmpp:time", "urn:xmpp:receipts", "urn:xmpp:sm:3", "urn:xmpp:carbons:2",
	"urn:xmpp:forward:0", "urn:xmpp:mam:2", "urn:xmpp:sid:0", "urn:xmpp:chat-markers:0",
	"urn:ietf:params:xml:ns:xmpp-stanzas", "urn:ietf:params:xml:ns:xmpp-streams",
	"urn:ietf:params:xml:ns:xmpp-tls", "urn:ietf:params:xml:ns:xmpp-sasl",
	"urn:ietf:params:xml:ns:xmpp-bind", "urn:ietf:params:xml:ns:xmpp-session",
	"http://jabber.org/protocol/chatstates", "http://jabber.org/protocol/disco#info",
	"http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/caps",
	"http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user",
	"http://jabber.org/protocol/muc#admin", "http://jabber.org/protocol/muc#owner",
	"http://jabber.org/protocol/xhtml-im", "http://www.w3.org/1999/xhtml",
	"http://jabber.org/protocol/pubsub", "http://jabber.org/protocol/pubsub#event",
	"http://jabber.org/protocol/nick", "http://jabber.org/protocol/commands",
	"http://jabber.org/protocol/rsm", "http://jabber.org/features/iq-auth",
	"http://jabber.org/features/iq-register", "http://jabber.org/protocol/compress",
	"http://jabber.org/protocol/address", "http://jabber.org/protocol/ibb",
	"http://jabber.org/protocol/si", "http://jabber.org/protocol/bytestreams",
}

var wellKnownIndex = func() map[string]int {
	m := make(map[string]int, len(wellKnown))
	for i, s := range wellKnown {
		m[s] = i
	}
	return m
}()
