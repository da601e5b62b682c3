package xmlstream

import (
	"strconv"
	"strings"
)

// The compiled form of an expression. A path is a list of steps on the
// child axis (XPath 1.0 §2.1), each optionally reached through "//"
// (descendant-or-self::node()/, §2.5), ending in an element or in a terminal
// that selects a string: text(), an attribute, or the namespace URI (@xmlns).
type xpPath struct {
	abs     bool // starts at the document node whose only child is the root
	hasDesc bool // some step is reached through "//"
	steps   []xpStep
	term    xpTerm
}

// xpStep is one location step on the child axis: a name test and its
// predicates, applied in order (XPath 1.0 §2.1, §2.4).
type xpStep struct {
	desc  bool // reached through "//"
	test  xpNameTest
	preds []xpPred
	npos  int // number of positional predicates in preds
}

// xpNameTest matches an element or attribute name. A test written without a
// namespace matches any namespace for elements (Net::XMPP semantics: the
// default namespace is implied) and no namespace for attributes (XPath 1.0
// §2.3); {uri}local matches exactly, {}local only names in no namespace.
type xpNameTest struct {
	anyLocal bool // "*"
	anySpace bool // no {uri} given
	local    string
	space    string
}

// xpPred is one predicate: a position [n] when expr is nil (XPath 1.0 §2.4:
// a number is true at that proximity position), otherwise a boolean
// expression.
type xpPred struct {
	pos  int
	expr *xpExpr
}

type xpExprKind uint8

const (
	xpExPath xpExprKind = iota // path, compared with lit when op != xpExists
	xpExAnd
	xpExOr
	// Shortcuts for the common predicates, same meaning as xpExPath:
	xpExAttr  // [@name], [@name='v'], [@name!='v']
	xpExNS    // [@xmlns], [@xmlns='uri']
	xpExChild // [name], [*], [{uri}name]: a child element exists
)

type xpCmpOp uint8

const (
	xpExists xpCmpOp = iota // the path selects something
	xpEq                    // some selected node's string-value equals lit
	xpNe                    // some selected node's string-value differs from lit
)

// xpExpr is a predicate expression (XPath 1.0 §3.4): and/or over paths that
// are tested for existence or compared with a string literal.
type xpExpr struct {
	kind xpExprKind
	l, r *xpExpr // xpExAnd, xpExOr
	sel  xpPath  // xpExPath
	op   xpCmpOp
	lit  string
}

type xpTermKind uint8

const (
	xpTermNone xpTermKind = iota // the path selects elements
	xpTermText                   // /text(): runs of character data
	xpTermAttr                   // /@name
	xpTermNS                     // /@xmlns: the element's namespace URI
)

type xpTerm struct {
	kind xpTermKind
	name xpNameTest // xpTermAttr
}

// xpMaxNesting bounds the nesting of predicates and parentheses, so that a
// hostile expression cannot exhaust the stack of the compiler or matcher.
const xpMaxNesting = 32

// CompileError reports why an expression is not in the supported subset.
// Pos is the byte offset in the expression where the problem starts.
type CompileError struct {
	Pos int
	Msg string
}

// Error returns "xpath: at <Pos>: <Msg>".
func (e *CompileError) Error() string {
	return "xpath: at " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

// xpFail aborts compilation; Compile recovers the *CompileError.
func xpFail(pos int, msg string) {
	panic(&CompileError{Pos: pos, Msg: msg})
}

// xpParser is a recursive-descent parser with one token of lookahead.
type xpParser struct {
	lx    xpLexer
	tok   xpToken
	depth int
}

// xpParse compiles src, recovering the *CompileError that xpFail raises.
func xpParse(src string) (p xpPath, err error) {
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(*CompileError)
			if !ok {
				panic(r)
			}
			err = ce
		}
	}()
	if strings.TrimSpace(src) == "" {
		xpFail(0, "empty expression")
	}
	ps := &xpParser{lx: xpLexer{src: src}}
	ps.advance()
	p = ps.path(false)
	if ps.tok.kind != xtEOF {
		ps.unexpected()
	}
	return p, nil
}

func (ps *xpParser) advance() { ps.tok = ps.lx.next() }

func (ps *xpParser) unexpected() {
	t := ps.tok
	if t.kind == xtEOF {
		xpFail(t.pos, "unexpected end of expression")
	}
	xpFail(t.pos, "unexpected "+strconv.Quote(ps.lx.src[t.pos:t.end]))
}

func (ps *xpParser) expect(k xpTokKind, what string) {
	if ps.tok.kind != k {
		t := ps.tok
		if t.kind == xtEOF {
			xpFail(t.pos, "unexpected end of expression, expected "+what)
		}
		xpFail(t.pos, "unexpected "+strconv.Quote(ps.lx.src[t.pos:t.end])+", expected "+what)
	}
	ps.advance()
}

// path parses an absolute or relative location path (XPath 1.0 §2) whose
// last step may be text() or an attribute. Inside a predicate only relative
// paths are allowed.
func (ps *xpParser) path(inPred bool) xpPath {
	var p xpPath
	sep := xtEOF
	if k := ps.tok.kind; k == xtSlash || k == xtDSlash {
		if inPred {
			xpFail(ps.tok.pos, "absolute paths are not supported in predicates")
		}
		p.abs = true
		sep = k
		ps.advance()
	}
	for {
		switch ps.tok.kind {
		case xtName, xtStar, xtClark:
			s := ps.step()
			s.desc = sep == xtDSlash
			p.hasDesc = p.hasDesc || s.desc
			p.steps = append(p.steps, s)
		case xtAt, xtText:
			if sep == xtDSlash {
				xpFail(ps.tok.pos, `"//" before text() or an attribute is not supported`)
			}
			p.term = ps.terminal()
			if k := ps.tok.kind; k == xtSlash || k == xtDSlash {
				xpFail(ps.tok.pos, "a path cannot continue after text() or an attribute")
			}
			return p
		default:
			ps.unexpected()
		}
		sep = ps.tok.kind
		if sep != xtSlash && sep != xtDSlash {
			return p
		}
		ps.advance()
	}
}

// step parses a name test and its predicates.
func (ps *xpParser) step() xpStep {
	s := xpStep{test: ps.nameTest(false)}
	for ps.tok.kind == xtLBrack {
		pr := ps.predicate()
		if pr.expr == nil {
			s.npos++
		}
		s.preds = append(s.preds, pr)
	}
	return s
}

// nameTest parses *, local, {uri}local or {uri}* (and, for attributes,
// xml:local).
func (ps *xpParser) nameTest(attr bool) xpNameTest {
	t := ps.tok
	switch t.kind {
	case xtStar:
		ps.advance()
		return xpNameTest{anyLocal: true, anySpace: true}
	case xtClark:
		ps.advance()
		n := ps.tok
		if n.pos != t.end || (n.kind != xtName && n.kind != xtStar) {
			xpFail(t.end, "expected a local name or * right after "+strconv.Quote(ps.lx.src[t.pos:t.end]))
		}
		if n.kind == xtName && strings.Contains(n.val, ":") {
			xpFail(n.pos, "a name in Clark notation cannot have a prefix")
		}
		ps.advance()
		return xpNameTest{anyLocal: n.kind == xtStar, local: n.val, space: t.val}
	case xtName:
		ps.advance()
		prefix, local, ok := strings.Cut(t.val, ":")
		if !ok {
			return xpNameTest{anySpace: true, local: t.val}
		}
		if attr && prefix == "xml" {
			return xpNameTest{local: local, space: NSXML}
		}
		xpFail(t.pos, "namespace prefix "+strconv.Quote(prefix)+" is not supported; use {uri}local")
	}
	ps.unexpected()
	panic("unreachable")
}

// terminal parses text() or @name.
func (ps *xpParser) terminal() xpTerm {
	if ps.tok.kind == xtText {
		ps.advance()
		return xpTerm{kind: xpTermText}
	}
	ps.advance() // @
	if t := ps.tok; t.kind == xtName && t.val == "xmlns" {
		ps.advance()
		return xpTerm{kind: xpTermNS}
	} else if t.kind == xtName && strings.HasPrefix(t.val, "xmlns:") {
		xpFail(t.pos, "namespace declarations are not attributes; use @xmlns for the element's namespace")
	}
	return xpTerm{kind: xpTermAttr, name: ps.nameTest(true)}
}

// predicate parses [n] or [expr].
func (ps *xpParser) predicate() xpPred {
	ps.enter()
	ps.advance() // [
	var pr xpPred
	if t := ps.tok; t.kind == xtNum {
		ps.advance()
		if ps.tok.kind != xtRBrack {
			xpFail(t.pos, "a number is only supported alone, as a position like [1]")
		}
		n, err := strconv.Atoi(t.val)
		if err != nil || n > 1<<30 {
			xpFail(t.pos, "position "+t.val+" is too large")
		}
		pr.pos = n
	} else {
		pr.expr = ps.or()
	}
	ps.expect(xtRBrack, `"]"`)
	ps.depth--
	return pr
}

func (ps *xpParser) enter() {
	ps.depth++
	if ps.depth > xpMaxNesting {
		xpFail(ps.tok.pos, "expression nested too deeply")
	}
}

func (ps *xpParser) keyword(kw string) bool {
	return ps.tok.kind == xtName && ps.tok.val == kw
}

// or parses OrExpr := AndExpr ('or' AndExpr)* (XPath 1.0 §3.4).
func (ps *xpParser) or() *xpExpr {
	x := ps.and()
	for ps.keyword("or") {
		ps.advance()
		x = &xpExpr{kind: xpExOr, l: x, r: ps.and()}
	}
	return x
}

// and parses AndExpr := Primary ('and' Primary)*.
func (ps *xpParser) and() *xpExpr {
	x := ps.primary()
	for ps.keyword("and") {
		ps.advance()
		x = &xpExpr{kind: xpExAnd, l: x, r: ps.primary()}
	}
	return x
}

// primary parses '(' OrExpr ')', path, path op literal or literal op path.
func (ps *xpParser) primary() *xpExpr {
	switch t := ps.tok; t.kind {
	case xtLParen:
		ps.enter()
		ps.advance()
		x := ps.or()
		ps.expect(xtRParen, `")"`)
		ps.depth--
		return x
	case xtNum:
		xpFail(t.pos, "a number is only supported alone, as a position like [1]")
	case xtLit:
		ps.advance()
		op := ps.op()
		if op == xpExists {
			ps.expect(xtEq, `"=" or "!="`)
		}
		return (&xpExpr{sel: ps.path(true), op: op, lit: t.val}).lower()
	}
	x := &xpExpr{sel: ps.path(true)}
	if x.op = ps.op(); x.op != xpExists {
		t := ps.tok
		if t.kind != xtLit {
			ps.expect(xtLit, "a string literal")
		}
		x.lit = t.val
		ps.advance()
	}
	return x.lower()
}

// lower picks a shortcut kind for the predicates that callbacks use most,
// so that evaluating them is a loop rather than a path walk.
func (x *xpExpr) lower() *xpExpr {
	p := &x.sel
	switch {
	case len(p.steps) == 0 && p.term.kind == xpTermAttr:
		x.kind = xpExAttr
	case len(p.steps) == 0 && p.term.kind == xpTermNS:
		x.kind = xpExNS
	case len(p.steps) == 1 && !p.steps[0].desc && len(p.steps[0].preds) == 0 &&
		p.term.kind == xpTermNone && x.op == xpExists:
		x.kind = xpExChild
	}
	return x
}

// op consumes = or != if present.
func (ps *xpParser) op() xpCmpOp {
	switch ps.tok.kind {
	case xtEq:
		ps.advance()
		return xpEq
	case xtNe:
		ps.advance()
		return xpNe
	}
	return xpExists
}
