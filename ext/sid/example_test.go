package sid_test

import (
	"fmt"

	"parley.dev/xmpp/ext/sid"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func ExampleStanzaID() {
	e, _ := xmlstream.Parse([]byte(`<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit/balcony'>
		<stanza-id xmlns='urn:xmpp:sid:0' id='5f3dbc5e' by='juliet@capulet.lit'/>
		<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='montague.lit'/>
	</message>`), "jabber:client", nil)
	m, _ := stanza.MessageFromElement(e)
	// Trust only the id the account's own archive assigned.
	id, ok := sid.StanzaID(m, jid.MustParse("juliet@capulet.lit"))
	fmt.Println(id, ok)
	// Output:
	// 5f3dbc5e true
}
