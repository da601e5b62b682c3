package xmlstream

import (
	"encoding/xml"
	"strings"
	"testing"
)

// Payload types as a user of Marshal/Unmarshal would write them.

type rosterItem struct {
	JID          string   `xml:"jid,attr"`
	Name         string   `xml:"name,attr,omitempty"`
	Subscription string   `xml:"subscription,attr,omitempty"`
	Groups       []string `xml:"group"`
}

type rosterQuery struct {
	XMLName xml.Name     `xml:"jabber:iq:roster query"`
	Ver     string       `xml:"ver,attr,omitempty"`
	Items   []rosterItem `xml:"item"`
}

type rosterIQ struct {
	XMLName xml.Name `xml:"jabber:client iq"`
	Type    string   `xml:"type,attr"`
	ID      string   `xml:"id,attr"`
	Query   *rosterQuery
}

type langBody struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type chatMessage struct {
	XMLName xml.Name   `xml:"jabber:client message"`
	Type    string     `xml:"type,attr,omitempty"`
	Lang    string     `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Flag    string     `xml:"urn:example:attrs flag,attr,omitempty"`
	Bodies  []langBody `xml:"body"`
	Extra   []*Element `xml:",any"`
}

// anyXML keeps any element with encoding/xml's own types only.
type anyXML struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []anyXML   `xml:",any"`
}

type plainMessage struct {
	XMLName xml.Name `xml:"jabber:client message"`
	Type    string   `xml:"type,attr"`
	Body    string   `xml:"body"`
	Unknown []anyXML `xml:",any"`
}

func rosterElement() *Element {
	iq := New("jabber:client", "iq").SetAttr("type", "result").SetAttr("id", "r1")
	q := iq.AddChild("jabber:iq:roster", "query").SetAttr("ver", "v7")
	it := q.AddChild("", "item").SetAttr("jid", "juliet@example.com").SetAttr("name", "Juliet").SetAttr("subscription", "both")
	it.AddChild("", "group").AddText("Friends")
	it.AddChild("", "group").AddText("Capulets & <co>")
	q.AddChild("", "item").SetAttr("jid", "nurse@example.com")
	return iq
}

func TestMarshalNestedNamespaces(t *testing.T) {
	v := rosterIQ{Type: "result", ID: "r1", Query: &rosterQuery{Ver: "v7", Items: []rosterItem{
		{JID: "juliet@example.com", Name: "Juliet", Subscription: "both", Groups: []string{"Friends", "Capulets & <co>"}},
		{JID: "nurse@example.com"},
	}}}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := rosterElement()
	if !got.Equal(want) {
		t.Fatalf("Marshal = %s\nwant %s", dumpTree(got), dumpTree(want))
	}
	// The namespace is a URI, inherited by unqualified children.
	if s := got.Child("", "query").Child("", "item").Name.Space; s != "jabber:iq:roster" {
		t.Errorf("item space = %q", s)
	}
}

func TestUnmarshalNested(t *testing.T) {
	var v rosterIQ
	if err := Unmarshal(rosterElement(), &v); err != nil {
		t.Fatal(err)
	}
	if v.Type != "result" || v.ID != "r1" || v.XMLName != (xml.Name{Space: "jabber:client", Local: "iq"}) {
		t.Errorf("iq = %+v", v)
	}
	if v.Query == nil || v.Query.Ver != "v7" || len(v.Query.Items) != 2 {
		t.Fatalf("query = %+v", v.Query)
	}
	it := v.Query.Items[0]
	if it.JID != "juliet@example.com" || it.Name != "Juliet" || it.Subscription != "both" ||
		len(it.Groups) != 2 || it.Groups[1] != "Capulets & <co>" {
		t.Errorf("item = %+v", it)
	}
	if v.Query.Items[1].JID != "nurse@example.com" {
		t.Errorf("item 2 = %+v", v.Query.Items[1])
	}
}

func TestUnmarshalNameMismatch(t *testing.T) {
	var v rosterIQ
	err := Unmarshal(New("jabber:client", "message"), &v)
	if err == nil || !strings.Contains(err.Error(), "iq") {
		t.Fatalf("err = %v, want a mismatch naming iq", err)
	}
	// Wrong namespace, right local name.
	err = Unmarshal(New("jabber:server", "iq"), &v)
	if err == nil || !strings.Contains(err.Error(), "jabber:client") {
		t.Fatalf("err = %v, want a namespace mismatch", err)
	}
	if err := Unmarshal(nil, &v); err == nil {
		t.Fatal("Unmarshal(nil) succeeded")
	}
}

// unknownChildren is a message with a known body and payloads no struct
// field names, including mixed content and a no-namespace grandchild.
func unknownChildren() *Element {
	m := New("jabber:client", "message").SetAttr("type", "chat")
	m.SetAttrNS(NSXML, "lang", "en")
	m.SetAttrNS("urn:example:attrs", "flag", "on")
	m.AddChild("", "body").AddText("hello <world> & all")
	m.AddChild("", "body").SetAttrNS(NSXML, "lang", "fr").AddText("bonjour")
	x := m.AddChild("jabber:x:oob", "x")
	x.AddChild("", "url").AddText("https://example.com/a?b=1&c=2")
	x.AddChild("", "desc").SetAttr("kind", "file")
	m.AddChild("http://jabber.org/protocol/chatstates", "active")
	mixedTree := m.AddChild("urn:example:mixed", "p").SetAttrNS("urn:example:other", "o", "1")
	mixedTree.AddText("one ")
	mixedTree.AddChild("", "b").AddText("two")
	mixedTree.AddText(" three")
	mixedTree.AppendChild(New("", "bare").AddText("no namespace"))
	return m
}

func TestAnyElementRoundTrip(t *testing.T) {
	orig := unknownChildren()
	var v chatMessage
	if err := Unmarshal(orig, &v); err != nil {
		t.Fatal(err)
	}
	if v.Type != "chat" || v.Lang != "en" || v.Flag != "on" {
		t.Errorf("attributes = type %q lang %q flag %q", v.Type, v.Lang, v.Flag)
	}
	if len(v.Bodies) != 2 || v.Bodies[0].Text != "hello <world> & all" || v.Bodies[1].Lang != "fr" {
		t.Errorf("bodies = %+v", v.Bodies)
	}
	if len(v.Extra) != 3 || v.Extra[0].Name != (Name{"jabber:x:oob", "x"}) {
		t.Fatalf("extra = %d elements", len(v.Extra))
	}
	back, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(orig) {
		t.Fatalf("round trip differs:\n got %s\nwant %s", dumpTree(back), dumpTree(orig))
	}
}

func TestAnyStructRoundTrip(t *testing.T) {
	orig := New("jabber:client", "message").SetAttr("type", "chat")
	orig.AddChild("", "body").AddText("hi")
	x := orig.AddChild("jabber:x:data", "x").SetAttr("type", "submit")
	f := x.AddChild("", "field").SetAttr("var", "FORM_TYPE")
	f.AddChild("", "value").AddText("urn:example")
	orig.AddChild("urn:xmpp:receipts", "request").SetAttrNS(NSXML, "lang", "de")

	var v plainMessage
	if err := Unmarshal(orig, &v); err != nil {
		t.Fatal(err)
	}
	if v.Body != "hi" || len(v.Unknown) != 2 {
		t.Fatalf("decoded %+v", v)
	}
	back, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(orig) {
		t.Fatalf("round trip differs:\n got %s\nwant %s", dumpTree(back), dumpTree(orig))
	}
}

func TestElementMarshalXMLNoNamespaceChild(t *testing.T) {
	// A child in no namespace under a namespaced parent needs xmlns="".
	e := New("urn:a", "x")
	e.AppendChild(New("", "y").SetAttr("k", "v"))
	e.AddChild("", "z") // urn:a
	b, err := xml.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back Element
	if err := xml.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Equal(e) {
		t.Fatalf("%s decoded to %s", b, dumpTree(&back))
	}
	got, err := Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(e) {
		t.Fatalf("Marshal(Element) = %s", dumpTree(got))
	}
}

func TestElementUnmarshalXMLPrefixes(t *testing.T) {
	src := `<stream:features xmlns:stream='http://etherx.jabber.org/streams'><!-- c -->` +
		`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>` +
		`<p:mechanisms xmlns:p='urn:ietf:params:xml:ns:xmpp-sasl' xml:lang='en'><p:mechanism>PLAIN</p:mechanism>` +
		`<mechanism>A<![CDATA[<b>]]>c</mechanism></p:mechanisms></stream:features>`
	var got Element
	if err := xml.Unmarshal([]byte(src), &got); err != nil {
		t.Fatal(err)
	}
	want := New(NSStream, "features")
	want.AddChild("urn:ietf:params:xml:ns:xmpp-tls", "starttls").AddChild("", "required")
	m := want.AddChild("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms").SetAttrNS(NSXML, "lang", "en")
	m.AddChild("", "mechanism").AddText("PLAIN")
	m.AppendChild(New("", "mechanism").AddText("A<b>c"))
	if !got.Equal(want) {
		t.Fatalf("got %s\nwant %s", dumpTree(&got), dumpTree(want))
	}
}

func TestMarshalErrors(t *testing.T) {
	var nilMsg *chatMessage
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"slice", []rosterItem{{JID: "a"}, {JID: "b"}}, "more than one element"},
		{"nil pointer", nilMsg, "no element"},
		{"channel", make(chan int), "unsupported type"},
	}
	for i, tt := range tests {
		e, err := Marshal(tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%d %s: Marshal = %v, %v; want error containing %q", i, tt.name, dumpTree(e), err, tt.want)
		}
	}
}

func TestMarshalSimpleValue(t *testing.T) {
	e, err := Marshal(struct {
		XMLName xml.Name `xml:"urn:xmpp:ping ping"`
	}{})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Equal(New("urn:xmpp:ping", "ping")) {
		t.Fatalf("got %s", dumpTree(e))
	}
}

// dumpTree renders e for failure messages without depending on the encoder.
func dumpTree(e *Element) string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	var walk func(e *Element)
	walk = func(e *Element) {
		b.WriteString("<" + e.Name.String())
		for _, a := range e.Attr {
			b.WriteString(" " + a.Name.String() + "=" + `"` + a.Value + `"`)
		}
		b.WriteString(">")
		for _, n := range e.Nodes {
			if n.Elem != nil {
				walk(n.Elem)
			} else {
				b.WriteString(n.Text)
			}
		}
		b.WriteString("</>")
	}
	walk(e)
	return b.String()
}
