package jid

import "testing"

var benchJID JID

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii", "alice@localhost/res"},
		{"ascii-long", "romeo.montague@chat.verona.example.com/orchard-balcony-4f2a"},
		{"ascii-mapped", "Alice@LocalHost./res"},
		{"unicode", "ĵülïé@über.example/Bälcony"},
		{"ipv6", "alice@[2001:db8::1]/res"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchJID, _ = Parse(bc.in)
			}
		})
	}
}

func BenchmarkWithResource(b *testing.B) {
	j := MustParse("alice@localhost")
	b.ReportAllocs()
	for b.Loop() {
		benchJID, _ = j.WithResource("res")
	}
}

var benchString string

func BenchmarkEscape(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchString = Escape(`call me "ishmael"`)
	}
}
