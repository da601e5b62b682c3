package xmpp

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// redactCases: one chunk in, what the hooks see, and the secrets in it.
// Each secret string occurs in its input only as (part of) a secret.
var redactCases = []struct {
	in, want string
	secrets  []string
}{
	// 0-4: SASL payloads (RFC 6120 §6.4), quotes and prefixes.
	{`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>`,
		`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>[redacted]</auth>`, []string{"AGFsaWNlAHNlY3JldA=="}},
	{`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="SCRAM-SHA-1">biwsbj1hbGljZSxyPWZ5a28=</auth>`,
		`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="SCRAM-SHA-1">[redacted]</auth>`, []string{"biwsbj1hbGljZSxyPWZ5a28="}},
	{`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0wz</challenge><response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9ZnlrbyIsInA9djBY</response>`,
		`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[redacted]</challenge><response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[redacted]</response>`,
		[]string{"cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0wz", "Yz1iaXdzLHI9ZnlrbyIsInA9djBY"}},
	{`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1ybUY5cHFWOFM3c3VBb1pXamE0ZEpSa0ZzS1E9</success>`,
		`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[redacted]</success>`, []string{"dj1ybUY5cHFWOFM3c3VBb1pXamE0ZEpSa0ZzS1E9"}},
	{`<sasl:auth xmlns:sasl='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGJvYgBwcmVmaXhlZA==</sasl:auth >`,
		`<sasl:auth xmlns:sasl='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>[redacted]</sasl:auth >`, []string{"AGJvYgBwcmVmaXhlZA=="}},
	// 5-9: XEP-0078 password, digest, zero-k hash; XEP-0114 handshake;
	// XEP-0077 legacy password.
	{`<iq type='set' id='auth2'><query xmlns='jabber:iq:auth'><username>bill</username><password>Calli0pe</password><resource>globe</resource></query></iq>`,
		`<iq type='set' id='auth2'><query xmlns='jabber:iq:auth'><username>bill</username><password>[redacted]</password><resource>globe</resource></query></iq>`, []string{"Calli0pe"}},
	{`<query xmlns='jabber:iq:auth'><username>bill</username><digest>48fc78be9ec8f86d8ce1c39c320c97c21d62334d</digest><resource>globe</resource></query>`,
		`<query xmlns='jabber:iq:auth'><username>bill</username><digest>[redacted]</digest><resource>globe</resource></query>`, []string{"48fc78be9ec8f86d8ce1c39c320c97c21d62334d"}},
	{`<query xmlns='jabber:iq:auth'><username>bill</username><sequence>500</sequence><token>3EE65C7C</token></query><query xmlns='jabber:iq:auth'><username>bill</username><hash>d6fbd7a32f1e2bd8e5a8e9bf3fe6e9a5c1c7a0a1</hash><resource>globe</resource></query>`,
		`<query xmlns='jabber:iq:auth'><username>bill</username><sequence>500</sequence><token>3EE65C7C</token></query><query xmlns='jabber:iq:auth'><username>bill</username><hash>[redacted]</hash><resource>globe</resource></query>`,
		[]string{"d6fbd7a32f1e2bd8e5a8e9bf3fe6e9a5c1c7a0a1"}},
	{`<handshake>aaee83c26aeeafcbabeabfcbcd50df997e0a2a1e</handshake>`, `<handshake>[redacted]</handshake>`, []string{"aaee83c26aeeafcbabeabfcbcd50df997e0a2a1e"}},
	{`<iq type='set' id='reg2'><query xmlns='jabber:iq:register'><username>bill</username><password>Calliope</password><email>bard@shakespeare.lit</email></query></iq>`,
		`<iq type='set' id='reg2'><query xmlns='jabber:iq:register'><username>bill</username><password>[redacted]</password><email>bard@shakespeare.lit</email></query></iq>`, []string{"Calliope"}},
	// 10-17: data form fields (XEP-0004, XEP-0077 §4 and §13.4).
	{`<iq type='set' id='reg3'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field><field var='username' type='text-single'><value>juliet</value></field><field var='password' type='text-private'><value>R0m30</value></field></x></query></iq>`,
		`<iq type='set' id='reg3'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field><field var='username' type='text-single'><value>juliet</value></field><field var='password' type='text-private'>[redacted]</field></x></query></iq>`,
		[]string{"R0m30"}},
	{`<x xmlns="jabber:x:data" type="submit"><field type="text-single" var="username"><value>juliet</value></field><field var="password"><value>Dbl-Qu0ted</value></field></x>`,
		`<x xmlns="jabber:x:data" type="submit"><field type="text-single" var="username"><value>juliet</value></field><field var="password">[redacted]</field></x>`, []string{"Dbl-Qu0ted"}},
	{`<x xmlns='jabber:x:data' type='submit'><field type='hidden' var='FORM_TYPE'><value>jabber:iq:register:changepassword</value></field><field type='text-single' var='username'><value>bill</value></field><field type='text-private' var='old_password'><value>theglobe</value></field><field type='text-private' var='password'><value>exampl3</value></field></x>`,
		`<x xmlns='jabber:x:data' type='submit'><field type='hidden' var='FORM_TYPE'><value>jabber:iq:register:changepassword</value></field><field type='text-single' var='username'><value>bill</value></field><field type='text-private' var='old_password'>[redacted]</field><field type='text-private' var='password'>[redacted]</field></x>`,
		[]string{"theglobe", "exampl3"}},
	{`<field var='old_password'><value>Old-Untyped</value></field><field var='x-pin' type="text-private"><value>4711-pin</value></field><field var='muc#roomconfig_roomsecret'><value>cauldronburn</value></field>`,
		`<field var='old_password'>[redacted]</field><field var='x-pin' type="text-private">[redacted]</field><field var='muc#roomconfig_roomsecret'>[redacted]</field>`,
		[]string{"Old-Untyped", "4711-pin", "cauldronburn"}},
	{`<xd:x xmlns:xd='jabber:x:data' type='submit'><xd:field var='password'><xd:value>Pr3fixed</xd:value></xd:field><xd:field var='nick'><xd:value>jule</xd:value></xd:field></xd:x>`,
		`<xd:x xmlns:xd='jabber:x:data' type='submit'><xd:field var='password'>[redacted]</xd:field><xd:field var='nick'><xd:value>jule</xd:value></xd:field></xd:x>`, []string{"Pr3fixed"}},
	{"<field\n  label = \"new > old\"\n  var = \"password\"\n  type='text-private'><value>Sp4ced</value></field><field var='username' label='a>b'><value>juliet</value></field>",
		"<field\n  label = \"new > old\"\n  var = \"password\"\n  type='text-private'>[redacted]</field><field var='username' label='a>b'><value>juliet</value></field>", []string{"Sp4ced"}},
	{`<field var='pass&#119;ord'><value>Ent1ty</value></field><field required var='password'><value>N0-Value-Attr</value></field>`,
		`<field var='pass&#119;ord'>[redacted]</field><field required var='password'>[redacted]</field>`, []string{"Ent1ty", "N0-Value-Attr"}},
	{`<field type='text-private' label='Password' var='password'><required/></field>`, `<field type='text-private' label='Password' var='password'>[redacted]</field>`, nil},
	// 18-21: CDATA sections and nesting.
	{`<password><![CDATA[cd</password>ata]]></password>`, `<password>[redacted]</password>`, []string{"cd", "ata"}},
	{`<body><![CDATA[<password>not a secret]]></body><password>after-cdata</password>`, `<body><![CDATA[<password>not a secret]]></body><password>[redacted]</password>`, []string{"after-cdata"}},
	{`<success xmlns='urn:xmpp:sasl:2'><additional-data>ZD1tZXJjdXRpbw==</additional-data><authorization-identifier>juliet@example.org</authorization-identifier></success>`,
		`<success xmlns='urn:xmpp:sasl:2'>[redacted]</success>`, []string{"ZD1tZXJjdXRpbw==", "juliet@example.org"}},
	{`<password><password>inner</password>outer</password><body>shown</body>`, `<password>[redacted]</password><body>shown</body>`, []string{"inner", "outer"}},
	// 22: a secret cut by the end of the chunk.
	{`<message><body>hi</body></message><password>Unfinish`, `<message><body>hi</body></message><password>[redacted]`, []string{"Unfinish"}},
}

// unchangedCases are chunks with nothing to hide: Redact returns them
// unchanged, as the same slice.
var unchangedCases = []string{
	`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`,
	`<message to='bob@localhost' type='chat' id='m1'><body>the password is in a &lt;password&gt; element</body></message>`,
	`<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms><auth xmlns='http://jabber.org/features/iq-auth'/></stream:features>`,
	`<query xmlns='jabber:iq:register'><username/><password/><password></password><digest/></query>`,
	`<field var='password' type='text-private'/><field var='username'><value>juliet</value></field><fields><value>x</value></fields>`,
	`<authentication>a</authentication><passwords>b</passwords><x:passwordx>c</x:passwordx><handshaking>d</handshaking>`,
	`<body><![CDATA[<auth>not markup</auth>]]></body><a h='3' xmlns='urn:xmpp:sm:3'/>`,
}

func TestRedact(t *testing.T) {
	for i, tt := range redactCases {
		if got := string(Redact([]byte(tt.in))); got != tt.want {
			t.Errorf("%d: Redact(%s)\n = %s\nwant %s", i, tt.in, got, tt.want)
		}
	}
	for i, in := range unchangedCases {
		b := []byte(in)
		if got := Redact(b); &got[0] != &b[0] || len(got) != len(b) {
			t.Errorf("unchanged %d: Redact(%s) = %s, want b itself", i, in, got)
		}
	}
}

// TestSecretField reads <field> attributes (the bytes after the name, up to
// and including the '>').
func TestSecretField(t *testing.T) {
	for i, tt := range []struct {
		attrs string
		want  bool
	}{
		{` var='password'>`, true},
		{` var="old_password" type="text-private">`, true},
		{"\n\tvar\n=\n'muc#roomconfig_roomsecret'>", true},
		{` type='text-private' var='x-pin'>`, true},
		{` label='a > b' var='password'>`, true},
		{` x:var='password'>`, true},                 // any prefix: the safe side
		{` var='pass&#x77;ord'>`, true},              // an entity reference: unreadable
		{` type='text&#x2d;private' var='a'>`, true}, // likewise
		{` required var='password'>`, true},          // malformed: unreadable
		{` var='password>`, true},                    // unterminated
		{` var=password>`, true},                     // unquoted
		{` var='username' type='text-single'>`, false},
		{` var='passwords' label='password'>`, false},
		{` var=' password'>`, false},
		{` type="hidden" var="FORM_TYPE"/>`, false},
		{`>`, false},
		{``, false},
	} {
		if got := secretField([]byte(tt.attrs)); got != tt.want {
			t.Errorf("%d: secretField(%q) = %v, want %v", i, tt.attrs, got, tt.want)
		}
	}
}

// visible is what the hooks show of a chunk sequence, the markers taken out:
// whatever the chunking, it must be the same.
func visible(b []byte) string { return strings.ReplaceAll(string(b), "[redacted]", "") }

// checkChunked feeds in to one redactor in the given chunks and checks the
// joined output against the one-chunk output: the same text shown, no
// secret shown, and, when there are secrets, a marker wherever one chunk
// has one.
func checkChunked(t *testing.T, name string, in []byte, secrets []string, cuts []int) {
	t.Helper()
	whole := Redact(in)
	var r redactor
	var got []byte
	prev := 0
	for _, c := range append(cuts, len(in)) {
		got = append(got, r.redact(in[prev:c])...)
		prev = c
	}
	if visible(got) != visible(whole) {
		t.Fatalf("%s cut at %v: shows\n%s\nwant (markers aside)\n%s", name, cuts, got, whole)
	}
	for _, s := range secrets {
		if bytes.Contains(got, []byte(s)) {
			t.Fatalf("%s cut at %v: secret %q shown: %s", name, cuts, s, got)
		}
	}
	if want := bytes.Count(whole, redacted); secrets != nil && bytes.Count(got, redacted) < want {
		t.Fatalf("%s cut at %v: fewer markers than the %d of one chunk: %s", name, cuts, want, got)
	}
}

// TestRedactEverySplit cuts every case's chunk in two at every byte
// position, and into single bytes: the secrets never show, and the rest
// shows as in one chunk. The cuts fall in tag names, prefixes, attribute
// values, CDATA markers, end tags and the secrets themselves.
func TestRedactEverySplit(t *testing.T) {
	for i, tt := range redactCases {
		in := []byte(tt.in)
		name := "case " + strconv.Itoa(i)
		for k := 0; k <= len(in); k++ {
			checkChunked(t, name, in, tt.secrets, []int{k})
		}
		bytewise := make([]int, 0, len(in))
		for k := 1; k < len(in); k++ {
			bytewise = append(bytewise, k)
		}
		checkChunked(t, name, in, tt.secrets, bytewise)
	}
	for i, in := range unchangedCases {
		for k := 0; k <= len(in); k++ {
			checkChunked(t, "unchanged "+strconv.Itoa(i), []byte(in), nil, []int{k})
		}
	}
}

// TestRedactEveryTwoSplits cuts a registration form, whose password field
// opens with a start tag the redactor reads attribute by attribute, at every
// pair of positions: three chunks, each boundary anywhere.
func TestRedactEveryTwoSplits(t *testing.T) {
	in := []byte(`<x type='submit'><field var="u"><value>jo</value></field><f:field type='text-private' var='password'><value>s3cret</value></f:field><b>ok</b></x>`)
	for j := 0; j <= len(in); j++ {
		for k := j; k <= len(in); k++ {
			checkChunked(t, "form", in, []string{"s3cret"}, []int{j, k})
		}
	}
}

// TestRedactFreshState: the state is per redactor: a secret left
// open in one stream does not hide another stream's text.
func TestRedactFreshState(t *testing.T) {
	var a, b redactor
	if got := string(a.redact([]byte("<password>half"))); got != "<password>[redacted]" {
		t.Fatalf("first redactor: %s", got)
	}
	if got := string(b.redact([]byte("<body>shown</body>"))); got != "<body>shown</body>" {
		t.Fatalf("second redactor: %s", got)
	}
	if got := string(a.redact([]byte("-rest</password><body>shown</body>"))); got != "[redacted]</password><body>shown</body>" {
		t.Fatalf("first redactor, second chunk: %s", got)
	}
}

// TestTracedConnChunks writes and reads a login and a registration form
// through a traced connection in small pieces: the bytes on the wire are
// the bytes written, and neither hook ever shows a secret.
func TestTracedConnChunks(t *testing.T) {
	doc := []byte(`<iq type='set' id='r1'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>` +
		`<field var='username'><value>juliet</value></field><field var='password' type='text-private'><value>R0m30-over-the-wire</value></field>` +
		`</x></query></iq><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGp1bGlldABSMG0zMA==</auth>`)
	secrets := []string{"R0m30-over-the-wire", "AGp1bGlldABSMG0zMA=="}
	var mu sync.Mutex
	var sent, recv []byte
	tr := NewTrace(func(b []byte) { mu.Lock(); sent = append(sent, b...); mu.Unlock() },
		func(b []byte) { mu.Lock(); recv = append(recv, b...); mu.Unlock() }, nil, nil)
	for _, size := range []int{1, 2, 3, 5, 7, 64} {
		mu.Lock()
		sent, recv = nil, nil
		mu.Unlock()
		a, b := net.Pipe()
		ta, tb := tr.Conn(a), tr.Conn(b)
		done := make(chan []byte)
		go func() { // reads through the traced conn in pieces of size bytes
			var wire []byte
			buf := make([]byte, size)
			for {
				n, err := tb.Read(buf)
				wire = append(wire, buf[:n]...)
				if err != nil {
					done <- wire
					return
				}
			}
		}()
		for i := 0; i < len(doc); i += size {
			if _, err := ta.Write(doc[i:min(i+size, len(doc))]); err != nil {
				t.Fatal(err)
			}
		}
		ta.Close()
		wire := <-done
		tb.Close()
		if !bytes.Equal(wire, doc) {
			t.Fatalf("size %d: the wire carried %s", size, wire)
		}
		mu.Lock()
		for _, got := range [][]byte{sent, recv} {
			if visible(got) != visible(Redact(doc)) {
				t.Errorf("size %d: the hooks show %s", size, got)
			}
			for _, s := range secrets {
				if bytes.Contains(got, []byte(s)) {
					t.Errorf("size %d: the hooks show %q", size, s)
				}
			}
		}
		mu.Unlock()
	}
}

// TestRedactAllocs: a chunk with nothing to hide costs no allocation, and
// a connection's redactor reuses its buffer for chunks that hide something.
func TestRedactAllocs(t *testing.T) {
	msg := []byte(`<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat' id='ktx72v49' xml:lang='en'><body>Art thou not Romeo, and a Montague?</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`)
	if n := testing.AllocsPerRun(100, func() { Redact(msg) }); n != 0 {
		t.Errorf("Redact of a message: %v allocations", n)
	}
	auth := []byte(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>`)
	var r redactor
	r.redact(auth)
	if n := testing.AllocsPerRun(100, func() { r.redact(msg); r.redact(auth) }); n != 0 {
		t.Errorf("a redactor's chunks: %v allocations", n)
	}
}

func BenchmarkRedact(b *testing.B) {
	for _, bc := range []struct{ name, chunk string }{
		{"message", `<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat' id='ktx72v49' xml:lang='en'><body>Art thou not Romeo, and a Montague?</body><active xmlns='http://jabber.org/protocol/chatstates'/></message><r xmlns='urn:xmpp:sm:3'/>`},
		{"auth", `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>biwsbj1hbGljZSxyPWZ5a28rZDJsYmJGZ09OUnY5cWt4ZGF3TDM=</auth>`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var r redactor
			chunk := []byte(bc.chunk)
			b.SetBytes(int64(len(chunk)))
			b.ReportAllocs()
			for b.Loop() {
				r.redact(chunk)
			}
		})
	}
}

// FuzzRedact: however a chunk sequence is cut (here into three chunks), a
// redactor shows the same text as Redact of the whole, markers aside; it
// never panics.
func FuzzRedact(f *testing.F) {
	for _, tt := range redactCases {
		f.Add([]byte(tt.in), uint(len(tt.in)/3), uint(len(tt.in)/2))
	}
	for _, in := range unchangedCases {
		f.Add([]byte(in), uint(1), uint(len(in)-1))
	}
	f.Fuzz(func(t *testing.T, in []byte, c1, c2 uint) {
		if bytes.Contains(in, []byte("redacted")) {
			return // the input's own "[redacted]" would blur the comparison
		}
		j, k := int(c1%uint(len(in)+1)), int(c2%uint(len(in)+1))
		if j > k {
			j, k = k, j
		}
		checkChunked(t, "fuzz", in, nil, []int{j, k})
	})
}
