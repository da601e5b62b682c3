package xmlstream

import "strings"

// freeze turns the parser's scratch records into the element tree. One
// string holds every name, value and text that is not a constant: the
// unit's bytes, then the arena (text and values that needed unescaping).
// The elements, attributes and children go into one block when the tree is
// small (most stanzas are), else into one slice each. So a decoded element
// costs two allocations, or four when it is large.

// Blocks for small trees, smallest first: elements, attributes and children
// of one allocation. The sizes follow the stanzas seen most: a bare stanza
// or nonza, one with a child, a message with a body and a payload, and a
// few more.
type (
	block1 struct {
		e [1]Element
		a [4]Attr
		n [1]Node
	}
	block2 struct {
		e [2]Element
		a [4]Attr
		n [2]Node
	}
	block3 struct {
		e [3]Element
		a [4]Attr
		n [3]Node
	}
	block4 struct {
		e [4]Element
		a [6]Attr
		n [5]Node
	}
	block6 struct {
		e [6]Element
		a [8]Attr
		n [8]Node
	}
)

// alloc returns zeroed slices of ne elements, na attributes and nn nodes.
func alloc(ne, na, nn int) (elems []Element, attrs []Attr, nodes []Node) {
	switch {
	case ne <= 1 && na <= 4 && nn <= 1:
		b := new(block1)
		return b.e[:ne], b.a[:na], b.n[:nn]
	case ne <= 2 && na <= 4 && nn <= 2:
		b := new(block2)
		return b.e[:ne], b.a[:na], b.n[:nn]
	case ne <= 3 && na <= 4 && nn <= 3:
		b := new(block3)
		return b.e[:ne], b.a[:na], b.n[:nn]
	case ne <= 4 && na <= 6 && nn <= 5:
		b := new(block4)
		return b.e[:ne], b.a[:na], b.n[:nn]
	case ne <= 6 && na <= 8 && nn <= 8:
		b := new(block6)
		return b.e[:ne], b.a[:na], b.n[:nn]
	}
	elems = make([]Element, ne)
	if na > 0 {
		attrs = make([]Attr, na)
	}
	if nn > 0 {
		nodes = make([]Node, nn)
	}
	return elems, attrs, nodes
}

// freeze builds the element tree from the scratch records.
func (p *parser) freeze() *Element {
	// The string is the arena, after the unit's bytes if anything refers
	// to them (the general path for start tags does).
	n := 0
	if p.units {
		n = p.end
	}
	s := p.join(p.data[:n])
	elems, attrs, nodes := alloc(len(p.elems), len(p.attrs), len(p.nodes))
	for i := range p.attrs {
		a := &p.attrs[i]
		at := &attrs[i]
		at.Name.Space = a.space.str(s, n, p.consts)
		at.Name.Local = a.local.str(s, n, p.consts)
		at.Value = a.value.str(s, n, p.consts)
	}
	for i := range p.nodes {
		if r := &p.nodes[i]; r.elem >= 0 {
			nodes[i].Elem = &elems[r.elem]
		} else {
			nodes[i].Text = r.text.str(s, n, p.consts)
		}
	}
	for i := range p.elems {
		r := &p.elems[i]
		e := &elems[i]
		e.Name.Space = r.space.str(s, n, p.consts)
		e.Name.Local = r.local.str(s, n, p.consts)
		if r.a1 > r.a0 {
			e.Attr = attrs[r.a0:r.a1:r.a1]
		}
		if r.n1 > r.n0 {
			e.Nodes = nodes[r.n0:r.n1:r.n1]
		}
	}
	return &elems[0]
}

// join returns unit followed by the arena as one string, in one allocation.
func (p *parser) join(unit []byte) string {
	var b strings.Builder
	b.Grow(len(unit) + len(p.arena))
	b.Write(unit)
	b.Write(p.arena)
	return b.String()
}
