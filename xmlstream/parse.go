package xmlstream

import (
	"bytes"
	"encoding/binary"
	"sync"
)

// The parser validates the bytes of one complete unit (a top-level element,
// or the stream header's start tag) and builds its tree. Everything goes
// into grow-only scratch slices first; freeze then makes exactly one string
// (every name, value and text that is not a constant is a substring of it)
// and one block of elements, attributes and children, usually in a single
// allocation (see freeze.go).

// sref is a string under construction: the constant consts[-off-1] when
// off < 0; else arena[off:^end] when end < 0 (text and values that needed
// unescaping); else data[off:end], the unit's own bytes. The zero sref is "".
// off and end are packed into one word: the parser writes and reads srefs
// whole, and a record that is stored in halves and loaded whole stalls the
// processor (store forwarding).
type sref uint64

func mkref(off, end int32) sref { return sref(uint32(off)) | sref(uint32(end))<<32 }

func (r sref) off() int32 { return int32(uint32(r)) }
func (r sref) end() int32 { return int32(uint32(r >> 32)) }

// constRef refers to consts[i].
func constRef(i int) sref { return mkref(int32(-i-1), 0) }

// dataRef refers to data[off:end], which makes the unit's bytes part of
// the element's string.
func (p *parser) dataRef(off, end int) sref {
	p.units = true
	return mkref(int32(off), int32(end))
}

// arenaRef refers to arena[off:end].
func arenaRef(off, end int) sref { return mkref(int32(off), ^int32(end)) }

// str returns r from s, the unit's n bytes followed by the arena.
func (r sref) str(s string, n int, consts []string) string {
	off, end := int(r.off()), int(r.end())
	switch {
	case off < 0:
		return consts[-off-1]
	case end < 0:
		return s[n+off : n+^end]
	}
	return s[off:end]
}

type elemRec struct {
	space, local sref
	a0, a1       int32 // attrs[a0:a1]
	n0, n1       int32 // nodes[n0:n1]
}

type attrRec struct {
	space, local, value sref
}

// nodeRec is a child: elems[elem] when elem >= 0, else text.
type nodeRec struct {
	elem int32
	text sref
}

// openRec is an element whose end tag has not been seen yet.
type openRec struct {
	elem           int32
	name0, name1   int32 // raw qualified name in data, for the end tag
	nsMark, pendAt int32 // ns and pend lengths when it opened
}

// nsBinding binds prefix (empty for the default namespace) to uri.
type nsBinding struct {
	prefix []byte
	uri    sref
}

// rawAttr is one attribute as written: qualified name data[n0:n1] (colon at
// colon, or -1) and value data[v0:v1], plain when it needs no unescaping.
type rawAttr struct {
	n0, colon, n1 int32
	v0, v1        int32
	plain         bool // the value needs no unescaping
	decl          bool // a namespace declaration
	space         sref // resolved namespace (not for declarations)
}

var streamPrefix = []byte("stream")

type parser struct {
	cfg  *Config
	data []byte // the unit (or more, see prefix)
	base int64  // input offset of data[0]
	end  int    // the unit is data[:end], once parsed
	// units is set once a string ref points into data (see freeze).
	units bool
	// quiet makes fail record nothing: prefix's failures are decided
	// again by the pre-scan and element, so their errors would be thrown
	// away (and most are just the unit being cut short).
	quiet bool

	arena  []byte
	elems  []elemRec
	attrs  []attrRec
	nodes  []nodeRec // children, grouped by parent
	pend   []nodeRec // children of still-open elements
	open   []openRec
	ns     []nsBinding
	raw    []rawAttr
	decls  bool // raw holds a namespace declaration
	nsBase int  // ns[:nsBase] is the stream's scope

	// consts are the strings srefs can refer to without copying: the
	// well-known namespaces, then the stream's own (see constRef).
	consts []string

	err *Error
}

// reset prepares p for data, in the namespace scope of the stream.
func (p *parser) reset(data []byte, base int64, scope []nsBinding) {
	p.ns = append(p.ns[:0], scope...)
	p.nsBase = len(scope)
	p.rewind(data, base)
}

// rewind is reset in the scope p was last reset with: ns[:nsBase] is never
// written in between (declarations are appended after it, and only what
// was appended is cut off again), unless trim dropped ns, which it tells
// by clearing nsBase.
func (p *parser) rewind(data []byte, base int64) {
	p.data, p.base, p.err, p.units = data, base, nil, false
	p.arena = p.arena[:0]
	p.elems = p.elems[:0]
	p.attrs = p.attrs[:0]
	p.nodes = p.nodes[:0]
	p.pend = p.pend[:0]
	p.open = p.open[:0]
	p.ns = p.ns[:p.nsBase]
}

// release drops the unit's bytes and, as trim does, scratch that a huge
// element made huge.
func (p *parser) release() {
	p.data = nil
	p.trim()
}

// trim drops scratch that a huge element made huge, so that a decoder's
// retained memory stays bounded by one ordinary element.
func (p *parser) trim() {
	if cap(p.arena) > 64<<10 {
		p.arena = nil
	}
	if cap(p.elems) > 1024 || cap(p.pend) > 1024 || cap(p.nodes) > 1024 || cap(p.open) > 1024 {
		p.elems, p.pend, p.nodes, p.open = nil, nil, nil, nil
	}
	if cap(p.attrs) > 1024 || cap(p.ns) > 1024 {
		p.attrs, p.ns, p.nsBase = nil, nil, 0
	}
}

func (p *parser) fail(cond string, i int, msg string) int {
	if p.err == nil && !p.quiet {
		p.err = &Error{Condition: cond, Offset: p.base + int64(i), Msg: msg}
	}
	return -1
}

// element parses data as exactly one element. It reports success; on
// failure p.err is set.
func (p *parser) element() bool {
	return p.parse(false) > 0
}

// prefix parses the element at the start of data, which may go on after it
// (or be cut short), and returns the element's length, or -1 after failing.
// It is the fast path for a unit whose bytes are probably all there: it
// spares the pre-scan, and any failure (an error, or data cut short) is
// decided again by the pre-scan and element, so that the outcome never
// depends on which path ran.
func (p *parser) prefix() int {
	p.quiet = true
	n := p.parse(true)
	p.quiet = false
	return n
}

// parse is element (stop false) or prefix (stop true).
func (p *parser) parse(stop bool) int {
	d := p.data
	i := 0
	for i < len(d) {
		if stop && len(p.open) == 0 && len(p.elems) > 0 {
			p.end = i
			return i
		}
		if d[i] != '<' {
			if len(p.open) == 0 {
				return p.fail(CondNotWellFormed, i, "content after the element")
			}
			if i = p.text(i); i < 0 {
				return -1
			}
			continue
		}
		if i+1 >= len(d) {
			break
		}
		switch d[i+1] {
		case '/':
			i = p.endTag(i)
		case '!':
			i = p.cdata(i)
		case '?':
			i = p.fail(CondRestrictedXML, i, "processing instruction")
		default:
			if len(p.open) == 0 && len(p.elems) > 0 {
				i = p.fail(CondNotWellFormed, i, "content after the element")
			} else {
				i = p.startTag(i)
			}
		}
		if i < 0 {
			return -1
		}
	}
	if len(p.open) > 0 || len(p.elems) == 0 {
		return p.fail(CondNotWellFormed, len(d), "unexpected end of element")
	}
	p.end = i
	return i
}

// startTag parses the start tag at d[i] and opens (or, if empty, adds) its
// element. It returns the index after the tag.
func (p *parser) startTag(i int) int {
	if fastTags {
		if j := p.fastStartTag(i); j >= 0 {
			return j
		}
	}
	j, empty := p.tag(i)
	if j < 0 {
		return -1
	}
	if len(p.open) >= p.cfg.MaxDepth {
		return p.fail(CondPolicyViolation, i, "element nesting exceeds MaxDepth")
	}
	nsMark := int32(len(p.ns))
	if !p.declare() {
		return -1
	}
	idx := int32(len(p.elems))
	if !p.resolve(i) {
		return -1
	}
	if len(p.open) > 0 {
		p.addNode(idx, 0)
	}
	if empty {
		p.ns = p.ns[:nsMark]
		return j
	}
	n1 := p.raw[0].n1
	p.open = append(p.open, openRec{})
	o := &p.open[len(p.open)-1]
	o.elem, o.name0, o.name1, o.nsMark, o.pendAt = idx, int32(i+1), n1, nsMark, int32(len(p.pend))
	return j
}

// nameEnd returns the end of the (already validated) name at d[i].
func (p *parser) nameEnd(i int) int {
	d := p.data
	for i < len(d) && d[i] != '>' && d[i] != '/' && !isSpace(d[i]) {
		i++
	}
	return i
}

// endTag parses the end tag at d[i] and closes the innermost element.
func (p *parser) endTag(i int) int {
	d := p.data
	if len(p.open) == 0 {
		return p.fail(CondNotWellFormed, i, "end tag without start tag")
	}
	o := &p.open[len(p.open)-1]
	j := i + 2
	if !sameName(d, j, int(o.name0), int(o.name1)) {
		return p.fail(CondNotWellFormed, i, "mismatched end tag")
	}
	j = skipSpace(d, j+int(o.name1-o.name0))
	if j >= len(d) || d[j] != '>' {
		return p.fail(CondNotWellFormed, i, "mismatched end tag")
	}
	e := &p.elems[o.elem]
	e.n0 = int32(len(p.nodes))
	for k := int(o.pendAt); k < len(p.pend); k++ {
		// Field by field: see sref on store forwarding.
		r := &p.pend[k]
		p.nodes = append(p.nodes, nodeRec{})
		n := &p.nodes[len(p.nodes)-1]
		n.elem, n.text = r.elem, r.text
	}
	e.n1 = int32(len(p.nodes))
	p.pend = p.pend[:o.pendAt]
	p.ns = p.ns[:o.nsMark]
	p.open = p.open[:len(p.open)-1]
	return j + 1
}

// sameName reports whether d[j:] starts with the name d[n0:n1], n0 < j. A
// name of up to eight bytes (most) is compared as one word of each when
// eight bytes are left at j (so also at n0): no call for a short compare.
func sameName(d []byte, j, n0, n1 int) bool {
	if n := n1 - n0; n <= 8 && j+8 <= len(d) {
		a := binary.LittleEndian.Uint64(d[n0:])
		b := binary.LittleEndian.Uint64(d[j:])
		return (a^b)<<(64-8*n) == 0
	}
	return bytes.HasPrefix(d[j:], d[n0:n1])
}

// addNode adds a child to the open element: elems[elem], or text if
// elem < 0.
func (p *parser) addNode(elem int32, text sref) {
	p.pend = append(p.pend, nodeRec{})
	n := &p.pend[len(p.pend)-1]
	n.elem, n.text = elem, text
}

// lastText returns the open element's last child if it is text, else nil.
func (p *parser) lastText() *nodeRec {
	at := p.open[len(p.open)-1].pendAt
	if n := len(p.pend); n > int(at) && p.pend[n-1].elem < 0 {
		return &p.pend[n-1]
	}
	return nil
}

// textArena prepares the arena for character data that is unescaped into
// it or that follows other text (a CDATA section next to text: they make
// one node): that text is moved to the end of the arena. It returns where
// the new text starts.
func (p *parser) textArena() int {
	if t := p.lastText(); t != nil && (t.text.end() >= 0 || int(^t.text.end()) != len(p.arena)) {
		off := len(p.arena)
		p.arena = append(p.arena, p.bytesOf(t.text)...)
		t.text = arenaRef(off, len(p.arena))
	}
	return len(p.arena)
}

// addText records arena[off:] as character data of the open element,
// merging it with text right before it (which textArena put before off).
func (p *parser) addText(off int) {
	end := len(p.arena)
	if end == off {
		return
	}
	if t := p.lastText(); t != nil {
		t.text = arenaRef(int(t.text.off()), end)
		return
	}
	p.addNode(-1, arenaRef(off, end))
}

// bytesOf returns the bytes r refers to (not for constants).
func (p *parser) bytesOf(r sref) []byte {
	if r.end() < 0 {
		return p.arena[r.off():^r.end()]
	}
	return p.data[r.off():r.end()]
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

// Parse parses data as one standalone element, as if it were a top-level
// element of a stream whose default namespace is defaultNS and which binds
// the prefix "stream" to NSStream (RFC 6120 §4.8). It applies the same
// restricted-XML rules (RFC 6120 §11) and Config limits as a Decoder, so it
// can validate raw XML before it is sent. Whitespace may surround the
// element; anything else after it is not-well-formed. Errors are *Error.
func Parse(data []byte, defaultNS string, cfg *Config) (*Element, error) {
	c := cfg.withDefaults()
	i := skipSpace(data, 0)
	if i == len(data) {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(i), Msg: "no element"}
	}
	if data[i] != '<' {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(i), Msg: "text outside the element"}
	}
	s := scanner{mode: mLt, pos: 1} // just after the '<' at data[i]
	n := 0
	if i+1 < len(data) && data[i+1] == '/' {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(i), Msg: "end tag without start tag"}
	}
	if i+1 < len(data) && data[i+1] == '!' && hasPrefix(data[i:], cdataOpen) != -1 {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(i), Msg: "text outside the element"}
	}
	if n = s.run(data[i:], &c); n < 0 {
		return nil, &Error{Condition: s.cond, Offset: int64(i + s.at), Msg: s.msg}
	}
	if n == 0 {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(len(data)), Msg: "unexpected end of element"}
	}
	p := parserPool.Get().(*parser)
	defer func() { p.release(); parserPool.Put(p) }()
	p.cfg = &c
	p.consts = wellKnown
	scope := [2]nsBinding{{uri: p.constant(defaultNS)}, {prefix: streamPrefix, uri: constRef(iStream)}}
	p.reset(data[i:i+n], int64(i), scope[:])
	if !p.element() {
		return nil, p.err
	}
	if j := skipSpace(data, i+n); j < len(data) {
		return nil, &Error{Condition: CondNotWellFormed, Offset: int64(j), Msg: "content after the element"}
	}
	return p.freeze(), nil
}
