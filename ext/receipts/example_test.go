package receipts_test

import (
	"fmt"

	"parley.dev/xmpp/ext/receipts"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func ExampleRequest() {
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("kingrichard@royalty.england.lit/throne"))
	m.ID = "richard2-4.1.247"
	m.AddBody("", "My lord, dispatch; read o'er these articles.")
	receipts.Request(&m)
	fmt.Println(m.Element())
	// Output:
	// <message to='kingrichard@royalty.england.lit/throne' id='richard2-4.1.247' type='chat'><body>My lord, dispatch; read o'er these articles.</body><request xmlns='urn:xmpp:receipts'/></message>
}
