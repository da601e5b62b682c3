package main

import "parley.dev/xmpp/xmlstream"

const nsPing = "urn:xmpp:ping"

// oobX is the jabber:x:oob payload of a message (XEP-0066 §4).
func oobX(url, desc string) *xmlstream.Element {
	x := xmlstream.New("jabber:x:oob", "x")
	x.AddChild("jabber:x:oob", "url").AddText(url)
	if desc != "" {
		x.AddChild("jabber:x:oob", "desc").AddText(desc)
	}
	return x
}
