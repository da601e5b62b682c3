package xmlstream

import "testing"

// sampleMessage builds a small message stanza with attributes, mixed content
// and a nested extension.
func sampleMessage() *Element {
	m := New("jabber:client", "message").SetAttr("type", "chat").SetAttr("to", "romeo@example.net")
	m.SetAttrNS(NSXML, "lang", "en")
	m.AddChild("", "body").AddText("Art thou not Romeo?")
	x := m.AddChild("urn:example:x", "x").SetAttr("a", "1")
	x.AddText("pre ")
	x.AddChild("", "y").AddText("inner")
	x.AddText(" post")
	return m
}

func TestCopyIsDeepAndIndependent(t *testing.T) {
	orig := sampleMessage()
	c := orig.Copy()
	if !c.Equal(orig) {
		t.Fatalf("copy not Equal to original")
	}
	// Mutating the copy at every level must leave the original alone.
	c.SetAttr("type", "normal")
	c.Nodes[0].Elem.Nodes[0].Text = "changed"
	c.Nodes[1].Elem.Attr[0].Value = "2"
	c.Nodes[1].Elem.Nodes[1].Elem.Name.Local = "z"
	c.AddChild("", "extra")
	if got := orig.Get("type"); got != "chat" {
		t.Errorf("original type = %q after mutating copy", got)
	}
	if got := orig.ChildText("", "body"); got != "Art thou not Romeo?" {
		t.Errorf("original body = %q", got)
	}
	x := orig.Child("urn:example:x", "x")
	if got := x.Get("a"); got != "1" {
		t.Errorf("original x/@a = %q", got)
	}
	if x.Child("", "y") == nil {
		t.Errorf("original x/y renamed through the copy")
	}
	if n := len(orig.Nodes); n != 2 {
		t.Errorf("original has %d nodes, want 2", n)
	}
	if c.Equal(orig) {
		t.Errorf("mutated copy still Equal to original")
	}
}

func TestCopyNilAndEmpty(t *testing.T) {
	var e *Element
	if e.Copy() != nil {
		t.Fatal("nil.Copy() != nil")
	}
	c := New("", "a").Copy()
	if c.Attr != nil || c.Nodes != nil || c.Name.Local != "a" {
		t.Fatalf("Copy of empty element = %+v", c)
	}
}

func TestEqual(t *testing.T) {
	el := func(local string, nodes ...Node) *Element {
		return &Element{Name: Name{Space: "ns", Local: local}, Nodes: nodes}
	}
	txt := func(s string) Node { return Node{Text: s} }
	sub := func(e *Element) Node { return Node{Elem: e} }
	attrs := func(e *Element, kv ...string) *Element {
		for i := 0; i < len(kv); i += 2 {
			e.Attr = append(e.Attr, Attr{Name: Name{Local: kv[i]}, Value: kv[i+1]})
		}
		return e
	}
	tests := []struct {
		name string
		a, b *Element
		want bool
	}{
		{"nil nil", nil, nil, true},
		{"nil vs element", nil, el("a"), false},
		{"element vs nil", el("a"), nil, false},
		{"same empty", el("a"), el("a"), true},
		{"different local", el("a"), el("b"), false},
		{"different space", el("a"), &Element{Name: Name{Space: "other", Local: "a"}}, false},
		{"no space vs space", el("a"), &Element{Name: Name{Local: "a"}}, false},
		{"attr order ignored", attrs(el("a"), "x", "1", "y", "2"), attrs(el("a"), "y", "2", "x", "1"), true},
		{"attr value differs", attrs(el("a"), "x", "1"), attrs(el("a"), "x", "2"), false},
		{"attr missing", attrs(el("a"), "x", "1", "y", "2"), attrs(el("a"), "x", "1"), false},
		{"attr duplicate vs distinct", attrs(el("a"), "x", "1", "x", "1"), attrs(el("a"), "x", "1", "y", "2"), false},
		{"attr namespace matters",
			&Element{Name: Name{Local: "a"}, Attr: []Attr{{Name{NSXML, "lang"}, "en"}}},
			&Element{Name: Name{Local: "a"}, Attr: []Attr{{Name{"", "lang"}, "en"}}}, false},
		{"text equal", el("a", txt("hi")), el("a", txt("hi")), true},
		{"text differs", el("a", txt("hi")), el("a", txt("ho")), false},
		{"adjacent text merged", el("a", txt("he"), txt("llo")), el("a", txt("hello")), true},
		{"adjacent text merged both", el("a", txt("h"), txt("el"), txt("lo")), el("a", txt("hel"), txt("lo")), true},
		{"merged text shorter", el("a", txt("he"), txt("ll")), el("a", txt("hello")), false},
		{"empty text ignored", el("a", txt(""), sub(el("b")), txt("")), el("a", sub(el("b"))), true},
		{"empty text between runs", el("a", txt("x"), txt(""), txt("y")), el("a", txt("xy")), true},
		{"only empty text vs nothing", el("a", txt("")), el("a"), true},
		{"text vs nothing", el("a", txt(" ")), el("a"), false},
		{"children in order", el("a", sub(el("b")), sub(el("c"))), el("a", sub(el("b")), sub(el("c"))), true},
		{"children reordered", el("a", sub(el("b")), sub(el("c"))), el("a", sub(el("c")), sub(el("b"))), false},
		{"extra child", el("a", sub(el("b"))), el("a", sub(el("b")), sub(el("c"))), false},
		{"text split by element", el("a", txt("x"), sub(el("b")), txt("y")), el("a", txt("xy"), sub(el("b"))), false},
		{"element vs text", el("a", sub(el("b"))), el("a", txt("b")), false},
		{"deep difference", el("a", sub(el("b", sub(el("c", txt("1")))))), el("a", sub(el("b", sub(el("c", txt("2")))))), false},
		{"deep equal with merge", el("a", sub(el("b", txt("1"), txt("2")))), el("a", sub(el("b", txt("12")))), true},
		{"builder sample", sampleMessage(), sampleMessage(), true},
	}
	for i, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%d %s: a.Equal(b) = %v, want %v", i, tt.name, got, tt.want)
		}
		if got := tt.b.Equal(tt.a); got != tt.want {
			t.Errorf("%d %s: b.Equal(a) = %v, want %v", i, tt.name, got, tt.want)
		}
	}
}

func TestEqualDoesNotAllocate(t *testing.T) {
	a := sampleMessage()
	b := sampleMessage()
	b.Nodes[0].Elem.Nodes = []Node{{Text: "Art thou "}, {Text: ""}, {Text: "not Romeo?"}}
	if !a.Equal(b) {
		t.Fatal("not equal")
	}
	if n := testing.AllocsPerRun(100, func() { a.Equal(b) }); n != 0 {
		t.Errorf("Equal allocates %v times", n)
	}
}
