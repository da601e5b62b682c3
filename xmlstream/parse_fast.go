package xmlstream

import "math/bits"

// fastTags enables fastStartTag; tests turn it off to compare.
var fastTags = true

// fastStartTag handles the start tag at d[i] when it has the shape almost
// every stanza's tags have: an unprefixed ASCII name (interned when well
// known), attributes with ASCII names (unprefixed, or xml: like xml:lang)
// and values that need no unescaping, at most one default namespace
// declaration, within the limits. It adds the element as startTag would
// and returns the index after the tag, or -1 without any effect (and
// without failing) for anything else, which startTag then parses the
// general way, errors included. So both ways give the same records for
// the tags this one accepts.
func (p *parser) fastStartTag(i int) int {
	d := p.data
	maxName, maxValue, maxAttrs := p.cfg.MaxNameBytes, p.cfg.MaxAttrValueBytes, p.cfg.MaxAttrs
	if len(p.open) >= p.cfg.MaxDepth {
		return -1
	}
	k := i + 1
	if k >= len(d) || asciiClass[d[k]]&cNameStart == 0 {
		return -1
	}
	k++
	for k < len(d) && asciiClass[d[k]]&cNameChar != 0 {
		k++
	}
	n1 := k
	if n1-(i+1) > maxName {
		return -1
	}
	// The tag's bytes from the name (or, when the name is interned, from
	// the end of it) up to the last one an element refers to are copied
	// to the arena in one go at the end: base turns an index in d into
	// one in the arena. The attributes go to a local copy of p.attrs,
	// stored back on success.
	from, local := i+1, sref(0)
	if c := internName(d, i+1, n1); c >= 0 {
		from, local = n1, constRef(c)
	}
	base := len(p.arena) - from
	last := n1
	attrs := p.attrs
	a0 := len(attrs)
	nattr := 0
	decl := false
	var uri sref
	empty := false
	for {
		if k >= len(d) {
			return -1
		}
		c := d[k]
		if c == '>' {
			k++
			break
		}
		if c == '/' {
			if k+1 >= len(d) || d[k+1] != '>' {
				return -1
			}
			k += 2
			empty = true
			break
		}
		if asciiClass[c]&cSpace == 0 {
			return -1 // ':', non-ASCII, or a syntax error
		}
		for k++; k < len(d) && asciiClass[d[k]]&cSpace != 0; k++ {
		}
		if k >= len(d) {
			return -1
		}
		if c = d[k]; c == '>' || c == '/' {
			continue
		}
		// An attribute.
		if nattr++; nattr > maxAttrs || asciiClass[c]&cNameStart == 0 {
			return -1
		}
		an0 := k
		for k++; k < len(d) && asciiClass[d[k]]&cNameChar != 0; k++ {
		}
		// The xml prefix needs no declaration (xml:lang is common).
		l0, space := an0, sref(0)
		if k < len(d) && d[k] == ':' {
			if k-an0 != 3 || string(d[an0:k]) != "xml" || k+1 >= len(d) || asciiClass[d[k+1]]&cNameStart == 0 {
				return -1
			}
			l0, space = k+1, constRef(iXML)
			for k += 2; k < len(d) && asciiClass[d[k]]&cNameChar != 0; k++ {
			}
		}
		an1 := k
		if an1-an0 > maxName || k+1 >= len(d) || d[k] != '=' {
			return -1
		}
		q := d[k+1]
		if q != '\'' && q != '"' {
			return -1
		}
		v0 := k + 2
		v1 := v0
		// Eight bytes at a time, to the first byte that may end the value
		// or need a closer look (attrStop): no loop exit per byte to
		// mispredict. The byte loop finishes what that leaves.
		for v1+8 <= len(d) {
			if m := attrStop(d, v1); m != 0 {
				v1 += bits.TrailingZeros64(m) >> 3
				break
			}
			v1 += 8
		}
		for v1 < len(d) && asciiClass[d[v1]]&cAttr != 0 {
			v1++
		}
		if v1 >= len(d) || d[v1] != q || v1-v0 > maxValue {
			return -1
		}
		k = v1 + 1
		name := d[l0:an1]
		if space == 0 && len(name) == 5 && string(name) == "xmlns" {
			if decl {
				return -1
			}
			decl = true
			if v1 > v0 {
				if c := intern(d[v0:v1]); c >= 0 {
					uri = constRef(c)
				} else {
					uri, last = arenaRef(v0+base, v1+base), v1
				}
			}
			continue
		}
		for m := a0; m < len(attrs); m++ {
			l := attrs[m].local
			if b0, b1 := int(l.off())-base, int(^l.end())-base; b1-b0 == len(name) && d[b0] == name[0] &&
				string(d[b0:b1]) == string(name) && attrs[m].space == space {
				return -1
			}
		}
		attrs = append(attrs, attrRec{})
		r := &attrs[len(attrs)-1]
		r.space, r.local, r.value = space, arenaRef(l0+base, an1+base), arenaRef(v0+base, v1+base)
		last = v1
	}
	nsMark := int32(len(p.ns))
	if decl {
		if uri == constRef(iXML) || uri == constRef(iXMLNS) || len(p.ns)-p.nsBase >= maxAttrs {
			return -1
		}
		p.ns = append(p.ns, nsBinding{uri: uri})
	}
	p.attrs = attrs
	if last > from {
		p.arena = append(p.arena, d[from:last]...)
	}
	if local == 0 {
		local = arenaRef(i+1+base, n1+base)
	}
	idx := int32(len(p.elems))
	p.elems = append(p.elems, elemRec{})
	e := &p.elems[idx]
	e.space, _ = p.lookup(nil)
	e.local = local
	e.a0, e.a1 = int32(a0), int32(len(attrs))
	if len(p.open) > 0 {
		p.addNode(idx, 0)
	}
	if empty {
		p.ns = p.ns[:nsMark]
		return k
	}
	p.open = append(p.open, openRec{})
	o := &p.open[len(p.open)-1]
	o.elem, o.name0, o.name1, o.nsMark, o.pendAt = idx, int32(i+1), int32(n1), nsMark, int32(len(p.pend))
	return k
}
