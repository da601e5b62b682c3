package xmlstream

import (
	"bytes"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// Hostile input: every case names the exact condition (and, where it is
// well defined, the offset) that a peer sending it must get back.

var hostile = []struct {
	name string
	in   string
	cond string
	at   int // -1: not checked
}{
	{"billion laughs", `<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'><a>&lol2;</a>`,
		CondRestrictedXML, 21},
	{"billion laughs reference without DTD", clientHdr + `<message><body>&lol9;</body></message>`, CondRestrictedXML, len(clientHdr) + 15},
	{"internal entity", `<!DOCTYPE s [<!ENTITY e "x">]><stream:stream/>`, CondRestrictedXML, 0},
	{"external entity", `<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><stream:stream>&xxe;`, CondRestrictedXML, 21},
	{"external DTD", `<!DOCTYPE stream:stream SYSTEM "file:///etc/passwd"><stream:stream/>`, CondRestrictedXML, 0},
	{"DOCTYPE inside a stanza", clientHdr + `<message><!DOCTYPE x></message>`, CondRestrictedXML, len(clientHdr) + 9},
	{"parameter entity reference", clientHdr + `<message>%pe;&pe;</message>`, CondRestrictedXML, len(clientHdr) + 13},
	{"comment at depth 1", clientHdr + `<!---->`, CondRestrictedXML, len(clientHdr)},
	{"comment in a stanza", clientHdr + `<message><body>a<!-- b -->c</body></message>`, CondRestrictedXML, len(clientHdr) + 16},
	{"comment in the prolog", `<?xml version='1.0'?><!-- c --><stream:stream/>`, CondRestrictedXML, 21},
	{"PI in a stanza", clientHdr + `<message><?php system('id'); ?></message>`, CondRestrictedXML, len(clientHdr) + 9},
	{"PI at depth 1", clientHdr + `<?foo?>`, CondRestrictedXML, len(clientHdr)},
	{"second XML declaration mid-stream", clientHdr + `<a/><?xml version='1.0'?>`, CondRestrictedXML, len(clientHdr) + 4},
	{"XML declaration inside a stanza", clientHdr + `<a><?xml version='1.0'?></a>`, CondRestrictedXML, len(clientHdr) + 3},
	{"invalid UTF-8 in an element name", clientHdr + "<mess\xC3age/>", CondNotWellFormed, len(clientHdr) + 5},
	{"invalid UTF-8 in an attribute name", clientHdr + "<a b\x80='1'/>", CondNotWellFormed, len(clientHdr) + 4},
	{"invalid UTF-8 in an attribute value", clientHdr + "<a b='x\xF5\x80\x80\x80'/>", CondNotWellFormed, len(clientHdr) + 7},
	{"invalid UTF-8 in text", clientHdr + "<a>ok\xC3\x28</a>", CondNotWellFormed, len(clientHdr) + 5},
	{"invalid UTF-8 in the header", "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='\xFF'>", CondNotWellFormed, 67},
	{"overlong '<'", clientHdr + "<a>\xC0\xBC</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"overlong NUL", clientHdr + "<a>\xC0\x80</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"overlong 3-byte", clientHdr + "<a>\xE0\x80\xAF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"overlong 4-byte", clientHdr + "<a>\xF0\x80\x80\xAF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"beyond U+10FFFF", clientHdr + "<a>\xF4\x90\x80\x80</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"encoded surrogate", clientHdr + "<a>\xED\xBF\xBF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"&#0;", clientHdr + "<a>&#0;</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"&#0; in an attribute", clientHdr + "<a b='&#x0;'/>", CondNotWellFormed, len(clientHdr) + 6},
	{"UTF-16 BOM", "\xFE\xFF\x00<\x00s", CondUnsupportedEncod, 0},
	{"UTF-16 BOM after a UTF-8 BOM", "\xEF\xBB\xBF\xFE\xFF\x00<", CondNotWellFormed, 3},
	{"ISO-8859-1", `<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream/>`, CondUnsupportedEncod, 29},
	{"UTF-16 declared", `<?xml version="1.0" encoding="UTF-16"?>`, CondUnsupportedEncod, 29},
	{"utf-8 lower case is fine, version is not", `<?xml version='1.0' encoding='utf-8'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><a>&#1;</a>`, CondNotWellFormed, 118},
	{"mismatched tags", clientHdr + "<message><body></message></body>", CondNotWellFormed, len(clientHdr) + 15},
	{"end tag prefix differs", clientHdr + "<a:b xmlns:a='u' xmlns:c='u'></c:b>", CondNotWellFormed, len(clientHdr) + 29},
	{"stream close inside a stanza", clientHdr + "<message><body>hi</stream:stream></body></message>", CondNotWellFormed, len(clientHdr) + 17},
	{"stream close as the stanza's end tag", clientHdr + "<message></stream:stream>", CondNotWellFormed, len(clientHdr) + 9},
	{"end tag at depth 1 other than the stream's", clientHdr + "</message>", CondNotWellFormed, len(clientHdr)},
	{"deep nesting", clientHdr + strings.Repeat("<a>", 100000), CondPolicyViolation, len(clientHdr) + 3*DefaultMaxDepth},
}

func TestHostile(t *testing.T) {
	for i, tc := range hostile {
		b := []byte(tc.in)
		whole := decodeChunks(nil, [][]byte{b})
		if len(whole) == 0 || !strings.HasPrefix(whole[len(whole)-1], "error "+tc.cond+"@") {
			t.Errorf("%d %s: got %q, want %s", i, tc.name, whole, tc.cond)
			continue
		}
		if want := "error " + tc.cond + "@" + strconv.Itoa(tc.at); tc.at >= 0 && whole[len(whole)-1] != want {
			t.Errorf("%d %s: got %s, want %s", i, tc.name, whole[len(whole)-1], want)
		}
		if len(b) > 10000 {
			b = b[:10000]
		}
		if got := decodeChunks(nil, bytewise(b)); !slices.Equal(got, decodeChunks(nil, [][]byte{b})) {
			t.Errorf("%d %s: bytewise differs: %q", i, tc.name, got)
		}
	}
}

func TestHostileNestedStreamHeader(t *testing.T) {
	in := clientHdr + `<message><stream:stream xmlns:stream='urn:evil' to='evil'><x/></stream:stream></message><presence/></stream:stream>`
	d := NewDecoder(nil)
	d.Feed([]byte(in))
	out, failed := drain(d, nil)
	want := []string{startCli, `elem {jabber:client}message[]({urn:evil}stream[to="evil"]({jabber:client}x[]()))`, "elem {jabber:client}presence[]()", "stream-end"}
	if failed || !slices.Equal(out, want) {
		t.Fatalf("got %q\nwant %q", out, want)
	}
	if d.Header().To != "example.com" {
		t.Fatalf("header changed: %+v", d.Header())
	}
}

func TestHostileOddNamespaceNames(t *testing.T) {
	for _, uri := range []string{"a}b", "x|y", "with space", "new\nline", "tab\tand\rcr", "{", "}", "urn:x&y<z>'\"", "ünï}|{ cødé"} {
		in := clientHdr + "<x xmlns='" + string(AppendEscapedAttr(nil, uri)) + "' xmlns:p='" + string(AppendEscapedAttr(nil, uri)) + "' p:a='1'><p:y/></x>"
		d := NewDecoder(nil)
		d.Feed([]byte(in))
		d.Next()
		ev, err := d.Next()
		if err != nil {
			t.Fatalf("%q: %v", uri, err)
		}
		e := ev.Element
		if e.Name.Space != uri || e.Attr[0].Name.Space != uri || e.Nodes[0].Elem.Name.Space != uri {
			t.Fatalf("%q: decoded %s", uri, dump(e))
		}
		back, err := Parse(e.AppendXML(nil), "", nil)
		if err != nil || !back.Equal(e) || back.Name.Space != uri {
			t.Fatalf("%q: round trip %v %s", uri, err, e.AppendXML(nil))
		}
	}
}

// feedHostile feeds chunk n times (after prefix) and drains after each
// Feed. It returns the error, the input bytes fed when it appeared, and
// the largest memory the decoder retained between Feeds.
func feedHostile(t *testing.T, cfg *Config, prefix, chunk []byte, n int) (err error, fed int, maxRetained int) {
	t.Helper()
	d := NewDecoder(cfg)
	d.Feed(prefix)
	fed = len(prefix)
	for i := 0; ; i++ {
		for {
			ev, e := d.Next()
			if e != nil {
				return e, fed, maxRetained
			}
			if ev.Kind == EventNone {
				break
			}
		}
		maxRetained = max(maxRetained, retained(d))
		if i == n {
			return nil, fed, maxRetained
		}
		d.Feed(chunk)
		fed += len(chunk)
	}
}

// retained estimates the bytes a decoder holds on to.
func retained(d *Decoder) int {
	p := d.p
	if p == nil {
		return cap(d.buf)
	}
	return cap(d.buf) + cap(p.arena) +
		cap(p.elems)*int(unsafe.Sizeof(elemRec{})) + cap(p.attrs)*int(unsafe.Sizeof(attrRec{})) +
		(cap(p.nodes)+cap(p.pend))*int(unsafe.Sizeof(nodeRec{})) + cap(p.open)*int(unsafe.Sizeof(openRec{})) +
		cap(p.ns)*int(unsafe.Sizeof(nsBinding{})) + cap(p.raw)*int(unsafe.Sizeof(rawAttr{}))
}

func TestHostileFloods(t *testing.T) {
	const chunk = 64 << 10
	const tenMB = 10 << 20 / chunk
	max := DefaultMaxElementBytes
	bound := 2*(max+chunk) + 256<<10 // the limit, one chunk, and growth slack
	for _, tc := range []struct {
		name   string
		prefix string
		fill   byte
		n      int
		cond   string
		at     int
	}{
		{"10 MB attribute value", clientHdr + "<message to='", 'x', tenMB, CondPolicyViolation, len(clientHdr) + 13 + DefaultMaxAttrValueBytes},
		{"10 MB text in an element", clientHdr + "<message><body>", 'x', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB start tag at depth 1 without '>'", clientHdr + "<message", ' ', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB name", clientHdr + "<m", 'm', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB CDATA", clientHdr + "<m><![CDATA[", ']', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB end tag", clientHdr + "<m></m", 'm', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB header", "<stream:stream to='", 'x', tenMB, CondPolicyViolation, DefaultMaxAttrValueBytes + 19},
		{"10 MB XML declaration", "<?xml version='1.0' ", ' ', tenMB, CondPolicyViolation, max},
		{"10 MB stream close", clientHdr + "</stream:stream", ' ', tenMB, CondPolicyViolation, len(clientHdr) + max},
		{"10 MB whitespace at depth 1 is fine", clientHdr, ' ', tenMB, "", 0},
		{"10 MB whitespace in the prolog is fine", "", '\n', tenMB, "", 0},
		{"50 MB whitespace after the stream is fine", clientHdr + "</stream:stream>", '\t', 5 * tenMB, "", 0},
		{"100,000-deep nesting fails within the first chunk", clientHdr, 0, 5, CondPolicyViolation, len(clientHdr) + 3*DefaultMaxDepth},
		{"10 MB of nested elements with a higher depth limit", clientHdr, 0, tenMB, CondPolicyViolation, len(clientHdr) + max},
	} {
		fill := bytes.Repeat([]byte{tc.fill}, chunk)
		var cfg *Config
		if tc.fill == 0 {
			fill = bytes.Repeat([]byte("<a>"), 20000)
			if tc.n == tenMB {
				cfg = &Config{MaxDepth: 1 << 30}
			}
		}
		err, fed, ret := feedHostile(t, cfg, []byte(tc.prefix), fill, tc.n)
		if ret > bound {
			t.Errorf("%s: retained %d bytes, bound %d", tc.name, ret, bound)
		}
		if tc.cond == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, _ := err.(*Error)
		if e == nil || e.Condition != tc.cond || e.Offset != int64(tc.at) {
			t.Errorf("%s: got %v, want %s at %d", tc.name, err, tc.cond, tc.at)
		}
		if fed > len(tc.prefix)+max+chunk {
			t.Errorf("%s: failed only after %d bytes", tc.name, fed)
		}
	}
}

// TestHostileMemory feeds 50 MB of valid stanzas (in chunks that cut
// stanzas anywhere) and 20 MB of an endless element, and checks the memory
// the decoder keeps, by its own accounting and as the runtime sees it.
func TestHostileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var stanzas []byte
	for len(stanzas) < 1<<20 {
		stanzas = append(stanzas, chatStanza(len(stanzas))...)
	}
	const chunk = 65521 // prime: chunks cut stanzas at every possible place
	pos := 0
	nextStanzas := func() []byte { // the endless stream stanzas, stanzas, ...
		out := make([]byte, 0, chunk)
		for len(out) < chunk {
			k := min(chunk-len(out), len(stanzas)-pos)
			out = append(out, stanzas[pos:pos+k]...)
			pos = (pos + k) % len(stanzas)
		}
		return out
	}
	xs := bytes.Repeat([]byte("x"), chunk)
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	for _, tc := range []struct {
		name   string
		prefix string
		next   func() []byte
		n      int
		cond   string
	}{
		{"50 MB of stanzas", clientHdr, nextStanzas, 50 << 20 / chunk, ""},
		{"20 MB endless text", clientHdr + "<message><body>", func() []byte { return xs }, 20 << 20 / chunk, CondPolicyViolation},
	} {
		before := heap()
		d := NewDecoder(nil)
		d.Feed([]byte(tc.prefix))
		var maxHeap uint64
		var maxRet, elems int
		var err error
		for i := range tc.n {
			d.Feed(tc.next())
			for err == nil {
				var ev Event
				if ev, err = d.Next(); ev.Kind == EventNone {
					break
				}
				if ev.Kind == EventElement {
					elems++
				}
			}
			maxRet = max(maxRet, retained(d))
			if i%64 == 0 {
				maxHeap = max(maxHeap, heap())
			}
		}
		if e, _ := err.(*Error); tc.cond == "" && err != nil || tc.cond != "" && (e == nil || e.Condition != tc.cond) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.cond)
		}
		if tc.cond == "" && elems < 150000 {
			t.Errorf("%s: only %d elements", tc.name, elems)
		}
		if maxRet > 2*(DefaultMaxElementBytes+chunk) {
			t.Errorf("%s: decoder retained %d bytes", tc.name, maxRet)
		}
		if grown := int64(maxHeap) - int64(before); grown > 4*DefaultMaxElementBytes+4<<20 {
			t.Errorf("%s: heap grew by %d bytes", tc.name, grown)
		}
		runtime.KeepAlive(d)
	}
}
