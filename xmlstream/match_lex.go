package xmlstream

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The tokens of the XPath subset (XPath 1.0 §3.7, Lexical Structure), plus
// the Clark-notation namespace prefix {uri}.
type xpTokKind uint8

const (
	xtEOF    xpTokKind = iota
	xtSlash            // /
	xtDSlash           // //
	xtLBrack           // [
	xtRBrack           // ]
	xtLParen           // (
	xtRParen           // )
	xtAt               // @
	xtStar             // *
	xtEq               // =
	xtNe               // !=
	xtLit              // 'x' or "x"; val is the content
	xtNum              // digits; val is the digits
	xtName             // NCName or prefix:NCName; val is the name
	xtClark            // {uri}; val is the uri
	xtText             // text(); the only function of the subset
)

// xpToken is one lexeme: its kind, its byte span in the source and its value.
type xpToken struct {
	kind     xpTokKind
	pos, end int
	val      string
}

// xpLexer splits an expression into tokens on demand, so that the first error
// reported is the leftmost one whether the lexer or the parser finds it.
type xpLexer struct {
	src string
	off int
}

// next returns the token at the current offset, skipping whitespace
// (XPath 1.0 §3.7 ExprWhitespace), and advances past it.
func (l *xpLexer) next() xpToken {
	l.skipSpace()
	start := l.off
	if start == len(l.src) {
		return xpToken{kind: xtEOF, pos: start, end: start}
	}
	one := func(k xpTokKind) xpToken {
		l.off++
		return xpToken{kind: k, pos: start, end: l.off}
	}
	c := l.src[start]
	switch c {
	case '/':
		if start+1 < len(l.src) && l.src[start+1] == '/' {
			l.off += 2
			return xpToken{kind: xtDSlash, pos: start, end: l.off}
		}
		return one(xtSlash)
	case '[':
		return one(xtLBrack)
	case ']':
		return one(xtRBrack)
	case '(':
		return one(xtLParen)
	case ')':
		return one(xtRParen)
	case '@':
		return one(xtAt)
	case '*':
		return one(xtStar)
	case '=':
		return one(xtEq)
	case '!':
		if start+1 < len(l.src) && l.src[start+1] == '=' {
			l.off += 2
			return xpToken{kind: xtNe, pos: start, end: l.off}
		}
	case '\'', '"':
		i := start + 1
		for i < len(l.src) && l.src[i] != c {
			i++
		}
		if i == len(l.src) {
			xpFail(start, "unterminated string literal")
		}
		l.off = i + 1
		return xpToken{kind: xtLit, pos: start, end: l.off, val: l.src[start+1 : i]}
	case '{':
		i := start + 1
		for i < len(l.src) && l.src[i] != '}' {
			i++
		}
		if i == len(l.src) {
			xpFail(start, `unterminated "{" (Clark notation is {uri}local)`)
		}
		l.off = i + 1
		return xpToken{kind: xtClark, pos: start, end: l.off, val: l.src[start+1 : i]}
	case '$':
		xpFail(start, "variables are not supported")
	case '.':
		xpFail(start, `"." and ".." steps are not supported`)
	}
	if c >= '0' && c <= '9' {
		i := start
		for i < len(l.src) && l.src[i] >= '0' && l.src[i] <= '9' {
			i++
		}
		l.off = i
		return xpToken{kind: xtNum, pos: start, end: i, val: l.src[start:i]}
	}
	if r, _ := utf8.DecodeRuneInString(l.src[start:]); xpIsNameStart(r) {
		return l.name(start)
	}
	_, size := utf8.DecodeRuneInString(l.src[start:])
	xpFail(start, "unexpected "+strconv.Quote(l.src[start:start+size]))
	panic("unreachable")
}

// name lexes a name starting at start, and what may follow it: "::" (an
// axis, unsupported) or "(" (a function call, of which only text() is in
// the subset).
func (l *xpLexer) name(start int) xpToken {
	l.off = l.ncname(start)
	if l.off+1 < len(l.src) && l.src[l.off] == ':' && l.src[l.off+1] != ':' {
		if r, _ := utf8.DecodeRuneInString(l.src[l.off+1:]); xpIsNameStart(r) {
			l.off = l.ncname(l.off + 1)
		}
	}
	t := xpToken{kind: xtName, pos: start, end: l.off, val: l.src[start:l.off]}
	if t.val == "and" || t.val == "or" {
		// Operators, or names; never functions or axes (XPath 1.0 §3.7
		// disambiguation: "or (" after an operand is the operator).
		return t
	}
	save := l.off
	l.skipSpace()
	switch {
	case len(l.src)-l.off >= 2 && l.src[l.off:l.off+2] == "::":
		xpFail(start, "axis "+strconv.Quote(t.val+"::")+" is not supported")
	case l.off < len(l.src) && l.src[l.off] == '(':
		if t.val != "text" {
			xpFail(start, "function "+strconv.Quote(t.val+"()")+" is not supported")
		}
		l.off++
		l.skipSpace()
		if l.off == len(l.src) || l.src[l.off] != ')' {
			xpFail(l.off, `text() takes no arguments: expected ")"`)
		}
		l.off++
		return xpToken{kind: xtText, pos: start, end: l.off}
	}
	l.off = save
	return t
}

// ncname returns the end of the NCName (Namespaces in XML 1.0 §3) that
// starts at i with a name-start character.
func (l *xpLexer) ncname(i int) int {
	_, size := utf8.DecodeRuneInString(l.src[i:])
	i += size
	for i < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[i:])
		if !xpIsNameChar(r) {
			break
		}
		i += size
	}
	return i
}

func (l *xpLexer) skipSpace() {
	for l.off < len(l.src) {
		switch l.src[l.off] {
		case ' ', '\t', '\r', '\n':
			l.off++
		default:
			return
		}
	}
}

func xpIsNameStart(r rune) bool {
	return r == '_' || (r != utf8.RuneError && unicode.IsLetter(r))
}

func xpIsNameChar(r rune) bool {
	return xpIsNameStart(r) || r == '-' || r == '.' || unicode.IsDigit(r) ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0xB7
}
