package chatstate_test

import (
	"fmt"

	"parley.dev/xmpp/ext/chatstate"
	"parley.dev/xmpp/jid"
)

func ExampleNotification() {
	m := chatstate.Notification(jid.MustParse("juliet@capulet.lit/balcony"), chatstate.Composing)
	fmt.Println(m.Element())
	s, ok := chatstate.Of(m)
	fmt.Println(s, ok)
	// Output:
	// <message to='juliet@capulet.lit/balcony' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>
	// composing true
}
