package delay_test

import (
	"fmt"
	"time"

	"parley.dev/xmpp/ext/delay"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func ExampleAdd() {
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("juliet@capulet.com"))
	m.AddBody("", "O blessed, blessed night!")
	delay.Add(&m, delay.Delay{
		Stamp:  time.Date(2002, 9, 10, 23, 8, 25, 0, time.UTC),
		From:   jid.MustParse("capulet.com"),
		Reason: "Offline Storage",
	})
	fmt.Println(m.Element())
	d, _ := delay.Of(m)
	fmt.Println(d.Stamp, d.From, d.Reason)
	// Output:
	// <message to='juliet@capulet.com' type='chat'><body>O blessed, blessed night!</body><delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay></message>
	// 2002-09-10 23:08:25 +0000 UTC capulet.com Offline Storage
}
