package stanza

import (
	"errors"
	"slices"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

func TestMessageFromElement(t *testing.T) {
	tests := []struct {
		in       string
		to, from string
		id       string
		typ      MessageType
		lang     string
		body     string // Body("")
		bodyDE   string // Body("de")
		subject  string
		thread   [2]string
		payloads []string
		bodies   [][2]string
		err      Condition
	}{
		0: {
			in: `<message from='alice@example.com/phone' to='bob@example.com' type='chat' id='m1'>` +
				`<body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`,
			to: "bob@example.com", from: "alice@example.com/phone", id: "m1", typ: MessageChat,
			body: "hi", bodyDE: "hi",
			payloads: []string{"{http://jabber.org/protocol/chatstates}active"},
			bodies:   [][2]string{{"", "hi"}},
		},
		1: { // RFC 6121 §5.2.3 example: bodies in several languages
			in: `<message to='romeo@example.net' xml:lang='en'><body>Wherefore art thou, Romeo?</body>` +
				`<body xml:lang='de'>Wo bist du, Romeo?</body></message>`,
			to: "romeo@example.net", lang: "en",
			body: "Wherefore art thou, Romeo?", bodyDE: "Wo bist du, Romeo?",
			bodies: [][2]string{{"en", "Wherefore art thou, Romeo?"}, {"de", "Wo bist du, Romeo?"}},
		},
		2: { // no body without xml:lang: the first wins
			in:   `<message><body xml:lang='fr'>salut</body><body xml:lang='de'>hallo</body></message>`,
			body: "salut", bodyDE: "hallo",
			bodies: [][2]string{{"fr", "salut"}, {"de", "hallo"}},
		},
		3: {
			in: `<message type='groupchat' from='room@muc.example.com/nick'><subject>Topic</subject>` +
				`<thread parent='p1'>t1</thread></message>`,
			from: "room@muc.example.com/nick", typ: MessageGroupchat, subject: "Topic", thread: [2]string{"t1", "p1"},
		},
		4: { // unknown type is normal (RFC 6121 §5.2.2)
			in:  `<message type='bogus'><body>x</body></message>`,
			typ: MessageNormal, body: "x", bodyDE: "x", bodies: [][2]string{{"", "x"}},
		},
		5: {
			in:  `<message to='@bad' id='m5'><body>x</body></message>`,
			id:  "m5",
			err: JIDMalformed, body: "x", bodyDE: "x", bodies: [][2]string{{"", "x"}},
		},
		6: { // a body in another namespace is a payload, not a body
			in:       `<message><body xmlns='urn:example'>no</body></message>`,
			payloads: []string{"{urn:example}body"},
		},
		7: {
			in:  `<message type='headline' from='example.com'/>`,
			typ: MessageHeadline, from: "example.com",
		},
	}
	for i, tt := range tests {
		m, err := MessageFromElement(parse(t, tt.in))
		if tt.err != "" {
			if !errors.Is(err, Error{Condition: tt.err}) {
				t.Errorf("%d: err = %v, want %s", i, err, tt.err)
			}
		} else if err != nil {
			t.Errorf("%d: unexpected error %v", i, err)
		}
		if m.To != j(tt.to) || m.From != j(tt.from) || m.ID != tt.id || m.Type != tt.typ || m.Lang != tt.lang {
			t.Errorf("%d: header = %v %v %q %q %q", i, m.To, m.From, m.ID, m.Type, m.Lang)
		}
		if got := m.Body(""); got != tt.body {
			t.Errorf("%d: Body(\"\") = %q, want %q", i, got, tt.body)
		}
		if got := m.Body("de"); got != tt.bodyDE {
			t.Errorf("%d: Body(de) = %q, want %q", i, got, tt.bodyDE)
		}
		if got := m.Subject(""); got != tt.subject {
			t.Errorf("%d: Subject = %q, want %q", i, got, tt.subject)
		}
		if id, parent := m.Thread(); id != tt.thread[0] || parent != tt.thread[1] {
			t.Errorf("%d: Thread = %q %q, want %q", i, id, parent, tt.thread)
		}
		if got := names(m.Payloads()); !slices.Equal(got, tt.payloads) {
			t.Errorf("%d: Payloads = %v, want %v", i, got, tt.payloads)
		}
		if got := pairs(m.Bodies()); !slices.Equal(got, tt.bodies) {
			t.Errorf("%d: Bodies = %v, want %v", i, got, tt.bodies)
		}
	}
}

func TestMessageFromElementNotMessage(t *testing.T) {
	for _, s := range []string{`<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, `<message xmlns='urn:other'/>`} {
		if _, err := MessageFromElement(parse(t, s)); !errors.Is(err, Error{Condition: BadRequest}) {
			t.Errorf("%s: err = %v, want bad-request", s, err)
		}
	}
	if _, err := MessageFromElement(nil); err == nil {
		t.Error("nil element: no error")
	}
}

func TestMessageBuild(t *testing.T) {
	m := NewMessage(MessageChat, j("bob@example.com"))
	m.From = j("alice@example.com/phone")
	m.ID = "x1"
	m.AddBody("", "Hello & <bye>")
	m.AddBody("de", "Hallo")
	m.SetSubject("", "first")
	m.SetSubject("", "second") // replaces
	m.SetThread("th", "")
	m.SetThread("th2", "th") // replaces
	m.AddPayload(xmlstream.New("http://jabber.org/protocol/chatstates", "active"))

	const want = `<message to='bob@example.com' from='alice@example.com/phone' id='x1' type='chat'>` +
		`<body>Hello &amp; &lt;bye&gt;</body><body xml:lang='de'>Hallo</body><subject>second</subject>` +
		`<thread parent='th'>th2</thread><active xmlns='http://jabber.org/protocol/chatstates'/></message>`
	out := m.AppendXML(nil)
	if string(out) != want {
		t.Fatalf("AppendXML =\n%s\nwant\n%s", out, want)
	}
	if got := string(xmlstream.AppendElement(nil, m.Element(), NSClient)); got != want {
		t.Errorf("AppendElement(Element()) =\n%s\nwant\n%s", got, want)
	}

	back, err := MessageFromElement(parse(t, string(out)))
	if err != nil {
		t.Fatal(err)
	}
	if back.To != m.To || back.From != m.From || back.ID != m.ID || back.Type != m.Type {
		t.Errorf("header after round trip: %+v", back)
	}
	if back.Body("") != "Hello & <bye>" || back.Body("de") != "Hallo" || back.Subject("") != "second" {
		t.Errorf("children after round trip: %q %q %q", back.Body(""), back.Body("de"), back.Subject(""))
	}
	if id, parent := back.Thread(); id != "th2" || parent != "th" {
		t.Errorf("Thread after round trip = %q %q", id, parent)
	}
	if got := string(back.AppendXML(nil)); got != want {
		t.Errorf("re-encoded =\n%s\nwant\n%s", got, want)
	}

	m.SetThread("", "")
	if id, _ := m.Thread(); id != "" {
		t.Errorf("SetThread(\"\") left thread %q", id)
	}
}

func TestMessageEmpty(t *testing.T) {
	var m Message
	if got := string(m.AppendXML(nil)); got != `<message/>` {
		t.Errorf("zero Message = %s", got)
	}
	if m.Body("") != "" || m.Subject("en") != "" {
		t.Error("zero Message has a body or subject")
	}
	if _, ok := m.Error(); ok {
		t.Error("zero Message has an error")
	}
	if n := len(names(m.Payloads())); n != 0 {
		t.Errorf("zero Message has %d payloads", n)
	}
	e := m.Element()
	if e.Name != (xmlstream.Name{Local: "message"}) || len(e.Attr) != 0 || len(e.Nodes) != 0 {
		t.Errorf("zero Message Element = %v", e)
	}
}

// A decoded message keeps attributes it does not model and re-encodes its
// children in the stream's namespace.
func TestMessageExtraAttrs(t *testing.T) {
	in := `<message to='a@b' type='chat' id='1' xml:lang='en' foo='bar' xmlns:x='urn:x' x:y='z'>` +
		`<body>hi</body></message>`
	m, err := MessageFromElement(parse(t, in))
	if err != nil {
		t.Fatal(err)
	}
	m.Type = MessageNormal
	const want = `<message xmlns:ns6='urn:x' to='a@b' id='1' type='normal' xml:lang='en' foo='bar' ns6:y='z'><body>hi</body></message>`
	out := string(m.AppendXML(nil))
	if out != want {
		t.Fatalf("AppendXML =\n%s\nwant\n%s", out, want)
	}
	e := m.Element()
	if e.Name.Space != NSClient || e.Get("type") != "normal" || e.Get("foo") != "bar" {
		t.Errorf("Element = %v", e)
	}
	if v, _ := e.Lookup("urn:x", "y"); v != "z" {
		t.Errorf("Element lost {urn:x}y: %v", e)
	}
	back := parse(t, out)
	if v, _ := back.Lookup("urn:x", "y"); v != "z" {
		t.Errorf("re-parsed element lost {urn:x}y: %v", back)
	}
}

// A child in no namespace is not a body and stays in no namespace when
// re-encoded.
func TestMessageNoNamespaceChild(t *testing.T) {
	m, err := MessageFromElement(parse(t, `<message><body xmlns=''>0</body><body>1</body></message>`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Body("") != "1" {
		t.Errorf("Body = %q, want 1", m.Body(""))
	}
	if got := names(m.Payloads()); !slices.Equal(got, []string{"body"}) {
		t.Errorf("Payloads = %v", got)
	}
	const want = `<message><body xmlns=''>0</body><body>1</body></message>`
	if got := string(m.AppendXML(nil)); got != want {
		t.Errorf("AppendXML = %s, want %s", got, want)
	}
}

func TestMessageErrorReply(t *testing.T) {
	m, err := MessageFromElement(parse(t, `<message from='a@b/c' to='d@e' id='7' type='chat'><body>x</body></message>`))
	if err != nil {
		t.Fatal(err)
	}
	r := m.ErrorReply(Error{Type: Cancel, Condition: ServiceUnavailable})
	const want = `<message to='a@b/c' from='d@e' id='7' type='error'><error type='cancel'>` +
		`<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`
	if got := string(r.AppendXML(nil)); got != want {
		t.Fatalf("ErrorReply =\n%s\nwant\n%s", got, want)
	}
	back, _ := MessageFromElement(parse(t, want))
	if e, ok := back.Error(); !ok || e.Condition != ServiceUnavailable || e.Type != Cancel {
		t.Errorf("Error() = %v, %v", e, ok)
	}
	if n := len(names(back.Payloads())); n != 0 {
		t.Errorf("error counted as payload")
	}
}
