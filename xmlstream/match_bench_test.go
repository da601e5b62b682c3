package xmlstream

import "testing"

// BenchmarkMatch measures Match on realistic stanzas; run with -benchmem:
// the common predicate checks on the root and one child level allocate
// nothing.
func BenchmarkMatch(b *testing.B) {
	msg := chatMsg()
	iq := rosterGet()
	for _, bm := range []struct {
		name, expr string
		e          *Element
	}{
		{"message-type", "/message[@type='chat']", msg},
		{"message-type-miss", "/message[@type='groupchat']", msg},
		{"root-name-miss", "/iq[@type='get']", msg},
		{"iq-query-xmlns", "/iq/*[@xmlns='jabber:iq:roster']", iq},
		{"clark-child", "/iq/{jabber:iq:roster}query", iq},
		{"body-text", "/message/body/text()", msg},
		{"and-or", "/message[(@type='chat' or @type='normal') and body]", msg},
		{"position", "/iq/query/item[@subscription][2]", iq},
		{"descendant", "//item[@jid='c@example.com']", iq},
	} {
		m := MustCompile(bm.expr)
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Match(bm.e)
			}
		})
	}
}

// BenchmarkCompile measures compiling a typical callback expression.
func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("/iq[@type='set']/*[@xmlns='jabber:iq:roster']/item[@subscription!='none'][1]/@jid"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSelect measures Select, which allocates its result.
func BenchmarkSelect(b *testing.B) {
	m := MustCompile("/iq/query/item[@subscription]")
	iq := rosterGet()
	b.ReportAllocs()
	for b.Loop() {
		m.Select(iq)
	}
}
