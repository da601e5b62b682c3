package xmlstream_test

import (
	"encoding/xml"
	"errors"
	"fmt"

	"parley.dev/xmpp/xmlstream"
)

func ExampleCompile() {
	// Compile once, typically into a package-level variable ...
	chat := xmlstream.MustCompile("/message[@type='chat' and body]")

	// ... and match many stanzas.
	msg := xmlstream.New("jabber:client", "message").SetAttr("type", "chat")
	msg.AddChild("", "body").AddText("Wherefore art thou, Romeo?")
	typing := xmlstream.New("jabber:client", "message").SetAttr("type", "chat")
	typing.AddChild("http://jabber.org/protocol/chatstates", "composing")

	fmt.Println(chat.Match(msg), chat.Match(typing))
	// Output: true false
}

func ExampleCompile_error() {
	_, err := xmlstream.Compile("/message | /iq")
	fmt.Println(err)
	var ce *xmlstream.CompileError
	if errors.As(err, &ce) {
		fmt.Println(ce.Pos)
	}
	// Output:
	// xpath: at 9: unexpected "|"
	// 9
}

func ExampleMatcher_Match() {
	roster := xmlstream.MustCompile("/iq[@type='set']/*[@xmlns='jabber:iq:roster']")
	clark := xmlstream.MustCompile("/iq/{jabber:iq:roster}query/item[2]")

	iq := xmlstream.New("jabber:client", "iq").SetAttr("type", "set").SetAttr("id", "push1")
	q := iq.AddChild("jabber:iq:roster", "query")
	q.AddChild("", "item").SetAttr("jid", "nurse@example.com")

	fmt.Println(roster.Match(iq), clark.Match(iq))
	q.AddChild("", "item").SetAttr("jid", "juliet@example.com")
	fmt.Println(roster.Match(iq), clark.Match(iq))
	// Output:
	// true false
	// true true
}

func ExampleMatcher_Values() {
	iq := xmlstream.New("jabber:client", "iq").SetAttr("type", "result")
	q := iq.AddChild("jabber:iq:roster", "query")
	q.AddChild("", "item").SetAttr("jid", "juliet@example.com").SetAttr("subscription", "both")
	q.AddChild("", "item").SetAttr("jid", "nurse@example.com").SetAttr("subscription", "none")
	q.AddChild("", "item").SetAttr("jid", "benvolio@example.net").SetAttr("subscription", "to")

	jids := xmlstream.MustCompile("/iq/query/item[@subscription!='none']/@jid")
	fmt.Println(jids.Values(iq))

	msg := xmlstream.New("jabber:client", "message")
	msg.AddChild("", "body").AddText("O Romeo, Romeo!")
	fmt.Println(xmlstream.MustCompile("/message/body/text()").Values(msg))
	// Output:
	// [juliet@example.com benvolio@example.net]
	// [O Romeo, Romeo!]
}

func ExampleMatcher_Select() {
	form := xmlstream.New("jabber:x:data", "x").SetAttr("type", "submit")
	form.AddChild("", "field").SetAttr("var", "FORM_TYPE").AddChild("", "value").AddText("urn:example")
	form.AddChild("", "field").SetAttr("var", "color").AddChild("", "value").AddText("red")

	for _, f := range xmlstream.MustCompile("//field[@var!='FORM_TYPE']").Select(form) {
		fmt.Println(f.Get("var"), f.ChildText("", "value"))
	}
	// Output: color red
}

// exPing is a payload type described with encoding/xml struct tags.
type exPing struct {
	XMLName xml.Name `xml:"urn:xmpp:ping ping"`
}

type exVersion struct {
	XMLName xml.Name             `xml:"jabber:iq:version query"`
	Name    string               `xml:"name"`
	Version string               `xml:"version"`
	Extra   []*xmlstream.Element `xml:",any"`
}

func ExampleMarshal() {
	e, err := xmlstream.Marshal(exVersion{Name: "Parley", Version: "0.1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Name.Space, e.Name.Local, e.ChildText("", "version"))

	p, _ := xmlstream.Marshal(exPing{})
	fmt.Println(p.Name)
	// Output:
	// jabber:iq:version query 0.1
	// {urn:xmpp:ping}ping
}

func ExampleUnmarshal() {
	q := xmlstream.New("jabber:iq:version", "query")
	q.AddChild("", "name").AddText("Parley")
	q.AddChild("", "version").AddText("0.1")
	q.AddChild("urn:example:build", "build").AddText("abc123")

	var v exVersion
	if err := xmlstream.Unmarshal(q, &v); err != nil {
		panic(err)
	}
	fmt.Println(v.Name, v.Version, v.Extra[0].Name, v.Extra[0].Text())

	// The unknown child survives the round trip.
	back, _ := xmlstream.Marshal(v)
	fmt.Println(back.Equal(q))
	// Output:
	// Parley 0.1 {urn:example:build}build abc123
	// true
}

func ExampleElement_Equal() {
	a := xmlstream.New("jabber:client", "message").SetAttr("to", "romeo@example.net").SetAttr("type", "chat")
	a.AddChild("", "body").AddText("Good night, ").AddText("good night!")

	b := a.Copy()
	b.Attr[0], b.Attr[1] = b.Attr[1], b.Attr[0] // attribute order does not matter
	fmt.Println(a.Equal(b))

	b.Child("", "body").AddText(" Parting is such sweet sorrow")
	fmt.Println(a.Equal(b))
	// Output:
	// true
	// false
}
