package xmlstream

// Copy returns a deep copy of e: a new tree whose Attr and Nodes slices and
// descendant Elements share no backing arrays with e, so either may be
// mutated without affecting the other. Strings are immutable and are shared.
// Copy of a nil *Element is nil.
//
// The decoder hands each top-level element to one owner; Copy is how a
// handler keeps or edits a stanza it does not own.
func (e *Element) Copy() *Element {
	if e == nil {
		return nil
	}
	c := &Element{Name: e.Name}
	if e.Attr != nil {
		c.Attr = make([]Attr, len(e.Attr))
		copy(c.Attr, e.Attr)
	}
	if e.Nodes != nil {
		c.Nodes = make([]Node, len(e.Nodes))
		for i, n := range e.Nodes {
			if n.Elem != nil {
				c.Nodes[i] = Node{Elem: n.Elem.Copy()}
			} else {
				c.Nodes[i] = Node{Text: n.Text}
			}
		}
	}
	return c
}

// Equal reports whether e and o are structurally the same element:
//
//   - the same Name (namespace URI and local part);
//   - the same attributes as a set: the order of Attr is ignored, as in the
//     XML Information Set (§2.2, [attributes] is an unordered set);
//   - the same children in order, where adjacent text nodes are merged and
//     empty text nodes are ignored before comparing, so a tree built with
//     several AddText calls equals the decoded form of its serialization.
//
// Two nil elements are equal; a nil element equals no non-nil one. Equal does
// not allocate.
func (e *Element) Equal(o *Element) bool {
	if e == nil || o == nil {
		return e == o
	}
	if e == o {
		return true
	}
	if e.Name != o.Name || !eqAttrSet(e.Attr, o.Attr) {
		return false
	}
	a, b := e.Nodes, o.Nodes
	for {
		a, b = eqSkipEmptyText(a), eqSkipEmptyText(b)
		if len(a) == 0 || len(b) == 0 {
			return len(a) == len(b)
		}
		ea, eb := a[0].Elem, b[0].Elem
		switch {
		case ea != nil && eb != nil:
			if !ea.Equal(eb) {
				return false
			}
			a, b = a[1:], b[1:]
		case ea == nil && eb == nil:
			ra, rb := eqTextRun(a), eqTextRun(b)
			if !eqTextRunsEqual(a[:ra], b[:rb]) {
				return false
			}
			a, b = a[ra:], b[rb:]
		default:
			return false
		}
	}
}

// eqAttrSet compares two attribute lists as sets.
func eqAttrSet(a, b []Attr) bool {
	if len(a) != len(b) {
		return false
	}
	return eqAttrSubset(a, b) && eqAttrSubset(b, a)
}

// eqAttrSubset reports whether every attribute of a is in b with the same
// value.
func eqAttrSubset(a, b []Attr) bool {
outer:
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				continue outer
			}
		}
		return false
	}
	return true
}

// eqSkipEmptyText drops leading text nodes with no text.
func eqSkipEmptyText(n []Node) []Node {
	for len(n) > 0 && n[0].Elem == nil && n[0].Text == "" {
		n = n[1:]
	}
	return n
}

// eqTextRun returns the number of leading text nodes of n.
func eqTextRun(n []Node) int {
	i := 0
	for i < len(n) && n[i].Elem == nil {
		i++
	}
	return i
}

// eqTextRunsEqual reports whether the concatenated texts of two runs of text
// nodes are the same, without building the concatenations.
func eqTextRunsEqual(a, b []Node) bool {
	var sa, sb string
	for {
		for sa == "" && len(a) > 0 {
			sa, a = a[0].Text, a[1:]
		}
		for sb == "" && len(b) > 0 {
			sb, b = b[0].Text, b[1:]
		}
		if sa == "" || sb == "" {
			return sa == sb
		}
		n := min(len(sa), len(sb))
		if sa[:n] != sb[:n] {
			return false
		}
		sa, sb = sa[n:], sb[n:]
	}
}
