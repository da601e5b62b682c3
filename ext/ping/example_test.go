package ping_test

import (
	"fmt"

	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/jid"
)

func ExampleIQ() {
	fmt.Println(ping.IQ(jid.MustParse("capulet.lit")).Element())
	// Output:
	// <iq to='capulet.lit' type='get'><ping xmlns='urn:xmpp:ping'/></iq>
}
