package oob_test

import (
	"fmt"

	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func ExampleParse() {
	// The same function reads both namespaces (AnyEvent's url_from_node).
	for _, s := range []string{
		`<message><x xmlns='jabber:x:oob'><url>https://e.org/a.jpg</url><desc>A picture</desc></x></message>`,
		`<query xmlns='jabber:iq:oob'><url>https://e.org/b.tar.gz</url></query>`,
	} {
		e, _ := xmlstream.Parse([]byte(s), "jabber:client", nil)
		d, ok := oob.Parse(e)
		fmt.Printf("%v %q %q\n", ok, d.URL, d.Desc)
	}
	// Output:
	// true "https://e.org/a.jpg" "A picture"
	// true "https://e.org/b.tar.gz" ""
}

func ExampleAttach() {
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("juliet@capulet.lit"))
	m.AddBody("", "https://e.org/a.jpg")
	oob.Attach(&m, oob.Data{URL: "https://e.org/a.jpg", Desc: "A picture"})
	fmt.Println(m.Element())
	// Output:
	// <message to='juliet@capulet.lit' type='chat'><body>https://e.org/a.jpg</body><x xmlns='jabber:x:oob'><url>https://e.org/a.jpg</url><desc>A picture</desc></x></message>
}
