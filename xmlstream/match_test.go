package xmlstream

import (
	"slices"
	"testing"
)

// Fixtures built with the builder, in the shape of real stanzas.

func chatMsg() *Element {
	m := New("jabber:client", "message").SetAttr("type", "chat").SetAttr("id", "m1").SetAttr("to", "juliet@example.com")
	m.SetAttrNS(NSXML, "lang", "en")
	m.AddChild("", "body").AddText("hello")
	m.AddChild("http://jabber.org/protocol/chatstates", "active")
	return m
}

func normalMsg() *Element {
	m := New("jabber:client", "message")
	m.AddChild("", "body").AddText("plain")
	return m
}

func errorMsg() *Element {
	m := New("jabber:client", "message").SetAttr("type", "error")
	m.AddChild("", "error").SetAttr("type", "cancel")
	return m
}

func rosterGet() *Element {
	iq := New("jabber:client", "iq").SetAttr("type", "set").SetAttr("id", "r1")
	q := iq.AddChild("jabber:iq:roster", "query")
	q.AddChild("", "item").SetAttr("jid", "a@example.com")
	q.AddChild("", "item").SetAttr("jid", "b@example.com").SetAttr("subscription", "both")
	q.AddChild("", "item").SetAttr("jid", "c@example.com").SetAttr("subscription", "to")
	return iq
}

func pingIQ() *Element {
	iq := New("jabber:client", "iq").SetAttr("type", "get")
	iq.AddChild("urn:xmpp:ping", "ping")
	return iq
}

func subscribe() *Element { return New("jabber:client", "presence").SetAttr("type", "subscribe") }

func barePresence() *Element { return New("jabber:client", "presence") }

// deepTree is <a><b><c><body>deep</body></c></b><body>top</body></a>.
func deepTree() *Element {
	a := New("", "a")
	a.AddChild("", "b").AddChild("", "c").AddChild("", "body").AddText("deep")
	a.AddChild("", "body").AddText("top")
	return a
}

// mixedTree is <p>a<b>x</b>b<!-- split -->c<i/></p> with the text after <b>
// in two nodes, and an empty-text body.
func mixedTree() *Element {
	p := New("", "p")
	p.AddText("a")
	p.AddChild("", "b").AddText("x")
	p.Nodes = append(p.Nodes, Node{Text: "b"}, Node{Text: "c"})
	p.AddChild("", "i")
	p.AddChild("", "body").Nodes = []Node{{Text: ""}}
	return p
}

func TestMatch(t *testing.T) {
	tests := []struct {
		expr string
		e    *Element
		want bool
	}{
		// Root name and attribute equality, both quotes.
		{"/message[@type='chat']", chatMsg(), true},
		{"/message[@type='chat']", normalMsg(), false},
		{"/message[@type='chat']", subscribe(), false},
		{`/message[@type="chat"]`, chatMsg(), true},
		{"/message", New("jabber:server", "message"), true}, // any namespace
		{"/message", New("", "message"), true},
		{"/presence[@type='subscribe']", subscribe(), true},
		{"/presence[@type='subscribe']", barePresence(), false},
		{"/iq", chatMsg(), false},
		// Child steps and namespace tests via @xmlns.
		{"/iq/*[@xmlns='jabber:iq:roster']", rosterGet(), true},
		{"/iq/*[@xmlns='jabber:iq:roster']", pingIQ(), false},
		{"/iq/*[@xmlns]", pingIQ(), true},
		{"/iq/*[@xmlns]", func() *Element { e := New("", "iq"); e.AddChild("", "x"); return e }(), false},
		{"/iq[@xmlns='jabber:client']", pingIQ(), true},
		{"/iq/query", rosterGet(), true},
		{"/iq/query/item", rosterGet(), true},
		{"/iq/item", rosterGet(), false},
		// Clark notation.
		{"/iq/{jabber:iq:roster}query", rosterGet(), true},
		{"/iq/{jabber:iq:version}query", rosterGet(), false},
		{"/{jabber:client}message", chatMsg(), true},
		{"/{jabber:server}message", chatMsg(), false},
		{"/{}a", deepTree(), true},
		{"/{}message", chatMsg(), false},
		{"/message/{http://jabber.org/protocol/chatstates}*", chatMsg(), true},
		{"/message/{urn:other}*", chatMsg(), false},
		// text() and attribute selection.
		{"/message/body/text()", chatMsg(), true},
		{"/p/body/text()", mixedTree(), false}, // only empty text
		{"/message/error/text()", errorMsg(), false},
		{"/message/@id", chatMsg(), true},
		{"/message/@id", normalMsg(), false},
		{"@id", chatMsg(), true},
		{"text()", mixedTree(), true},
		{"/iq/*/@xmlns", rosterGet(), true},
		{"/a/@xmlns", deepTree(), false},
		// Relative paths take the root as context node.
		{"*", chatMsg(), true},
		{"*", barePresence(), false},
		{"/*", barePresence(), true},
		{"body", chatMsg(), true},
		{"body", subscribe(), false},
		{"query/item", rosterGet(), true},
		{"item", rosterGet(), false},
		// Positions.
		{"/message[1]", chatMsg(), true},
		{"/message[2]", chatMsg(), false},
		{"/message[0]", chatMsg(), false},
		{"/iq/*[1]", rosterGet(), true},
		{"/iq/*[2]", rosterGet(), false},
		{"/iq/query/item[2][@jid='b@example.com']", rosterGet(), true},
		{"/iq/query/item[3][@jid='c@example.com']", rosterGet(), true},
		{"/iq/query/item[4]", rosterGet(), false},
		{"/iq/query/item[@subscription][1][@jid='b@example.com']", rosterGet(), true},
		{"/iq/query/item[@subscription][2][@jid='c@example.com']", rosterGet(), true},
		{"/iq/query/item[@subscription][3]", rosterGet(), false},
		{"/iq/query/item[1][@subscription]", rosterGet(), false},
		{"/iq/query/item[@jid='c@example.com'][1]", rosterGet(), true},
		{"/a/*[2][self]", deepTree(), false},
		// Existence.
		{"/message[@id]", chatMsg(), true},
		{"/message[@id]", normalMsg(), false},
		{"/message[body]", chatMsg(), true},
		{"/message[body]", errorMsg(), false},
		{"/message[@*]", chatMsg(), true},
		{"/presence[@*]", barePresence(), false},
		{"/iq[query/item/@subscription]", rosterGet(), true},
		{"/iq[query/item/@ask]", rosterGet(), false},
		// Comparisons: XPath 1.0 §3.4, true when some node compares true.
		{"/message[@type!='chat']", chatMsg(), false},
		{"/message[@type!='chat']", errorMsg(), true},
		{"/message[@type!='chat']", normalMsg(), false}, // no @type: empty set
		{"/message['chat'=@type]", chatMsg(), true},
		{"/message['chat'!=@type]", errorMsg(), true},
		{"/message[body='hello']", chatMsg(), true},
		{"/message[body='hell']", chatMsg(), false},
		{"/message[body!='bye']", chatMsg(), true},
		{"/message[body/text()='hello']", chatMsg(), true},
		{"/message/body[text()='hello']", chatMsg(), true},
		{"/p[text()='bc']", mixedTree(), true}, // adjacent text nodes are one run
		{"/p[text()='a']", mixedTree(), true},
		{"/p[text()='abc']", mixedTree(), false},
		{"/p[text()!='a']", mixedTree(), true},
		{"/a[b='deep']", deepTree(), true}, // string-value: all descendant text
		{"/a[b='dee']", deepTree(), false},
		{"/a[b='deeper']", deepTree(), false},
		{"/message[@xml:lang='en']", chatMsg(), true},
		{"/message[@lang='en']", chatMsg(), false},
		{"/message[@{http://www.w3.org/XML/1998/namespace}lang='en']", chatMsg(), true},
		{"/iq/query/item[@jid='b@example.com']/@subscription", rosterGet(), true},
		{"/iq/query/item[@jid='a@example.com']/@subscription", rosterGet(), false},
		// and / or with parentheses.
		{"/message[@type='chat' and body]", chatMsg(), true},
		{"/message[@type='chat' and subject]", chatMsg(), false},
		{"/message[@type='normal' or body]", chatMsg(), true},
		{"/message[@type='normal' or subject]", chatMsg(), false},
		{"/message[(@type='normal' or @type='chat') and @id='m1']", chatMsg(), true},
		{"/message[(@type='normal' or @type='chat') and @id='m2']", chatMsg(), false},
		{"/message[@type='normal' or (@type='chat' and @id='x')]", chatMsg(), false},
		{"/message[@type='normal' or @type='chat' and @id='m1']", chatMsg(), true},
		{"/message[ ( @type = 'chat' ) and ( body or subject ) ]", chatMsg(), true},
		{"/message[@type='chat'][body]", chatMsg(), true},
		{"/message[@type='chat'][subject]", chatMsg(), false},
		// Descendant-or-self.
		{"//body", chatMsg(), true},
		{"//body", deepTree(), true},
		{"//body", subscribe(), false},
		{"//a", deepTree(), true}, // the root itself
		{"//message", chatMsg(), true},
		{"/a//body", deepTree(), true},
		{"//c/body", deepTree(), true},
		{"//b/body", deepTree(), false},
		{"//body[text()='deep']", deepTree(), true},
		{"//body[1][text()='top']", deepTree(), true}, // first body of <a>
		{"/a/b//body", deepTree(), true},
		{"/a/b//c", deepTree(), true},
		{"/a/b//b", deepTree(), false},
	}
	for i, tt := range tests {
		m, err := Compile(tt.expr)
		if err != nil {
			t.Errorf("%d Compile(%q): %v", i, tt.expr, err)
			continue
		}
		if got := m.Match(tt.e); got != tt.want {
			t.Errorf("%d %q.Match(%s) = %v, want %v", i, tt.expr, dumpTree(tt.e), got, tt.want)
		}
		// Match agrees with what Select and Values find.
		found := len(m.Select(tt.e)) > 0 || len(m.Values(tt.e)) > 0
		if m.p.term.kind == xpTermText || m.p.term.kind == xpTermAttr || m.p.term.kind == xpTermNS {
			found = len(m.Values(tt.e)) > 0
		}
		if found != tt.want {
			t.Errorf("%d %q: Select/Values found %v, Match wants %v", i, tt.expr, found, tt.want)
		}
	}
}

func TestMatchNil(t *testing.T) {
	m := MustCompile("*")
	if m.Match(nil) || m.Select(nil) != nil || m.Values(nil) != nil {
		t.Fatal("nil element matched")
	}
}

func TestSelect(t *testing.T) {
	r := rosterGet()
	q := r.FirstChild()
	items := slices.Collect(q.Children())
	d := deepTree()
	b := d.FirstChild()
	c := b.FirstChild()
	deepBody := c.FirstChild()
	topBody := d.Child("", "body")
	tests := []struct {
		expr string
		e    *Element
		want []*Element
	}{
		{"/iq", r, []*Element{r}},
		{"/iq/query/item", r, items},
		{"query/item[@subscription]", r, items[1:]},
		{"/iq/query/item[2]", r, items[1:2]},
		{"/iq/*", r, []*Element{q}},
		{"*", r, []*Element{q}},
		{"/message", r, nil},
		{"/iq/query/item/@jid", r, nil},
		{"/iq/query/item/text()", r, nil},
		// Document order, no duplicates, whatever the walk order.
		{"//body", d, []*Element{deepBody, topBody}},
		{"//*", d, []*Element{d, b, c, deepBody, topBody}},
		{"//*//body", d, []*Element{deepBody, topBody}},
		{"/a//*", d, []*Element{b, c, deepBody, topBody}},
		{"//*[body]", d, []*Element{d, c}},
		{"//*[1]", d, []*Element{d, b, c, deepBody}},
	}
	for i, tt := range tests {
		got := MustCompile(tt.expr).Select(tt.e)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%d %q: Select = %v, want %v", i, tt.expr, elemNames(got), elemNames(tt.want))
		}
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		expr string
		e    *Element
		want []string
	}{
		{"/message/body/text()", chatMsg(), []string{"hello"}},
		{"/message/body", chatMsg(), []string{"hello"}},
		{"/message/active", chatMsg(), []string{""}},
		{"/message/@id", chatMsg(), []string{"m1"}},
		{"/message/@xml:lang", chatMsg(), []string{"en"}},
		{"/message/@missing", chatMsg(), nil},
		{"/iq/query/item/@jid", rosterGet(), []string{"a@example.com", "b@example.com", "c@example.com"}},
		{"/iq/query/item[@subscription]/@jid", rosterGet(), []string{"b@example.com", "c@example.com"}},
		{"/iq/query/item[2]/@*", rosterGet(), []string{"b@example.com", "both"}},
		{"/iq/*/@xmlns", rosterGet(), []string{"jabber:iq:roster"}},
		{"/iq/@xmlns", rosterGet(), []string{"jabber:client"}},
		{"/a/@xmlns", deepTree(), nil},
		{"/p/text()", mixedTree(), []string{"a", "bc"}}, // runs merged, empty runs skipped
		{"text()", mixedTree(), []string{"a", "bc"}},
		{"/p/body/text()", mixedTree(), nil},
		{"/p", mixedTree(), []string{"abc"}}, // Text(): direct text only
		{"//body/text()", deepTree(), []string{"deep", "top"}},
		{"//*//body/text()", deepTree(), []string{"deep", "top"}},
		{"/iq", chatMsg(), nil},
	}
	for i, tt := range tests {
		got := MustCompile(tt.expr).Values(tt.e)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%d %q: Values = %q, want %q", i, tt.expr, got, tt.want)
		}
	}
}

// TestMatchConcurrent checks that one Matcher serves many goroutines; run
// with -race.
func TestMatchConcurrent(t *testing.T) {
	m := MustCompile("/iq/query/item[@subscription][2]/@jid")
	e := rosterGet()
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 100 {
				ok = ok && m.Match(e) && slices.Equal(m.Values(e), []string{"c@example.com"})
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("concurrent Match/Values disagreed")
		}
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	msg := chatMsg()
	iq := rosterGet()
	for _, tt := range []struct {
		expr string
		e    *Element
	}{
		{"/message[@type='chat']", msg},
		{"/message[@type='chat' and body]", msg},
		{"/iq/*[@xmlns='jabber:iq:roster']", iq},
		{"/iq/query/item[@subscription][2]", iq},
		{"/message/body/text()", msg},
		{"/message[body='hello']", msg},
		{"//item[@jid='c@example.com']", iq},
	} {
		m := MustCompile(tt.expr)
		if !m.Match(tt.e) {
			t.Errorf("%q does not match", tt.expr)
		}
		if n := testing.AllocsPerRun(100, func() { m.Match(tt.e) }); n != 0 {
			t.Errorf("%q: Match allocates %v times", tt.expr, n)
		}
	}
}

func elemNames(es []*Element) []string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name.Local+"("+e.Text()+")")
	}
	return s
}
