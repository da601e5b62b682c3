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
	j, colon := p.fastQName(i + 1)
	if j < 0 {
		return -1, false
	}
	// Records are filled in place, field by field: building one on the
	// stack and copying it stalls on store forwarding.
	p.raw = append(p.raw, rawAttr{})
	r := &p.raw[0]
	r.n0, r.colon, r.n1 = int32(i+1), int32(colon), int32(j)
	for {
		k := j
		for k < len(d) && asciiClass[d[k]]&cSpace != 0 {
			k++
		}
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
		n1, colon := p.fastQName(k)
		if n1 < 0 {
			return -1, false
		}
		v := n1
		if v >= len(d) || d[v] != '=' {
			if v = skipSpace(d, v); v >= len(d) || d[v] != '=' {
				return p.fail(CondNotWellFormed, v, "expected '=' after attribute name"), false
			}
		}
		if v++; v >= len(d) || d[v] != '"' && d[v] != '\'' {
			if v = skipSpace(d, v); v >= len(d) || d[v] != '"' && d[v] != '\'' {
				return p.fail(CondNotWellFormed, v, "expected quoted attribute value"), false
			}
		}
		// The usual value is ASCII with nothing to unescape.
		q, v0 := d[v], v+1
		v1, plain := v0, true
		for v1+8 <= len(d) && attrWord(d, v1) {
			v1 += 8
		}
		for v1 < len(d) && asciiClass[d[v1]]&cAttr != 0 {
			v1++
		}
		if v1 >= len(d) || d[v1] != q || v1-v0 > p.cfg.MaxAttrValueBytes {
			if v1, plain = p.rawValue(v0, q); v1 < 0 {
				return -1, false
			}
		}
		var decl bool
		if colon < 0 {
			decl = n1-k == 5 && string(d[k:n1]) == "xmlns"
		} else {
			decl = colon-k == 5 && string(d[k:colon]) == "xmlns"
		}
		p.decls = p.decls || decl
		p.raw = append(p.raw, rawAttr{})
		r := &p.raw[len(p.raw)-1]
		r.n0, r.colon, r.n1 = int32(k), int32(colon), int32(n1)
		r.v0, r.v1, r.plain, r.decl = int32(v0), int32(v1), plain, decl
		j = v1 + 1
	}
}

// fastQName is qname for the usual ASCII name, prefixed or not, and falls
// back to qname for anything else.
func (p *parser) fastQName(i int) (end, colon int) {
	d := p.data
	j := i
	if j < len(d) && asciiClass[d[j]]&cNameStart != 0 {
		j++
		for j < len(d) && asciiClass[d[j]]&cNameChar != 0 {
			j++
		}
	}
	colon = -1
	if j > i && j < len(d) && d[j] == ':' {
		colon = j
		j++
		if j < len(d) && asciiClass[d[j]]&cNameStart != 0 {
			j++
			for j < len(d) && asciiClass[d[j]]&cNameChar != 0 {
				j++
			}
		}
	}
	if j == i || j == colon+1 || j-i > p.cfg.MaxNameBytes || j < len(d) && (d[j] >= utf8.RuneSelf || d[j] == ':') {
		return p.qname(i)
	}
	return j, colon
}

// rawValue checks the attribute value at d[i] up to quote q. It returns the
// index of the closing quote and whether the value can be copied verbatim.
func (p *parser) rawValue(i int, q byte) (int, bool) {
	d := p.data
	start, plain := i, true
	for i < len(d) {
		for i+8 <= len(d) && attrWord(d, i) {
			i += 8
		}
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
	if a.plain {
		return p.dataRef(int(a.v0), int(a.v1)), true
	}
	off := len(p.arena)
	for i := int(a.v0); i < int(a.v1); {
		switch c := d[i]; c {
		case '&':
			if i = p.ref(i); i < 0 {
				return sref(0), false
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
	return arenaRef(off, len(p.arena)), true
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
		case prefix != nil && uri == sref(0):
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
	if a.v0 == a.v1 {
		return sref(0), true
	}
	if a.plain {
		if i := intern(p.data[a.v0:a.v1]); i >= 0 {
			return constRef(i), true
		}
		return p.dataRef(int(a.v0), int(a.v1)), true
	}
	off := len(p.arena)
	r, ok := p.value(a)
	switch {
	case !ok || len(p.arena) == off:
		return sref(0), ok
	}
	if i := intern(p.arena[off:]); i >= 0 {
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
	case a.off() < 0 && b.off() < 0:
		return p.consts[-a.off()-1] == p.consts[-b.off()-1]
	case a.off() < 0:
		return p.consts[-a.off()-1] == string(p.bytesOf(b))
	case b.off() < 0:
		return p.consts[-b.off()-1] == string(p.bytesOf(a))
	}
	return bytes.Equal(p.bytesOf(a), p.bytesOf(b))
}

// constant returns a reference to s, adding it to p.consts if needed.
func (p *parser) constant(s string) sref {
	if s == "" {
		return sref(0)
	}
	if i := intern(s); i >= 0 {
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
	return sref(0), len(prefix) == 0
}

// resolve adds the element and attributes of the scanned tag at d[i],
// with namespaces resolved.
func (p *parser) resolve(i int) bool {
	d := p.data
	p.elems = append(p.elems, elemRec{})
	e := &p.elems[len(p.elems)-1]
	e.a0 = int32(len(p.attrs))
	for k := range p.raw {
		a := &p.raw[k]
		if a.decl {
			continue
		}
		l0 := a.n0
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
			l0 = a.colon + 1
		case k == 0:
			a.space, _ = p.lookup(nil)
		default:
			a.space = sref(0)
		}
		local := d[l0:a.n1]
		for m := 1; m < k; m++ {
			b := &p.raw[m]
			if b.decl {
				continue
			}
			b0 := b.n0
			if b.colon >= 0 {
				b0 = b.colon + 1
			}
			if b.n1-b0 == a.n1-l0 && string(d[b0:b.n1]) == string(local) && p.same(a.space, b.space) {
				return p.fail(CondNotWellFormed, int(a.n0), "duplicate attribute") >= 0
			}
		}
		lr := p.dataRef(int(l0), int(a.n1))
		if k == 0 {
			e.space, e.local = a.space, lr
			continue
		}
		v, ok := p.value(a)
		if !ok {
			return false
		}
		p.attrs = append(p.attrs, attrRec{})
		r := &p.attrs[len(p.attrs)-1]
		r.space, r.local, r.value = a.space, lr, v
	}
	e.a1 = int32(len(p.attrs))
	return true
}
