package caps_test

import (
	"fmt"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/caps"
	"parley.dev/xmpp/ext/disco"
)

// The simple example of XEP-0115 §5.2.
func ExampleVer() {
	info := &disco.Info{
		Identities: []xmpp.Identity{{Category: "client", Type: "pc", Name: "Exodus 0.9.1"}},
		Features: []string{
			"http://jabber.org/protocol/disco#info",
			"http://jabber.org/protocol/disco#items",
			"http://jabber.org/protocol/muc",
			"http://jabber.org/protocol/caps",
		},
	}
	ver, err := caps.Ver(info, caps.HashSHA1)
	if err != nil {
		panic(err)
	}
	fmt.Println(ver)
	c := caps.Claim{Hash: caps.HashSHA1, Node: "http://code.google.com/p/exodus", Ver: ver}
	fmt.Println(c.Element())
	// Output:
	// QgayPKawpkPSDYmwT/WM94uAlu0=
	// <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>
}
