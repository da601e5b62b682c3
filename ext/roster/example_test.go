package roster_test

import (
	"fmt"

	"parley.dev/xmpp/ext/roster"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

func ExampleParseQuery() {
	// The payload of a roster result (RFC 6121 §2.1.4).
	el, _ := xmlstream.Parse([]byte(`<query xmlns='jabber:iq:roster' ver='ver11'>
	  <item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>
	  <item jid='mercutio@example.com' subscription='from'/>
	</query>`), "jabber:client", nil)
	q, err := roster.ParseQuery(el)
	if err != nil {
		panic(err)
	}
	fmt.Println("version", q.Ver)
	for _, it := range q.Items {
		fmt.Println(it.JID, it.Name, it.Subscription, it.Groups)
	}
	// Output:
	// version ver11
	// romeo@example.net Romeo both [Friends]
	// mercutio@example.com  from []
}

func ExampleItem_Element() {
	it := roster.Item{JID: mustJID("nurse@example.com"), Name: "Nurse", Groups: []string{"Servants"}}
	fmt.Println(roster.Query{Items: []roster.Item{it}}.Element())
	// Output:
	// <query xmlns='jabber:iq:roster'><item jid='nurse@example.com' name='Nurse'><group>Servants</group></item></query>
}

func mustJID(s string) jid.JID { return jid.MustParse(s) }
