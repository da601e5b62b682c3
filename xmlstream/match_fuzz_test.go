package xmlstream

import (
	"errors"
	"testing"
)

// fuzzTree is a small fixed element that every fuzzed expression is matched
// against: namespaces, attributes, mixed content, repeated names, depth.
func fuzzTree() *Element {
	m := New("jabber:client", "message").SetAttr("type", "chat").SetAttr("id", "a1")
	m.SetAttrNS(NSXML, "lang", "en")
	m.AddChild("", "body").AddText("hi")
	x := m.AddChild("jabber:x:data", "x").SetAttr("type", "form")
	x.AddText("t1")
	f := x.AddChild("", "field").SetAttr("var", "a")
	f.AddChild("", "value").AddText("1")
	x.AddChild("", "field").SetAttr("var", "b")
	x.AddText("t2")
	m.AppendChild(New("", "body"))
	return m
}

// FuzzCompile checks that Compile never panics, that errors are
// *CompileErrors inside the expression, that String returns the source,
// that the canonical form compiles to itself and matches the same, and that
// Match, Select and Values never panic and agree with each other.
func FuzzCompile(f *testing.F) {
	// More seeds are in testdata/fuzz/FuzzCompile.
	f.Add("/message[@type='chat']")
	f.Add("//field[2]/@var")
	e := fuzzTree()
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Compile(s)
		if err != nil {
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%q) error %T %v is not a *CompileError", s, err, err)
			}
			if ce.Pos < 0 || ce.Pos > len(s) {
				t.Fatalf("Compile(%q): position %d out of range", s, ce.Pos)
			}
			return
		}
		if m.String() != s {
			t.Fatalf("String() = %q, want %q", m.String(), s)
		}
		c := m.canonical()
		m2, err := Compile(c)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not compile: %v", c, s, err)
		}
		if c2 := m2.canonical(); c2 != c {
			t.Fatalf("canonical form of %q is %q, then %q", s, c, c2)
		}
		got := m.Match(e)
		if got2 := m2.Match(e); got2 != got {
			t.Fatalf("%q matches %v, its canonical form %q %v", s, got, c, got2)
		}
		sel, vals := m.Select(e), m.Values(e)
		found := len(sel) > 0
		if m.p.term.kind != xpTermNone {
			found = len(vals) > 0
			if sel != nil {
				t.Fatalf("%q: Select = %d elements for a string path", s, len(sel))
			}
		} else if len(vals) != len(sel) {
			t.Fatalf("%q: %d values for %d elements", s, len(vals), len(sel))
		}
		if found != got {
			t.Fatalf("%q: Match = %v but Select/Values found %v", s, got, found)
		}
	})
}
