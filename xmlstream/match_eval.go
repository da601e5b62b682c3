package xmlstream

import "strings"

// Evaluation walks the tree depth first and stops at the first node that
// satisfies the path, so Match needs no node-sets and does not allocate.
// Select and Values use the same walk with out != nil to collect every
// element reached after the last step.

// from evaluates steps[i:] with ctx as context node. When doc is true the
// context is instead the document node whose only child is ctx. It reports
// whether some node reached satisfies the terminal compared by (op, lit);
// with out != nil it appends every element reached after the last step to
// *out and returns false.
func (p *xpPath) from(ctx *Element, doc bool, i int, op xpCmpOp, lit string, out *[]*Element) bool {
	if i == len(p.steps) {
		if out != nil {
			*out = append(*out, ctx)
			return false
		}
		return p.term.holds(ctx, op, lit)
	}
	if p.steps[i].desc {
		return p.descend(ctx, doc, i, op, lit, out)
	}
	return p.child(ctx, doc, i, op, lit, out)
}

// descend applies step i, reached through "//", to ctx and every descendant
// of it (descendant-or-self::node()/child::, XPath 1.0 §2.5), so positions
// count among the children of each parent separately.
func (p *xpPath) descend(ctx *Element, doc bool, i int, op xpCmpOp, lit string, out *[]*Element) bool {
	if p.child(ctx, doc, i, op, lit, out) {
		return true
	}
	if doc {
		return p.descend(ctx, false, i, op, lit, out)
	}
	for _, n := range ctx.Nodes {
		if n.Elem != nil && p.descend(n.Elem, false, i, op, lit, out) {
			return true
		}
	}
	return false
}

// child applies step i to the child elements of parent (or to parent itself,
// the document node's only child, when doc is true) and continues with the
// next step from each one accepted.
func (p *xpPath) child(parent *Element, doc bool, i int, op xpCmpOp, lit string, out *[]*Element) bool {
	s := &p.steps[i]
	var buf [4]int
	var pos []int
	if s.npos <= len(buf) {
		pos = buf[:s.npos]
	} else {
		pos = make([]int, s.npos)
	}
	if doc {
		return s.accept(parent, pos) && p.from(parent, false, i+1, op, lit, out)
	}
	for _, n := range parent.Nodes {
		if n.Elem != nil && s.accept(n.Elem, pos) && p.from(n.Elem, false, i+1, op, lit, out) {
			return true
		}
	}
	return false
}

// accept reports whether candidate e passes the step's name test and
// predicates in order. pos holds, for each positional predicate, how many
// candidates have reached it so far: its proximity position (XPath 1.0 §2.4).
func (s *xpStep) accept(e *Element, pos []int) bool {
	if !s.test.element(e.Name) {
		return false
	}
	k := 0
	for j := range s.preds {
		pr := &s.preds[j]
		if pr.expr == nil {
			pos[k]++
			if pos[k] != pr.pos {
				return false
			}
			k++
			continue
		}
		if !pr.expr.eval(e) {
			return false
		}
	}
	return true
}

// eval evaluates a predicate expression with e as context node.
func (x *xpExpr) eval(e *Element) bool {
	switch x.kind {
	case xpExOr:
		return x.l.eval(e) || x.r.eval(e)
	case xpExAnd:
		return x.l.eval(e) && x.r.eval(e)
	case xpExAttr:
		t := &x.sel.term.name
		for i := range e.Attr {
			if t.attr(e.Attr[i].Name) && xpCompare(x.op, e.Attr[i].Value == x.lit) {
				return true
			}
		}
		return false
	case xpExNS:
		return e.Name.Space != "" && xpCompare(x.op, e.Name.Space == x.lit)
	case xpExChild:
		t := &x.sel.steps[0].test
		for _, n := range e.Nodes {
			if n.Elem != nil && t.element(n.Elem.Name) {
				return true
			}
		}
		return false
	}
	return x.sel.from(e, false, 0, x.op, x.lit, nil)
}

// element reports whether an element name passes the test.
func (t *xpNameTest) element(n Name) bool {
	return (t.anyLocal || n.Local == t.local) && (t.anySpace || n.Space == t.space)
}

// attr reports whether an attribute name passes the test: a plain name
// matches only attributes in no namespace; @* matches every attribute.
func (t *xpNameTest) attr(n Name) bool {
	if t.anySpace {
		return t.anyLocal || (n.Space == "" && n.Local == t.local)
	}
	return n.Space == t.space && (t.anyLocal || n.Local == t.local)
}

// xpCompare applies op to whether a string-value equals lit.
func xpCompare(op xpCmpOp, equal bool) bool {
	return op == xpExists || (op == xpEq) == equal
}

// holds reports whether e has a node for the terminal that satisfies (op,
// lit): e itself (its string-value, all descendant text), a non-empty run of
// text, a matching attribute, or a namespace URI.
func (t *xpTerm) holds(e *Element, op xpCmpOp, lit string) bool {
	switch t.kind {
	case xpTermNone:
		if op == xpExists {
			return true
		}
		rest, ok := xpConsumeText(e, lit)
		return xpCompare(op, ok && rest == "")
	case xpTermAttr:
		for i := range e.Attr {
			if t.name.attr(e.Attr[i].Name) && xpCompare(op, e.Attr[i].Value == lit) {
				return true
			}
		}
		return false
	case xpTermNS:
		return e.Name.Space != "" && xpCompare(op, e.Name.Space == lit)
	}
	for nodes := e.Nodes; len(nodes) > 0; {
		n := eqTextRun(nodes)
		if n == 0 {
			nodes = nodes[1:]
			continue
		}
		if !xpRunEmpty(nodes[:n]) && xpCompare(op, xpRunEquals(nodes[:n], lit)) {
			return true
		}
		nodes = nodes[n:]
	}
	return false
}

// xpConsumeText reports whether the string-value of e (its descendant
// character data in document order, XPath 1.0 §5.2) is a prefix of s, and
// returns the rest of s.
func xpConsumeText(e *Element, s string) (string, bool) {
	for _, n := range e.Nodes {
		if n.Elem != nil {
			var ok bool
			if s, ok = xpConsumeText(n.Elem, s); !ok {
				return s, false
			}
			continue
		}
		if !strings.HasPrefix(s, n.Text) {
			return s, false
		}
		s = s[len(n.Text):]
	}
	return s, true
}

// xpRunEquals reports whether the concatenated text of a run of text nodes is s.
func xpRunEquals(run []Node, s string) bool {
	for _, n := range run {
		if !strings.HasPrefix(s, n.Text) {
			return false
		}
		s = s[len(n.Text):]
	}
	return s == ""
}

// xpRunEmpty reports whether a run of text nodes has no text at all.
func xpRunEmpty(run []Node) bool {
	for _, n := range run {
		if n.Text != "" {
			return false
		}
	}
	return true
}

// appendValues appends the strings the terminal selects from e.
func (t *xpTerm) appendValues(dst []string, e *Element) []string {
	switch t.kind {
	case xpTermNone:
		return append(dst, e.Text())
	case xpTermAttr:
		for _, a := range e.Attr {
			if t.name.attr(a.Name) {
				dst = append(dst, a.Value)
			}
		}
		return dst
	case xpTermNS:
		if e.Name.Space != "" {
			dst = append(dst, e.Name.Space)
		}
		return dst
	}
	for nodes := e.Nodes; len(nodes) > 0; {
		n := eqTextRun(nodes)
		if n == 0 {
			nodes = nodes[1:]
			continue
		}
		if !xpRunEmpty(nodes[:n]) {
			var b strings.Builder
			for _, t := range nodes[:n] {
				b.WriteString(t.Text)
			}
			dst = append(dst, b.String())
		}
		nodes = nodes[n:]
	}
	return dst
}
