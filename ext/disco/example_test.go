package disco_test

import (
	"fmt"

	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/xmlstream"
)

func ExampleParseInfo() {
	q, _ := xmlstream.Parse([]byte(`<query xmlns='http://jabber.org/protocol/disco#info'>
		<identity category='server' type='im' name='Prosody'/>
		<feature var='urn:xmpp:ping'/>
		<feature var='jabber:iq:version'/>
	</query>`), "jabber:client", nil)
	info, err := disco.ParseInfo(q)
	if err != nil {
		panic(err)
	}
	fmt.Println(info.Identities[0].Category, info.Identities[0].Type, info.Identities[0].Name)
	fmt.Println(info.HasFeature("urn:xmpp:ping"), info.HasFeature("urn:xmpp:time"))
	// Output:
	// server im Prosody
	// true false
}

func ExampleInfoIQ() {
	iq := disco.InfoIQ(mustJID("localhost"), "")
	fmt.Println(iq.Element())
	// Output:
	// <iq to='localhost' type='get'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>
}
