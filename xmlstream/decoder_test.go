package xmlstream

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	clientHdr = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'>`
	serverHdr = `<?xml version="1.0" encoding="UTF-8"?><stream:stream xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams" from="example.com" id="c2s_123" version="1.0" xml:lang="en">`
	startCli  = "start from= to=example.com id= version=1.0 lang=en default=jabber:client stream=" + NSStream
	startSrv  = "start from=example.com to= id=c2s_123 version=1.0 lang=en default=jabber:client stream=" + NSStream
)

// validStreams are complete streams with the exact events they decode to.
var validStreams = []struct {
	name string
	in   string
	want []string
}{
	{"client header", clientHdr, []string{startCli}},
	{"server header and features", serverHdr + `<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`,
		[]string{startSrv, "elem {" + NSStream + "}features[]({urn:ietf:params:xml:ns:xmpp-tls}starttls[]({urn:ietf:params:xml:ns:xmpp-tls}required[]()))"}},
	{"message with text and entities", clientHdr + `<message to='a@b' type='chat'><body>x &amp; &lt;y&gt; &quot;&apos; &#65;&#x42;&#x1F600;</body></message>`,
		[]string{startCli, `elem {jabber:client}message[to="a@b" type="chat"]({jabber:client}body[]("x & <y> \"' AB😀"))`}},
	{"whitespace keepalives and close", clientHdr + " \n\t<presence/>\r\n  </stream:stream>  \n",
		[]string{startCli, "whitespace", "elem {jabber:client}presence[]()", "whitespace", "stream-end"}},
	{"empty-element header", `<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>`,
		[]string{"start from= to= id= version= lang= default= stream=" + NSStream, "stream-end"}},
	{"jabberd2 router header without default namespace", `<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns:route='http://jabberd.jabberstudio.org/ns/component/1.0' to='router'><route:bind name='c.example'/><route xmlns='http://jabberd.jabberstudio.org/ns/component/1.0' to='a'><message xmlns='jabber:server'/></route>`,
		[]string{"start from= to=router id= version= lang= default= stream=" + NSStream + " route=http://jabberd.jabberstudio.org/ns/component/1.0",
			`elem {http://jabberd.jabberstudio.org/ns/component/1.0}bind[name="c.example"]()`,
			`elem {http://jabberd.jabberstudio.org/ns/component/1.0}route[to="a"]({jabber:server}message[]())`}},
	{"unprefixed element in no namespace under a router stream", `<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><x a='1'/>`,
		[]string{"start from= to= id= version= lang= default= stream=" + NSStream, `elem x[a="1"]()`}},
	{"pre-XMPP header without version", `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='jabber.org'><iq type='get' id='1'><query xmlns='jabber:iq:auth'><username>u</username></query></iq>`,
		[]string{"start from= to=jabber.org id= version= lang= default=jabber:client stream=" + NSStream,
			`elem {jabber:client}iq[type="get" id="1"]({jabber:iq:auth}query[]({jabber:iq:auth}username[]("u")))`}},
	{"component stream", `<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='comp.example'><handshake>abc</handshake>`,
		[]string{"start from= to=comp.example id= version= lang= default=jabber:component:accept stream=" + NSStream, `elem {jabber:component:accept}handshake[]("abc")`}},
	{"unusual stream prefix and default-namespace root", `<stream xmlns='http://etherx.jabber.org/streams'><features/></stream>`,
		[]string{"start from= to= id= version= lang= default=" + NSStream, "elem {" + NSStream + "}features[]()", "stream-end"}},
	{"other prefix for the stream", `<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:server'><s:error/><db:result xmlns:db='jabber:server:dialback'/></s:stream>`,
		[]string{"start from= to= id= version= lang= default=jabber:server s=" + NSStream, "elem {" + NSStream + "}error[]()", "elem {jabber:server:dialback}result[]()", "stream-end"}},
	{"utf-8 byte order mark", "\xEF\xBB\xBF" + clientHdr, []string{startCli}},
	{"namespaces: prefixes, scoping, xmlns='' and xml:lang", clientHdr + `<message xml:lang='de' xmlns:a='urn:a'><a:x a:k='1' k='2'><y xmlns=''><z/></y><w/></a:x><a:x xmlns:a='urn:b'/></message>`,
		[]string{startCli, `elem {jabber:client}message[{` + NSXML + `}lang="de"]({urn:a}x[{urn:a}k="1" k="2"](y[](z[]()),{jabber:client}w[]()),{urn:b}x[]())`}},
	{"attribute normalization and line ends", clientHdr + "<m a='x\ty\r\nz&#9;&#10;'>l1\r\nl2\rl3\n</m>",
		[]string{startCli, `elem {jabber:client}m[a="x y z\t\n"]("l1\nl2\nl3\n")`}},
	{"CDATA merged with text", clientHdr + "<m>a<![CDATA[<b>&amp;]]]]>c<![CDATA[]]></m>",
		[]string{startCli, `elem {jabber:client}m[]("a<b>&amp;]]c")`}},
	{"nested stream:stream is plain payload", clientHdr + `<message><stream:stream><x/></stream:stream></message><presence/>`,
		[]string{startCli, `elem {jabber:client}message[]({` + NSStream + `}stream[]({jabber:client}x[]()))`, "elem {jabber:client}presence[]()"}},
	{"stream:error is an element", clientHdr + `<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`,
		[]string{startCli, "elem {" + NSStream + "}error[]({urn:ietf:params:xml:ns:xmpp-streams}host-unknown[]())", "stream-end"}},
	{"xmlns values with odd characters round-trip", clientHdr + "<x xmlns='a}b|c d\nx&#10;'/>",
		[]string{startCli, `elem {a}b|c d x` + "\n" + `}x[]()`}},
	{"non-ASCII names", clientHdr + "<ñandú größe='1'><日本語/></ñandú>",
		[]string{startCli, `elem {jabber:client}ñandú[größe="1"]({jabber:client}日本語[]())`}},
	{"end tag with space", clientHdr + "<a ><b/ ></a ></stream:stream >",
		[]string{startCli, "error not-well-formed@" + strconv.Itoa(len(clientHdr)+6)}},
	{"ok end tag with space", clientHdr + "<a ><b/></a ></stream:stream >",
		[]string{startCli, "elem {jabber:client}a[]({jabber:client}b[]())", "stream-end"}},
	{"element in the xml namespace", clientHdr + "<xml:a><b/></xml:a>",
		[]string{startCli, `elem {` + NSXML + `}a[]({jabber:client}b[]())`}},
	{"whitespace after the end is fine", clientHdr + "</stream:stream>\n \n", []string{startCli, "stream-end"}},
}

func TestDecoderValid(t *testing.T) {
	for i, tc := range validStreams {
		got := decodeChunks(nil, [][]byte{[]byte(tc.in)})
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d %s:\n got %q\nwant %q", i, tc.name, got, tc.want)
		}
	}
}

// invalidStreams fail with the given condition (checked at the given
// offset when it is >= 0).
var invalidStreams = []struct {
	name string
	in   string
	cond string
	at   int
}{
	{"wrong root namespace", `<stream:stream xmlns:stream='jabber:client'>`, CondInvalidNamespace, 0},
	{"wrong root name", `<stream:foo xmlns:stream='http://etherx.jabber.org/streams'>`, CondInvalidNamespace, 0},
	{"unbound stream prefix", `<stream:stream xmlns='jabber:client'>`, CondBadNamespacePrefix, 1},
	{"undeclared prefix in stanza", clientHdr + `<message><foo:bar/></message>`, CondBadNamespacePrefix, len(clientHdr) + 10},
	{"undeclared attribute prefix", clientHdr + `<message foo:bar='1'/>`, CondBadNamespacePrefix, len(clientHdr) + 9},
	{"text at depth 1", clientHdr + ` hello`, CondNotWellFormed, len(clientHdr) + 1},
	{"entity at depth 1", clientHdr + `&amp;`, CondNotWellFormed, len(clientHdr)},
	{"CDATA at depth 1", clientHdr + `<![CDATA[ ]]>`, CondNotWellFormed, len(clientHdr)},
	{"comment at depth 1", clientHdr + `<!-- x -->`, CondRestrictedXML, len(clientHdr)},
	{"comment in stanza", clientHdr + `<a><!-- x --></a>`, CondRestrictedXML, len(clientHdr) + 3},
	{"PI in stanza", clientHdr + `<a><?pi x?></a>`, CondRestrictedXML, len(clientHdr) + 3},
	{"PI at depth 1", clientHdr + `<?pi x?>`, CondRestrictedXML, len(clientHdr)},
	{"second XML declaration", clientHdr + `<?xml version='1.0'?>`, CondRestrictedXML, len(clientHdr)},
	{"XML declaration after whitespace", ` <?xml version='1.0'?><stream:stream/>`, CondRestrictedXML, 1},
	{"DOCTYPE", `<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY x 'y'>]><stream:stream/>`, CondRestrictedXML, 21},
	{"comment before header", `<!-- hi --><stream:stream/>`, CondRestrictedXML, 0},
	{"undefined entity", clientHdr + `<a>&nbsp;</a>`, CondRestrictedXML, len(clientHdr) + 3},
	{"undefined entity in attribute", clientHdr + `<a b='&x;'/>`, CondRestrictedXML, len(clientHdr) + 6},
	{"malformed entity", clientHdr + `<a>& b</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"unterminated entity", clientHdr + `<a>&amp</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref to NUL", clientHdr + `<a>&#0;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref to control", clientHdr + `<a>&#x1;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref to FFFE", clientHdr + `<a>&#xFFFE;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref to surrogate", clientHdr + `<a>&#xD800;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref too large", clientHdr + `<a>&#x110000;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"char ref huge", clientHdr + `<a>&#99999999999999999999;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"empty char ref", clientHdr + `<a>&#;</a>`, CondNotWellFormed, len(clientHdr) + 3},
	{"raw control char", clientHdr + "<a>\x01</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"raw NUL", clientHdr + "<a>\x00</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"raw FFFF", clientHdr + "<a>\xEF\xBF\xBF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"invalid UTF-8 in text", clientHdr + "<a>\xFF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"overlong UTF-8", clientHdr + "<a>\xC0\xAF</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"UTF-8 surrogate", clientHdr + "<a>\xED\xA0\x80</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"truncated UTF-8", clientHdr + "<a>\xE6\x97</a>", CondNotWellFormed, len(clientHdr) + 3},
	{"invalid UTF-8 in name", clientHdr + "<a\xFF/>", CondNotWellFormed, len(clientHdr) + 2},
	{"invalid UTF-8 in attribute", clientHdr + "<a b='\xFF'/>", CondNotWellFormed, len(clientHdr) + 6},
	{"invalid UTF-8 in CDATA", clientHdr + "<a><![CDATA[\xFF]]></a>", CondNotWellFormed, len(clientHdr) + 12},
	{"name starting with digit", clientHdr + "<1a/>", CondNotWellFormed, len(clientHdr) + 1},
	{"name starting with combining mark", clientHdr + "<\u0301a/>", CondNotWellFormed, len(clientHdr) + 1},
	{"two colons", clientHdr + "<a:b:c xmlns:a='x'/>", CondNotWellFormed, len(clientHdr) + 4},
	{"leading colon", clientHdr + "<:a/>", CondNotWellFormed, len(clientHdr) + 1},
	{"duplicate attribute", clientHdr + "<a b='1' b='2'/>", CondNotWellFormed, len(clientHdr) + 9},
	{"duplicate attribute by expanded name", clientHdr + "<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", CondNotWellFormed, len(clientHdr) + 35},
	{"duplicate declaration", clientHdr + "<a xmlns:p='u' xmlns:p='u'/>", CondNotWellFormed, len(clientHdr) + 15},
	{"prefix bound to empty", clientHdr + "<a xmlns:p=''/>", CondNotWellFormed, len(clientHdr) + 3},
	{"xmlns prefix declared", clientHdr + "<a xmlns:xmlns='u'/>", CondNotWellFormed, len(clientHdr) + 3},
	{"xml prefix rebound", clientHdr + "<a xmlns:xml='u'/>", CondNotWellFormed, len(clientHdr) + 3},
	{"element with xmlns prefix", clientHdr + "<xmlns:a/>", CondNotWellFormed, len(clientHdr) + 1},
	{"mismatched end tag", clientHdr + "<a><b></a></b>", CondNotWellFormed, len(clientHdr) + 6},
	{"stream end inside stanza", clientHdr + "<message><body>x</stream:stream></message>", CondNotWellFormed, len(clientHdr) + 16},
	{"stream end closing a stanza", clientHdr + "<message></stream:stream>", CondNotWellFormed, len(clientHdr) + 9},
	{"wrong stream end", clientHdr + "</stream:streams>", CondNotWellFormed, len(clientHdr)},
	{"lt in attribute", clientHdr + "<a b='<'/>", CondNotWellFormed, len(clientHdr) + 6},
	{"]]> in text", clientHdr + "<a>x]]>y</a>", CondNotWellFormed, len(clientHdr) + 4},
	{"missing space between attributes", clientHdr + "<a b='1'c='2'/>", CondNotWellFormed, len(clientHdr) + 8},
	{"unquoted attribute", clientHdr + "<a b=1/>", CondNotWellFormed, len(clientHdr) + 5},
	{"junk after stream end", clientHdr + "</stream:stream><a/>", CondNotWellFormed, len(clientHdr) + 16},
	{"text before header", `hello<stream:stream/>`, CondNotWellFormed, 0},
	{"UTF-16 BOM", "\xFE\xFF\x00<\x00?", CondUnsupportedEncod, 0},
	{"UTF-16LE BOM", "\xFF\xFE<\x00?\x00", CondUnsupportedEncod, 0},
	{"UTF-16 without BOM", "<\x00?\x00x\x00m\x00l\x00", CondUnsupportedEncod, 1},
	{"UTF-32 BOM", "\x00\x00\xFE\xFF", CondUnsupportedEncod, 0},
	{"ISO-8859-1 declaration", `<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream/>`, CondUnsupportedEncod, 29},
	{"declaration without version", `<?xml encoding='UTF-8'?>`, CondNotWellFormed, 6},
	{"declaration with version 2.0", `<?xml version='2.0'?>`, CondNotWellFormed, 14},
	{"PI before header", `<?xml-stylesheet href='a'?><stream:stream/>`, CondRestrictedXML, 0},
	{"BOM in the middle", clientHdr + "<a>x</a>\xEF\xBB\xBF", CondNotWellFormed, len(clientHdr) + 8},
	{"element exceeding MaxElementBytes", clientHdr + "<a>" + strings.Repeat("x", DefaultMaxElementBytes) + "</a>", CondPolicyViolation, len(clientHdr) + DefaultMaxElementBytes},
	{"nesting exceeding MaxDepth", clientHdr + strings.Repeat("<a>", DefaultMaxDepth+1), CondPolicyViolation, len(clientHdr) + 3*DefaultMaxDepth},
	{"too many attributes", clientHdr + "<a" + attrs(DefaultMaxAttrs+1) + "/>", CondPolicyViolation, -1},
	{"long name", clientHdr + "<" + strings.Repeat("n", DefaultMaxNameBytes+1) + "/>", CondPolicyViolation, len(clientHdr) + 1},
	{"namespace declarations in scope", clientHdr + "<a" + decls(0, 40) + "><b" + decls(40, 24) + "><c" + decls(64, 1) + "/></b></a>", CondPolicyViolation, -1},
	{"long attribute value", clientHdr + "<a b='" + strings.Repeat("v", DefaultMaxAttrValueBytes+1) + "'/>", CondPolicyViolation, len(clientHdr) + 6 + DefaultMaxAttrValueBytes},
}

func decls(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		b.WriteString(" xmlns:p" + strconv.Itoa(i) + "='urn:" + strconv.Itoa(i) + "'")
	}
	return b.String()
}

func attrs(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(" a" + strconv.Itoa(i) + "='v'")
	}
	return b.String()
}

func TestDecoderInvalid(t *testing.T) {
	for i, tc := range invalidStreams {
		got := decodeChunks(nil, [][]byte{[]byte(tc.in)})
		if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "error "+tc.cond+"@") {
			t.Errorf("%d %s: got %q, want %s", i, tc.name, got, tc.cond)
			continue
		}
		if want := "error " + tc.cond + "@" + strconv.Itoa(tc.at); tc.at >= 0 && got[len(got)-1] != want {
			t.Errorf("%d %s: got %s, want %s", i, tc.name, got[len(got)-1], want)
		}
	}
}

// TestChunkInvariance feeds every sample whole, cut at every point, and a
// byte at a time: the events and the error (condition and offset) must not
// change.
func TestChunkInvariance(t *testing.T) {
	var samples []string
	for _, tc := range validStreams {
		samples = append(samples, tc.in)
	}
	for _, tc := range invalidStreams {
		if len(tc.in) < 4096 {
			samples = append(samples, tc.in)
		}
	}
	for i, in := range samples {
		b := []byte(in)
		whole := decodeChunks(nil, [][]byte{b})
		if got := decodeChunks(nil, bytewise(b)); !slices.Equal(got, whole) {
			t.Errorf("sample %d bytewise:\n got %q\nwant %q", i, got, whole)
		}
		for k := 1; k < len(b); k++ {
			if got := decodeChunks(nil, split(b, k)); !slices.Equal(got, whole) {
				t.Errorf("sample %d split at %d:\n got %q\nwant %q", i, k, got, whole)
				break
			}
		}
	}
}

func TestDecoderErrorIsSticky(t *testing.T) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr + "<a>&bogus;</a><b/>"))
	if ev, err := d.Next(); err != nil || ev.Kind != EventStreamStart {
		t.Fatalf("first Next = %v, %v", ev.Kind, err)
	}
	_, err1 := d.Next()
	d.Feed([]byte("<c/>"))
	_, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Fatalf("errors %v and %v, want the same non-nil error", err1, err2)
	}
	if !errors.Is(err1, &Error{Condition: CondRestrictedXML}) || errors.Is(err1, &Error{Condition: CondNotWellFormed}) {
		t.Fatalf("errors.Is mismatch for %v", err1)
	}
	if d.Buffered() != 0 {
		t.Fatalf("Buffered after error = %d", d.Buffered())
	}
}

func TestDecoderReset(t *testing.T) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>garbage"))
	var out []string
	out, _ = drainN(d, out, 2)
	if d.Header() == nil || d.Header().To != "example.com" {
		t.Fatalf("Header() = %+v", d.Header())
	}
	if d.Buffered() != len("garbage") {
		t.Fatalf("Buffered = %d", d.Buffered())
	}
	d.Reset()
	if d.Header() != nil || d.Buffered() != 0 {
		t.Fatalf("after Reset: header %v, buffered %d", d.Header(), d.Buffered())
	}
	d.Feed([]byte(serverHdr + "<a>&bad;</a>"))
	out, failed := drain(d, out)
	want := []string{startCli, "elem {urn:ietf:params:xml:ns:xmpp-tls}proceed[]()", startSrv, "error restricted-xml@" + strconv.Itoa(len(serverHdr)+3)}
	if !failed || !slices.Equal(out, want) {
		t.Fatalf("got %q\nwant %q", out, want)
	}
	d.Reset() // Reset also clears an error.
	d.Feed([]byte(clientHdr))
	if out, _ = drain(d, nil); !slices.Equal(out, []string{startCli}) {
		t.Fatalf("after Reset from error: %q", out)
	}
}

// drainN takes exactly n events.
func drainN(d *Decoder, out []string, n int) ([]string, error) {
	for range n {
		ev, err := d.Next()
		if err != nil {
			return out, err
		}
		out = append(out, render(ev, err))
	}
	return out, nil
}

func TestDecoderElementsAreIndependent(t *testing.T) {
	d := NewDecoder(nil)
	d.Feed([]byte(clientHdr + "<a x='1'><b>t</b></a><c y='2'>u</c>"))
	d.Next()
	ev1, _ := d.Next()
	ev2, _ := d.Next()
	if got := dump(ev1.Element); got != `{jabber:client}a[x="1"]({jabber:client}b[]("t"))` {
		t.Fatalf("first element changed after decoding the second: %s", got)
	}
	// Appending to a decoded element's slices must not clobber a neighbour.
	a := ev1.Element
	b := a.Nodes[0].Elem
	a.Attr = append(a.Attr, Attr{Name: Name{Local: "z"}, Value: "9"})
	b.Nodes = append(b.Nodes, Node{Text: "more"})
	if got := dump(ev2.Element); got != `{jabber:client}c[y="2"]("u")` {
		t.Fatalf("second element: %s", got)
	}
	if got := dump(a); got != `{jabber:client}a[x="1" z="9"]({jabber:client}b[]("t","more"))` {
		t.Fatalf("after appends: %s", got)
	}
}

func TestBufferedAndWrite(t *testing.T) {
	d := NewDecoder(nil)
	n, err := d.Write([]byte(clientHdr + "<a/><b"))
	if n != len(clientHdr)+6 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	out, _ := drain(d, nil)
	if len(out) != 2 || d.Buffered() != 2 {
		t.Fatalf("events %q, buffered %d", out, d.Buffered())
	}
}

func TestNamespacesInScope(t *testing.T) {
	in := clientHdr + "<a" + decls(0, 40) + "><b" + decls(40, 24) + "><c p63:x='1'/></b></a><d" + decls(0, 64) + "/>"
	out := decodeChunks(nil, [][]byte{[]byte(in)})
	if len(out) != 3 || !strings.HasPrefix(out[1], "elem ") || !strings.HasPrefix(out[2], "elem ") {
		t.Fatalf("got %q", out)
	}
}
