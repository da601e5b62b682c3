package main

import "strconv"

// The input every decoder reads and the content every encoder writes.
const (
	// streamHeader is what a client receives from its server before the
	// stanzas (RFC 6120 §4.7), with the optional XML declaration.
	streamHeader = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' ` +
		`xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='c2s-4f1e9a' ` +
		`version='1.0' xml:lang='en'>`
	streamClose = `</stream:stream>`

	nsClient     = "jabber:client"
	nsChatStates = "http://jabber.org/protocol/chatstates"

	fromJID = "alice@localhost/balcony-3f9a"
	toJID   = "bob@localhost/phone-8c21"

	// bodyWire is the body as it travels: an entity and multi-byte UTF-8
	// (2-byte Latin, 3-byte CJK and an em dash).
	bodyWire = `Hello &amp; welcome — ünïcødé 日本語 text, a typical line of a chat conversation.`
	// wantBody is bodyWire unescaped: what every decoder must hand back.
	wantBody = `Hello & welcome — ünïcødé 日本語 text, a typical line of a chat conversation.`

	// encodeID is the id of the message the encoders write.
	encodeID = "msg-100001"
)

// chatStanza returns the i-th chat message of the stream (~270 bytes): from,
// to, id and type attributes, a body and a chat state (XEP-0085 §5.1).
func chatStanza(i int) string {
	return `<message from='` + fromJID + `' to='` + toJID + `' type='chat' id='msg-` +
		strconv.Itoa(100000+i) + `'><body>` + bodyWire + `</body>` +
		`<active xmlns='` + nsChatStates + `'/></message>`
}

// buildStream returns the header, n chat messages and the closing tag.
func buildStream(n int) []byte {
	b := make([]byte, 0, len(streamHeader)+n*(len(chatStanza(0))+2)+len(streamClose))
	b = append(b, streamHeader...)
	for i := range n {
		b = append(b, chatStanza(i)...)
	}
	return append(b, streamClose...)
}

// ltPerStream is the number of '<' in a stream of n messages: the header's
// declaration and start tag, five per message, and the closing tag.
func ltPerStream(n int) int { return 2 + 5*n + 1 }
