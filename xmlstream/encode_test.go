package xmlstream

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendEscaped(t *testing.T) {
	for i, tc := range []struct{ in, text, attr string }{
		{"plain", "plain", "plain"},
		{`a&b<c>d"e'f`, `a&amp;b&lt;c&gt;d"e'f`, `a&amp;b&lt;c>d&quot;e&apos;f`},
		{"x]]>y", "x]]&gt;y", "x]]>y"},
		{"t\tl\nc\r", "t\tl\nc&#xD;", "t&#x9;l&#xA;c&#xD;"},
		{"nul\x00 esc\x1b", "nul\uFFFD esc\uFFFD", "nul\uFFFD esc\uFFFD"},
		{"bad\xff utf8 \xed\xa0\x80", "bad\uFFFD utf8 \uFFFD\uFFFD\uFFFD", "bad\uFFFD utf8 \uFFFD\uFFFD\uFFFD"},
		{"nonchar \uFFFE", "nonchar \uFFFD", "nonchar \uFFFD"},
		{"ünïcødé 日本語 😀", "ünïcødé 日本語 😀", "ünïcødé 日本語 😀"},
	} {
		if got := string(AppendEscapedText([]byte("<"), tc.in)); got != "<"+tc.text {
			t.Errorf("%d text: got %q want %q", i, got, tc.text)
		}
		if got := string(AppendEscapedAttr(nil, tc.in)); got != tc.attr {
			t.Errorf("%d attr: got %q want %q", i, got, tc.attr)
		}
	}
}

func TestAppendElement(t *testing.T) {
	msg := New("jabber:client", "message").SetAttr("to", "a@b").SetAttrNS(NSXML, "lang", "en")
	msg.AddChild("", "body").AddText("hi & <bye>")
	msg.AddChild("http://jabber.org/protocol/chatstates", "active")
	msg.AppendChild(&Element{Name: Name{Local: "nons"}})
	x := msg.AddChild("urn:x", "x")
	x.SetAttrNS("urn:p", "a", "1").SetAttrNS("urn:q", "b", "2").SetAttrNS("urn:p", "c", "3").SetAttr("d", "'4'")
	for i, tc := range []struct {
		e         *Element
		defaultNS string
		want      string
	}{
		{msg, "jabber:client", `<message to='a@b' xml:lang='en'><body>hi &amp; &lt;bye&gt;</body><active xmlns='http://jabber.org/protocol/chatstates'/><nons xmlns=''/><x xmlns='urn:x' xmlns:ns1='urn:p' xmlns:ns2='urn:q' ns1:a='1' ns2:b='2' ns1:c='3' d='&apos;4&apos;'/></message>`},
		{msg, "jabber:server", `<message xmlns='jabber:client' to='a@b' xml:lang='en'><body>hi &amp; &lt;bye&gt;</body><active xmlns='http://jabber.org/protocol/chatstates'/><nons xmlns=''/><x xmlns='urn:x' xmlns:ns1='urn:p' xmlns:ns2='urn:q' ns1:a='1' ns2:b='2' ns1:c='3' d='&apos;4&apos;'/></message>`},
		{New("", "presence").AppendChild(New("", "show").AddText("away")), "jabber:client", `<presence><show>away</show></presence>`},
		{New("", "a").AppendChild(New("jabber:client", "b")), "jabber:client", `<a><b xmlns='jabber:client'/></a>`},
		{&Element{Name: Name{Local: "a"}, Attr: []Attr{{Name: Name{Local: "xmlns"}, Value: "x"}, {Name: Name{Space: NSXMLNS, Local: "p"}, Value: "y"}}}, "", `<a/>`},
		{nil, "", ``},
	} {
		if got := string(AppendElement(nil, tc.e, tc.defaultNS)); got != tc.want {
			t.Errorf("%d:\n got %s\nwant %s", i, got, tc.want)
		}
	}
	if got, want := msg.Child("urn:x", "x").String(), `<x xmlns='urn:x' xmlns:ns1='urn:p' xmlns:ns2='urn:q' ns1:a='1' ns2:b='2' ns1:c='3' d='&apos;4&apos;'/>`; got != want {
		t.Errorf("String:\n got %s\nwant %s", got, want)
	}
	// The output re-parses to an equal element.
	out := AppendElement(nil, msg, "jabber:client")
	back, err := Parse(out, "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	nons := back.Child("", "nons")
	if nons == nil || nons.Name.Space != "" {
		t.Fatalf("nons = %+v", nons)
	}
	if !back.Equal(msg) {
		t.Fatalf("round trip:\n got %s\nwant %s", dump(back), dump(msg))
	}
}

// TestEncodeRoundTrip re-encodes every element of the valid samples and
// parses it back: it must be Equal, and encoding it again gives the same
// bytes.
func TestEncodeRoundTrip(t *testing.T) {
	n := 0
	for _, tc := range validStreams {
		d := NewDecoder(nil)
		d.Feed([]byte(tc.in))
		for {
			ev, err := d.Next()
			if err != nil || ev.Kind == EventNone {
				break
			}
			if ev.Kind != EventElement {
				continue
			}
			n++
			out := ev.Element.AppendXML(nil)
			back, err := Parse(out, "", nil)
			if err != nil {
				t.Fatalf("%s: %s does not parse: %v", tc.name, out, err)
			}
			if !back.Equal(ev.Element) || dump(back) != dump(ev.Element) {
				t.Fatalf("%s: round trip\n got %s\nwant %s", tc.name, dump(back), dump(ev.Element))
			}
			if again := back.AppendXML(nil); string(again) != string(out) {
				t.Fatalf("%s: not stable: %s then %s", tc.name, out, again)
			}
			if h := d.Header(); h != nil {
				out := AppendElement(nil, ev.Element, h.Default)
				back, err := Parse(out, h.Default, nil)
				if err != nil || !back.Equal(ev.Element) {
					t.Fatalf("%s: in-stream round trip of %s: %v", tc.name, out, err)
				}
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d elements", n)
	}
}

func TestAppendHeader(t *testing.T) {
	h := &Header{From: "example.com", To: "a@example.com", ID: "x'y", Version: "1.0", Lang: "en", Default: "jabber:client",
		Prefixes: []Attr{{Name: Name{Local: "stream"}, Value: NSStream}, {Name: Name{Local: "db"}, Value: "jabber:server:dialback"}}}
	got := string(AppendClose(AppendHeader(nil, h)))
	want := `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a@example.com' from='example.com' id='x&apos;y' version='1.0' xml:lang='en' xmlns:db='jabber:server:dialback'></stream:stream>`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// It decodes back to the same header.
	d := NewDecoder(nil)
	d.Feed([]byte(got))
	ev, err := d.Next()
	if err != nil || ev.Kind != EventStreamStart {
		t.Fatalf("Next = %v, %v", ev.Kind, err)
	}
	g := ev.Header
	if g.From != h.From || g.To != h.To || g.ID != h.ID || g.Version != h.Version || g.Lang != h.Lang || g.Default != h.Default ||
		len(g.Prefixes) != 2 || g.Prefixes[1] != h.Prefixes[1] {
		t.Fatalf("decoded header %+v", g)
	}
	if ev, err := d.Next(); err != nil || ev.Kind != EventStreamEnd {
		t.Fatalf("Next = %v, %v", ev.Kind, err)
	}
	if got := string(AppendHeader(nil, nil)); got != `<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>` {
		t.Fatalf("nil header: %s", got)
	}
}

func TestAppendElementAllocs(t *testing.T) {
	e, err := Parse([]byte(chatStanza(7)), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendElement(buf[:0], e, "jabber:client")
	})
	if allocs != 0 {
		t.Fatalf("AppendElement: %v allocs", allocs)
	}
	if !strings.Contains(string(buf), "<body>Hello &amp; welcome") {
		t.Fatalf("output %s", buf)
	}
}

// refEscape is the escaping rules spelled out one character at a time: the
// oracle for the escaper's word-at-a-time and inline fast paths.
func refEscape(s string, attr bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1, r == 0xFFFE, r == 0xFFFF:
			b.WriteString("\uFFFD")
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>' && !attr:
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\'' && attr:
			b.WriteString("&apos;")
		case r == '\r':
			b.WriteString("&#xD;")
		case (r == '\t' || r == '\n') && attr:
			fmt.Fprintf(&b, "&#x%X;", r)
		case r < 0x20 && r != '\t' && r != '\n':
			b.WriteString("\uFFFD")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestEscapeEveryPosition(t *testing.T) {
	var specials []string
	for c := range 128 {
		specials = append(specials, string(rune(c)))
	}
	specials = append(specials, "é", "日", "—", "😀", "\uFFFD", "\xEF\xBF\xBE", "\xEF\xBF\xBF", "\xED\xA0\x80",
		"\xE0\x80\xAF", "\xC0\xAF", "\xFF", "\x80", "\xC3", "\xE6\x97", "\xF0\x9F\x98")
	for _, fill := range []string{"a", " ", "é", "x&"} {
		for _, sp := range specials {
			for pos := range 18 {
				s := strings.Repeat(fill, pos)[:pos] + sp + strings.Repeat(fill, 20)[:20-pos]
				if got, want := string(AppendEscapedText(nil, s)), refEscape(s, false); got != want {
					t.Fatalf("text %q:\n got %q\nwant %q", s, got, want)
				}
				if got, want := string(AppendEscapedAttr(nil, s)), refEscape(s, true); got != want {
					t.Fatalf("attr %q:\n got %q\nwant %q", s, got, want)
				}
			}
		}
	}
}
