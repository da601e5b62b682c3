package xmlstream

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in, defaultNS string
		want          string // dump, or "error cond@offset"
	}{
		{`<message/>`, "jabber:client", `{jabber:client}message[]()`},
		{`<message/>`, "", `message[]()`},
		{" \r\n<a>x</a>\t ", "jabber:server", `{jabber:server}a[]("x")`},
		{`<stream:features/>`, "jabber:client", `{` + NSStream + `}features[]()`},
		{`<a xmlns='urn:x'><b xmlns=''/></a>`, "jabber:client", `{urn:x}a[](b[]())`},
		{`<a/><b/>`, "", "error not-well-formed@4"},
		{`<a/>x`, "", "error not-well-formed@4"},
		{`x<a/>`, "", "error not-well-formed@0"},
		{``, "", "error not-well-formed@0"},
		{`   `, "", "error not-well-formed@3"},
		{`<a>`, "", "error not-well-formed@3"},
		{`<a`, "", "error not-well-formed@2"},
		{`<`, "", "error not-well-formed@1"},
		{`</a>`, "", "error not-well-formed@0"},
		{`<![CDATA[x]]>`, "", "error not-well-formed@0"},
		{`<!-- c --><a/>`, "", "error restricted-xml@0"},
		{`<?xml version='1.0'?><a/>`, "", "error restricted-xml@0"},
		{` <a><b></a>`, "", "error not-well-formed@11"},
		{` <a><b></a></b>`, "", "error not-well-formed@7"},
		{`<p:a/>`, "", "error bad-namespace-prefix@1"},
		{`<a>` + strings.Repeat("<b>", DefaultMaxDepth) + `</a>`, "", "error policy-violation@" + strconv.Itoa(3*DefaultMaxDepth)},
	} {
		e, err := Parse([]byte(tc.in), tc.defaultNS, nil)
		got := ""
		if err != nil {
			got = render(Event{}, err)
		} else {
			got = dump(e)
		}
		if got != tc.want {
			t.Errorf("%d %q: got %s, want %s", i, tc.in, got, tc.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	elem := &Config{MaxElementBytes: 12}
	attrs := &Config{MaxAttrs: 1}
	names := &Config{MaxNameBytes: 3}
	values := &Config{MaxAttrValueBytes: 2}
	for i, tc := range []struct {
		cfg      *Config
		in, want string
	}{
		{elem, `<a a='123'/>`, `a[a="123"]()`},
		{elem, `<a a='1234'/>`, "error policy-violation@12"},
		{elem, `<a>1234567</a>`, "error policy-violation@12"},
		{attrs, `<a a=''/>`, `a[a=""]()`},
		{attrs, `<a a='' b=''/>`, "error policy-violation@8"},
		{attrs, `<a xmlns='u' b=''/>`, "error policy-violation@13"},
		{names, `<abc/>`, `abc[]()`},
		{names, `<abcd/>`, "error policy-violation@1"},
		{names, `<a:bc xmlns:a='u'/>`, "error policy-violation@1"},
		{names, `<abc bc:d=''/>`, "error policy-violation@5"},
		{values, `<a a='12'/>`, `a[a="12"]()`},
		{values, `<a a='123'/>`, "error policy-violation@8"},
		{values, `<a a="&amp;&amp;"/>`, "error policy-violation@8"},
	} {
		e, err := Parse([]byte(tc.in), "", tc.cfg)
		got := ""
		if err != nil {
			got = render(Event{}, err)
		} else {
			got = dump(e)
		}
		if got != tc.want {
			t.Errorf("%d %q: got %s, want %s", i, tc.in, got, tc.want)
		}
	}
}

func TestDecodeAllocs(t *testing.T) {
	in := []byte(chatStanza(1))
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr))
	d.Next()
	allocs := testing.AllocsPerRun(200, func() {
		d.Feed(in)
		ev, err := d.Next()
		if err != nil || ev.Kind != EventElement {
			t.Fatalf("Next = %v, %v", ev.Kind, err)
		}
		if ev, _ := d.Next(); ev.Kind != EventNone {
			t.Fatalf("Next = %v", ev.Kind)
		}
	})
	if allocs > 4 {
		t.Fatalf("%v allocations per chat message, want at most 4", allocs)
	}
}

// TestCharLen compares the fast UTF-8 path with the standard library over
// every 1-, 2- and 3-byte sequence.
func TestCharLen(t *testing.T) {
	want := func(b []byte) int {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			return 0
		}
		return n
	}
	b := make([]byte, 3)
	for c0 := 0x80; c0 < 0x100; c0++ {
		for c1 := 0; c1 < 0x100; c1++ {
			for _, tail := range []int{-1, 0x00, 0x80, 0xBD, 0xBE, 0xBF, 0xC0} {
				b = append(b[:0], byte(c0), byte(c1))
				if tail >= 0 {
					b = append(b, byte(tail))
				}
				if got, w := charLen(b), want(b); got != w {
					t.Fatalf("charLen(% x) = %d, want %d", b, got, w)
				}
			}
		}
	}
}
