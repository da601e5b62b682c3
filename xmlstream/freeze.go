package xmlstream

import (
	"strings"
	"unsafe"
)

// freeze turns the parser's scratch records into the element tree. One
// string holds every name, value and text that is not a constant: the
// arena (text, unescaped values, and the bytes of start tags that took the
// fast path), after the unit's bytes if the general path referred to them.
//
// A small tree (most stanzas) is one allocation: a block holding its
// elements, attributes and children and, when it fits, the string's bytes.
// Otherwise the string is a second allocation, and a tree too large for
// any block takes one slice each: four allocations.

// Blocks for small trees, smallest first. The sizes follow the stanzas seen
// most: a bare stanza or nonza, one with a child, a message with a body and
// a payload, and a few more. Each shape comes with rooms of more than one
// size, so that a tree takes the smallest block its string fits in: every
// s fills its block up to one of the allocator's size classes, less the
// 8-byte header the runtime puts before objects over 512 bytes that hold
// pointers (TestBlockSizes). A smaller block is less memory to clear, to
// pass through the caches and to collect, which costs more than the tree
// takes to build.
type (
	block1s struct {
		e [1]Element
		a [4]Attr
		n [1]Node
		s [88]byte
	}
	block1 struct {
		e [1]Element
		a [4]Attr
		n [1]Node
		s [216]byte
	}
	block2s struct {
		e [2]Element
		a [4]Attr
		n [2]Node
		s [112]byte
	}
	block2 struct {
		e [2]Element
		a [4]Attr
		n [2]Node
		s [232]byte
	}
	block3xs struct {
		e [3]Element
		a [4]Attr
		n [3]Node
		s [128]byte
	}
	block3s struct {
		e [3]Element
		a [4]Attr
		n [3]Node
		s [192]byte
	}
	block3 struct {
		e [3]Element
		a [4]Attr
		n [3]Node
		s [256]byte
	}
	// A stanza as servers deliver it: to, from, id, type and xml:lang on
	// the root, a body and one payload.
	block3as struct {
		e [3]Element
		a [6]Attr
		n [3]Node
		s [160]byte
	}
	block3a struct {
		e [3]Element
		a [6]Attr
		n [3]Node
		s [288]byte
	}
	block4s struct {
		e [4]Element
		a [6]Attr
		n [5]Node
		s [160]byte
	}
	block4 struct {
		e [4]Element
		a [6]Attr
		n [5]Node
		s [288]byte
	}
	block6s struct {
		e [6]Element
		a [8]Attr
		n [8]Node
		s [216]byte
	}
	block6 struct {
		e [6]Element
		a [8]Attr
		n [8]Node
		s [472]byte
	}
)

// alloc returns zeroed slices of ne elements, na attributes and nn nodes,
// and room for the string's bytes in the same block (nil if it has none):
// in the smallest block for the shape whose room holds ns bytes, else in
// the shape's largest (the string then gets an allocation of its own).
func alloc(ne, na, nn, ns int) (elems []Element, attrs []Attr, nodes []Node, room []byte) {
	switch {
	case ne <= 1 && na <= 4 && nn <= 1:
		if ns <= len(block1s{}.s) {
			b := new(block1s)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block1)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	case ne <= 2 && na <= 4 && nn <= 2:
		if ns <= len(block2s{}.s) {
			b := new(block2s)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block2)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	case ne <= 3 && na <= 4 && nn <= 3:
		switch {
		case ns <= len(block3xs{}.s):
			b := new(block3xs)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		case ns <= len(block3s{}.s):
			b := new(block3s)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block3)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	case ne <= 3 && na <= 6 && nn <= 3:
		if ns <= len(block3as{}.s) {
			b := new(block3as)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block3a)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	case ne <= 4 && na <= 6 && nn <= 5:
		if ns <= len(block4s{}.s) {
			b := new(block4s)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block4)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	case ne <= 6 && na <= 8 && nn <= 8:
		if ns <= len(block6s{}.s) {
			b := new(block6s)
			return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
		}
		b := new(block6)
		return b.e[:ne], b.a[:na], b.n[:nn], b.s[:]
	}
	elems = make([]Element, ne)
	if na > 0 {
		attrs = make([]Attr, na)
	}
	if nn > 0 {
		nodes = make([]Node, nn)
	}
	return elems, attrs, nodes, nil
}

// str returns unit followed by the arena as one string: in room if it fits
// there, else in a new allocation.
//
// room is fresh memory of the tree's block that nothing else writes: it is
// written here once and from then on only read, through the string, so
// making the string over it with unsafe.String is sound (strings.Builder
// does the same), and the string keeps the block alive, as the elements do.
func (p *parser) str(unit, room []byte) string {
	n := len(unit) + len(p.arena)
	switch {
	case n == 0:
		return ""
	case n > len(room):
		var b strings.Builder
		b.Grow(n)
		b.Write(unit)
		b.Write(p.arena)
		return b.String()
	}
	copy(room[copy(room, unit):], p.arena)
	return unsafe.String(&room[0], n)
}

// freeze builds the element tree from the scratch records.
func (p *parser) freeze() *Element {
	// The string is the arena, after the unit's bytes if anything refers
	// to them (the general path for start tags does).
	n := 0
	if p.units {
		n = p.end
	}
	elems, attrs, nodes, room := alloc(len(p.elems), len(p.attrs), len(p.nodes), n+len(p.arena))
	s := p.str(p.data[:n], room)
	// The block is zeroed: an empty namespace (most attributes have none)
	// is left as it is, which spares a store and its write barrier.
	for i := range p.attrs {
		a := &p.attrs[i]
		at := &attrs[i]
		if a.space != 0 {
			at.Name.Space = a.space.str(s, n, p.consts)
		}
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
