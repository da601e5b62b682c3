package xmlstream

import (
	"iter"
	"strings"
)

// Well-known namespaces that the stream layer itself needs.
const (
	// NSStream is the namespace of the stream header, stream features and
	// stream errors (RFC 6120 §4.8.1).
	NSStream = "http://etherx.jabber.org/streams"
	// NSXML is the namespace bound to the reserved "xml" prefix
	// (Namespaces in XML 1.0 §3), used by xml:lang.
	NSXML = "http://www.w3.org/XML/1998/namespace"
	// NSXMLNS is the namespace of namespace declarations themselves.
	NSXMLNS = "http://www.w3.org/2000/xmlns/"
)

// Name is a namespace-qualified XML name: Space is the namespace URI (never a
// prefix) and Local the local part. Space is "" for names in no namespace.
type Name struct {
	Space, Local string
}

// String returns the name in Clark notation, "{space}local", or just the local
// part when Space is empty.
func (n Name) String() string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// Attr is one attribute. Namespace declarations (xmlns, xmlns:p) are not
// attributes in this model: the decoder resolves them into Name.Space and the
// encoder writes the declarations it needs.
type Attr struct {
	Name  Name
	Value string
}

// Node is one child of an Element in document order: an element when Elem is
// non-nil, otherwise character data (already unescaped; CDATA sections and
// adjacent text are merged into one Node by the decoder).
type Node struct {
	Elem *Element
	Text string
}

// Element is a namespace-qualified XML element with its attributes and
// children (RFC 6120 §4.1 calls the top-level ones stanzas and nonzas).
//
// An Element produced by the Decoder shares backing arrays with its
// descendants; the Attr and Nodes slices are capped so that appending to them
// reallocates instead of overwriting a neighbour. Elements are not safe for
// concurrent mutation; reading one from several goroutines is fine.
type Element struct {
	Name  Name
	Attr  []Attr
	Nodes []Node
}

// New returns an empty element named {space}local (Jabber::NodeFactory's
// newNode).
func New(space, local string) *Element {
	return &Element{Name: Name{Space: space, Local: local}}
}

// SetAttr sets the no-namespace attribute local to value, replacing an
// existing one, and returns e for chaining.
func (e *Element) SetAttr(local, value string) *Element {
	return e.SetAttrNS("", local, value)
}

// SetAttrNS sets the attribute {space}local to value, replacing an existing
// one, and returns e for chaining. Use NSXML for xml:lang.
func (e *Element) SetAttrNS(space, local, value string) *Element {
	for i := range e.Attr {
		if e.Attr[i].Name.Local == local && e.Attr[i].Name.Space == space {
			e.Attr[i].Value = value
			return e
		}
	}
	e.Attr = append(e.Attr, Attr{Name: Name{Space: space, Local: local}, Value: value})
	return e
}

// RemoveAttr deletes the no-namespace attribute local, if present.
func (e *Element) RemoveAttr(local string) {
	for i := range e.Attr {
		if e.Attr[i].Name.Local == local && e.Attr[i].Name.Space == "" {
			e.Attr = append(e.Attr[:i:i], e.Attr[i+1:]...)
			return
		}
	}
}

// Get returns the value of the no-namespace attribute local, or "".
func (e *Element) Get(local string) string {
	v, _ := e.Lookup("", local)
	return v
}

// Lookup returns the value of attribute {space}local and whether it exists.
func (e *Element) Lookup(space, local string) (string, bool) {
	for i := range e.Attr {
		if e.Attr[i].Name.Local == local && e.Attr[i].Name.Space == space {
			return e.Attr[i].Value, true
		}
	}
	return "", false
}

// Lang returns the element's own xml:lang attribute, or "".
func (e *Element) Lang() string {
	v, _ := e.Lookup(NSXML, "lang")
	return v
}

// AddChild appends a new child element and returns it (Jabber::NodeFactory's
// insertTag). An empty space means the child is in e's namespace, which is
// what a builder almost always wants; use AppendChild with an explicit Name
// for a child in no namespace.
func (e *Element) AddChild(space, local string) *Element {
	if space == "" {
		space = e.Name.Space
	}
	c := New(space, local)
	e.Nodes = append(e.Nodes, Node{Elem: c})
	return c
}

// AppendChild appends existing elements as children and returns e.
func (e *Element) AppendChild(children ...*Element) *Element {
	for _, c := range children {
		if c != nil {
			e.Nodes = append(e.Nodes, Node{Elem: c})
		}
	}
	return e
}

// AddText appends character data and returns e (Jabber::NodeFactory's data).
// Text is stored unescaped; the encoder escapes it.
func (e *Element) AddText(s string) *Element {
	if s == "" {
		return e
	}
	if n := len(e.Nodes); n > 0 && e.Nodes[n-1].Elem == nil {
		e.Nodes[n-1].Text += s
		return e
	}
	e.Nodes = append(e.Nodes, Node{Text: s})
	return e
}

// Text returns the concatenated character data directly inside e (not of
// its descendants).
func (e *Element) Text() string {
	var only string
	n := 0
	for _, c := range e.Nodes {
		if c.Elem == nil {
			only = c.Text
			n++
		}
	}
	if n <= 1 {
		return only
	}
	var b strings.Builder
	for _, c := range e.Nodes {
		if c.Elem == nil {
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

// Child returns the first child element named {space}local, or nil. An empty
// space matches any namespace.
func (e *Element) Child(space, local string) *Element {
	for _, c := range e.Nodes {
		if c.Elem != nil && c.Elem.Name.Local == local && (space == "" || c.Elem.Name.Space == space) {
			return c.Elem
		}
	}
	return nil
}

// ChildText returns the text of the first child named {space}local, or "".
func (e *Element) ChildText(space, local string) string {
	if c := e.Child(space, local); c != nil {
		return c.Text()
	}
	return ""
}

// Children iterates over the child elements of e in document order.
func (e *Element) Children() iter.Seq[*Element] {
	return func(yield func(*Element) bool) {
		for _, c := range e.Nodes {
			if c.Elem != nil && !yield(c.Elem) {
				return
			}
		}
	}
}

// FirstChild returns the first child element of e, or nil.
func (e *Element) FirstChild() *Element {
	for _, c := range e.Nodes {
		if c.Elem != nil {
			return c.Elem
		}
	}
	return nil
}

// RemoveChildren deletes every child element for which drop returns true and
// reports how many were removed.
func (e *Element) RemoveChildren(drop func(*Element) bool) int {
	kept := e.Nodes[:0:0]
	n := 0
	for _, c := range e.Nodes {
		if c.Elem != nil && drop(c.Elem) {
			n++
			continue
		}
		kept = append(kept, c)
	}
	if n > 0 {
		e.Nodes = kept
	}
	return n
}
