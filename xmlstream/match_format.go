package xmlstream

import (
	"strconv"
	"strings"
)

// canonical returns the compiled expression written back in a normal form:
// no optional whitespace, single quotes unless the literal holds one, Clark
// notation for namespaced names (xml:lang becomes {NSXML}lang), and
// parentheses only where "or" binds inside "and". Compiling the canonical
// form yields the same canonical form; the fuzz test checks that.
func (m *Matcher) canonical() string {
	var b strings.Builder
	m.p.format(&b)
	return b.String()
}

func (p *xpPath) format(b *strings.Builder) {
	for i := range p.steps {
		s := &p.steps[i]
		switch {
		case s.desc:
			b.WriteString("//")
		case i > 0 || p.abs:
			b.WriteByte('/')
		}
		s.test.format(b)
		for _, pr := range s.preds {
			b.WriteByte('[')
			if pr.expr == nil {
				b.WriteString(strconv.Itoa(pr.pos))
			} else {
				pr.expr.format(b)
			}
			b.WriteByte(']')
		}
	}
	if p.term.kind == xpTermNone {
		return
	}
	if len(p.steps) > 0 {
		b.WriteByte('/')
	}
	switch p.term.kind {
	case xpTermText:
		b.WriteString("text()")
	case xpTermNS:
		b.WriteString("@xmlns")
	case xpTermAttr:
		b.WriteByte('@')
		p.term.name.format(b)
	}
}

func (t *xpNameTest) format(b *strings.Builder) {
	if !t.anySpace {
		b.WriteString("{" + t.space + "}")
	}
	if t.anyLocal {
		b.WriteByte('*')
	} else {
		b.WriteString(t.local)
	}
}

func (x *xpExpr) format(b *strings.Builder) {
	switch x.kind {
	case xpExOr:
		x.l.format(b)
		b.WriteString(" or ")
		x.r.format(b)
		return
	case xpExAnd:
		for i, y := range [2]*xpExpr{x.l, x.r} {
			if i > 0 {
				b.WriteString(" and ")
			}
			if y.kind == xpExOr {
				b.WriteByte('(')
				y.format(b)
				b.WriteByte(')')
			} else {
				y.format(b)
			}
		}
		return
	}
	x.sel.format(b)
	switch x.op {
	case xpEq:
		b.WriteByte('=')
	case xpNe:
		b.WriteString("!=")
	default:
		return
	}
	q := "'"
	if strings.Contains(x.lit, "'") {
		q = `"`
	}
	b.WriteString(q + x.lit + q)
}
