package xmlstream

import (
	"bytes"
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
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
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
	// One block holds the tree and its string (freeze.go).
	if allocs != 1 {
		t.Fatalf("%v allocations per chat message, want 1", allocs)
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

// TestFastStartTag compares the fast path for common start tags with the
// general one on tags at the edges of what it takes: both must give the
// same tree or the same error, and the trees here are checked too.
func TestFastStartTag(t *testing.T) {
	cfg := &Config{MaxAttrs: 3, MaxNameBytes: 8, MaxAttrValueBytes: 16, MaxDepth: 3}
	const big = "big:" // parse with the default limits
	for i, tc := range []struct{ in, want string }{
		{`<m a='1' b="2"/>`, `{jabber:client}m[a="1" b="2"]()`},
		{`<m  a='1'	b='2' />`, `{jabber:client}m[a="1" b="2"]()`},
		{`<m a='' xmlns=''/>`, `m[a=""]()`},
		{`<m xmlns='urn:x'><n/></m>`, `{urn:x}m[]({urn:x}n[]())`},
		{`<m xmlns='jabber:server'/>`, `{jabber:server}m[]()`},
		{`<m a='x>y'/>`, `{jabber:client}m[a="x>y"]()`},
		{`<m a='it"s'/>`, `{jabber:client}m[a="it\"s"]()`},
		{`<m a='&amp;'/>`, `{jabber:client}m[a="&"]()`},
		{`<m a='ü'/>`, `{jabber:client}m[a="ü"]()`},
		{`<m a='1234567812345678'/>`, `{jabber:client}m[a="1234567812345678"]()`},
		{`<m a='12345678123456789'/>`, "error policy-violation@22"},
		{`<m1234567/>`, `{jabber:client}m1234567[]()`},
		{`<m12345678/>`, "error policy-violation@1"},
		{`<m a1234567='1'/>`, `{jabber:client}m[a1234567="1"]()`},
		{`<m a12345678='1'/>`, "error policy-violation@3"},
		{`<m a='1' b='2' c='3'/>`, `{jabber:client}m[a="1" b="2" c="3"]()`},
		{`<m a='1' b='2' c='3' d='4'/>`, "error policy-violation@21"},
		{`<m a='1' xmlns='x' c='3' d='4'/>`, "error policy-violation@25"},
		{`<m a='1' xmlns='x' c='3'/>`, `{x}m[a="1" c="3"]()`},
		{`<m a='1' b='2'/>`, `{jabber:client}m[a="1" b="2"]()`},
		{`<m a='1' a='2'/>`, "error not-well-formed@9"},
		{`<m xmlns='a' xmlns='b'/>`, "error not-well-formed@13"},
		{`<m xmlns='` + NSXML + `'/>`, "error policy-violation@26"},
		{big + `<m xmlns='` + NSXML + `'/>`, "error not-well-formed@3"},
		{big + `<m xmlns='` + NSXMLNS + `'/>`, "error not-well-formed@3"},
		{big + `<m xmlns='` + NSStream + `'/>`, `{` + NSStream + `}m[]()`},
		{`<m xmlns='` + NSXML[:16] + `'/>`, `{` + NSXML[:16] + `}m[]()`},
		{`<m a='1'b='2'/>`, "error not-well-formed@8"},
		{`<m a = '1'/>`, `{jabber:client}m[a="1"]()`},
		{`<m a=1/>`, "error not-well-formed@5"},
		{`<m a='1/>`, "error not-well-formed@9"},
		{`<m a='1' / >`, "error not-well-formed@12"},
		{`<a><m a='1' / ></a>`, "error not-well-formed@19"},
		{`<m:x xmlns:m='u'/>`, `{u}x[]()`},
		{`<m xml:lang='en'/>`, `{jabber:client}m[{` + NSXML + `}lang="en"]()`},
		{`<m lang='de' xml:lang='en'/>`, `{jabber:client}m[lang="de" {` + NSXML + `}lang="en"]()`},
		{`<m xml:lang='de' xml:lang='en'/>`, "error not-well-formed@17"},
		{`<m xml:lang='de' xmlns='urn:x' xml:id='1'/>`, `{urn:x}m[{` + NSXML + `}lang="de" {` + NSXML + `}id="1"]()`},
		{big + `<m xml:xmlns='1'/>`, `{jabber:client}m[{` + NSXML + `}xmlns="1"]()`},
		{`<m xml:='1'/>`, "error not-well-formed@3"},
		{`<m xml:a:b='1'/>`, "error not-well-formed@8"},
		{`<m xmq:lang='1'/>`, "error bad-namespace-prefix@3"},
		{`<m xml:l12345='1'/>`, "error policy-violation@3"},
		{`<1m/>`, "error not-well-formed@1"},
		{`<ñ/>`, `{jabber:client}ñ[]()`},
		{`<a><b><c/></b></a>`, `{jabber:client}a[]({jabber:client}b[]({jabber:client}c[]()))`},
		{`<a><b><c><d/></c></b></a>`, "error policy-violation@9"},
	} {
		c, in := cfg, tc.in
		if strings.HasPrefix(in, big) {
			c, in = nil, in[len(big):]
		}
		e, err := Parse([]byte(in), "jabber:client", c)
		fastTags = false
		slow, serr := Parse([]byte(in), "jabber:client", c)
		fastTags = true
		if got, want := parseResult(e, err), parseResult(slow, serr); got != want {
			t.Errorf("%d %s: fast %s, general %s", i, tc.in, got, want)
		}
		got := ""
		if err != nil {
			got = render(Event{}, err)
		} else {
			got = dump(e)
		}
		if got != tc.want {
			t.Errorf("%d %s: got %s, want %s", i, tc.in, got, tc.want)
		}
	}
}

// TestSameName checks the word compare of end tag names against
// bytes.HasPrefix: names of 1 to 10 bytes, every byte of the end tag
// changed in turn, with and without bytes to spare after it.
func TestSameName(t *testing.T) {
	for n := 1; n <= 10; n++ {
		name := "abcdefghij"[:n]
		for _, tail := range []string{"", ">", "> ", ">       x"} {
			base := "<" + name + ">" + "</" + name + tail
			for k := -1; k < len(base); k++ {
				for _, c := range []byte{'a', 'z', 0, 0xff, '>'} {
					b := []byte(base)
					if k >= 0 {
						b[k] = c
					}
					j := len(name) + 4 // after "<name></"
					if j > len(b) {
						continue
					}
					got := sameName(b, j, 1, 1+n)
					want := bytes.HasPrefix(b[j:], b[1:1+n])
					if got != want {
						t.Fatalf("%q: sameName = %v, want %v", b, got, want)
					}
				}
			}
		}
	}
}
