package xmlstream

// Matcher is a compiled expression in the subset of XPath 1.0 that the Perl
// ancestors used to route stanzas to callbacks (Net::XMPP's
// SetXPathCallBacks, Jabber::Connection's handlers). Compile it once
// and match it against many elements. A Matcher is immutable and safe for
// concurrent use.
//
// The subset, with the XPath 1.0 sections it follows:
//
//	/message[@type='chat']           absolute path: the root element's name (§2)
//	/iq/*[@xmlns='jabber:iq:roster'] child steps, * for any name (§2.3)
//	/presence[@type="subscribe"]     either quote (§3.7)
//	/message/body/text()             character data (§2.3 text())
//	/message/@id                     attribute selection (§2.2 attribute axis)
//	/iq/*[1], /a[@x][2]              positions among the step's candidates that
//	                                 passed the earlier predicates (§2.4)
//	[@id], [body], [body/x]          existence of an attribute or child (§3.4)
//	[@type!='error'], ['chat'=@type] string comparison (§3.4: true when some
//	                                 selected node compares true)
//	[(@a='1' or @b) and c]          and / or with parentheses (§3.4)
//	//body, /message//x              descendant-or-self (§2.5 abbreviation)
//	{jabber:iq:roster}query          a name in one namespace (Clark notation)
//	[@xmlns='jabber:iq:roster']      the element's namespace URI
//	[@xml:lang='en']                 the xml prefix is the only one known
//
// A name test without a namespace matches an element in any namespace
// (Net::XMPP semantics: the stream's default namespace is implied); {}local
// matches only an element in no namespace. Plain attribute names match
// attributes in no namespace. @xmlns is not an attribute in this model (see
// Attr): it stands for the element's namespace URI, absent when that is "".
//
// A path starting with "/" starts at a document node whose only child is the
// element matched, so /message matches a message stanza. A relative path is
// evaluated with the element itself as context node, so body matches a
// message with a body child and * matches an element with any child
// element; /* matches every element.
//
// Everything else is a compile error naming the position: other axes
// (ancestor::), functions other than text(), arithmetic, numbers other than
// a whole-predicate position, unions (|), variables, "." and "..", namespace
// prefixes other than xml, and absolute paths inside predicates.
type Matcher struct {
	src string
	p   xpPath
}

// Compile parses expr into a Matcher. Errors are *CompileError values whose
// Pos is the byte offset of the problem, e.g. `xpath: at 9: unexpected "|"`
// for "/message | /iq".
func Compile(expr string) (*Matcher, error) {
	p, err := xpParse(expr)
	if err != nil {
		return nil, err
	}
	return &Matcher{src: expr, p: p}, nil
}

// MustCompile is like Compile but panics if expr does not compile. It is
// meant for expressions that are constants of the program.
func MustCompile(expr string) *Matcher {
	m, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return m
}

// String returns the source expression that m was compiled from.
func (m *Matcher) String() string { return m.src }

// Match reports whether the expression selects anything from e, the context
// root (a top-level stanza): an element, a non-empty run of text for a path
// ending in text(), an attribute for a path ending in @name. A nil element
// matches nothing. Match does not allocate.
func (m *Matcher) Match(e *Element) bool {
	if e == nil {
		return false
	}
	return m.p.from(e, m.p.abs, 0, xpExists, "", nil)
}

// Select returns the elements that the expression selects from e, in
// document order without duplicates, or nil when there are none or the path
// ends in text() or an attribute (use Values for those).
func (m *Matcher) Select(e *Element) []*Element {
	if e == nil || m.p.term.kind != xpTermNone {
		return nil
	}
	return m.elements(e)
}

// Values returns the strings the expression selects from e, in document
// order: the text of each maximal run of character data for a path ending in
// text(), the attribute values for a path ending in @name, the namespace URI
// for @xmlns, and each selected element's Text() for an element path.
func (m *Matcher) Values(e *Element) []string {
	if e == nil {
		return nil
	}
	var vals []string
	for _, x := range m.elements(e) {
		vals = m.p.term.appendValues(vals, x)
	}
	return vals
}

// elements returns the elements reached after the last step of the path.
func (m *Matcher) elements(e *Element) []*Element {
	var out []*Element
	m.p.from(e, m.p.abs, 0, xpExists, "", &out)
	if m.p.hasDesc && len(out) > 1 {
		out = xpDocumentOrder(e, out)
	}
	return out
}

// xpDocumentOrder returns the distinct elements of set in document order,
// by a preorder walk of root.
func xpDocumentOrder(root *Element, set []*Element) []*Element {
	in := make(map[*Element]bool, len(set))
	for _, x := range set {
		in[x] = true
	}
	out := set[:0]
	var walk func(e *Element)
	walk = func(e *Element) {
		if in[e] {
			out = append(out, e)
			delete(in, e)
		}
		for _, n := range e.Nodes {
			if n.Elem != nil && len(in) > 0 {
				walk(n.Elem)
			}
		}
	}
	walk(root)
	return out
}
