package xmlstream

// Interning: a namespace name that XMPP streams use all the time is not
// kept in a decoded element's string; the element refers to one of these
// constants instead (see sref), which also makes comparing the reserved
// namespaces cheap. They are found with a small open-addressing table: a
// few byte loads and one comparison, cheaper than a map.

// Indices of the reserved namespaces in wellKnown.
const (
	iXML = iota
	iXMLNS
	iStream
)

// wellKnown are the namespace names that elements refer to without copying
// them into their own string. As a slice literal its capacity is its length, so
// appending to it (parser.constant) copies.
var wellKnown = []string{NSXML, NSXMLNS, NSStream,
	"jabber:client", "jabber:server", "jabber:component:accept", "jabber:component:connect",
	"jabber:server:dialback", "jabber:iq:roster", "jabber:iq:auth",
	"jabber:iq:register", "jabber:iq:version", "jabber:iq:last", "jabber:iq:private",
	"jabber:iq:oob", "jabber:x:oob", "jabber:x:data", "jabber:x:delay", "jabber:x:event",
	"jabber:iq:time", "vcard-temp", "vcard-temp:x:update", "urn:xmpp:ping", "urn:xmpp:delay",
	"urn:xmpp:time", "urn:xmpp:receipts", "urn:xmpp:sm:3", "urn:xmpp:carbons:2",
	"urn:xmpp:forward:0", "urn:xmpp:mam:2", "urn:xmpp:sid:0", "urn:xmpp:chat-markers:0",
	"urn:ietf:params:xml:ns:xmpp-stanzas", "urn:ietf:params:xml:ns:xmpp-streams",
	"urn:ietf:params:xml:ns:xmpp-tls", "urn:ietf:params:xml:ns:xmpp-sasl",
	"urn:ietf:params:xml:ns:xmpp-bind", "urn:ietf:params:xml:ns:xmpp-session",
	"http://jabber.org/protocol/chatstates", "http://jabber.org/protocol/disco#info",
	"http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/caps",
	"http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#user",
	"http://jabber.org/protocol/muc#admin", "http://jabber.org/protocol/muc#owner",
	"http://jabber.org/protocol/xhtml-im", "http://www.w3.org/1999/xhtml",
	"http://jabber.org/protocol/pubsub", "http://jabber.org/protocol/pubsub#event",
	"http://jabber.org/protocol/nick", "http://jabber.org/protocol/commands",
	"http://jabber.org/protocol/rsm", "http://jabber.org/features/iq-auth",
	"http://jabber.org/features/iq-register", "http://jabber.org/protocol/compress",
	"http://jabber.org/protocol/address", "http://jabber.org/protocol/ibb",
	"http://jabber.org/protocol/si", "http://jabber.org/protocol/bytestreams",
}

// internTab maps a hash of a wellKnown string to its index plus one (0 is
// an empty slot). It is kept at most a quarter full.
var internTab = func() (t [256]uint8) {
	if len(wellKnown) > len(t)/4 {
		panic("xmlstream: too many interned strings")
	}
	for i, s := range wellKnown {
		h := internHash(s)
		for t[h] != 0 {
			h = (h + 1) % uint(len(t))
		}
		t[h] = uint8(i + 1)
	}
	return t
}()

// internHash hashes the length and four bytes of a non-empty b.
func internHash[T string | []byte](b T) uint {
	n := uint(len(b))
	h := n*0x9E37 ^ uint(b[0])<<3 ^ uint(b[n-1])<<6 ^ uint(b[n/2])*0x45 ^ uint(b[(n-1)/3])<<1
	return h % 256
}

// intern returns the index of b in wellKnown, or -1.
func intern[T string | []byte](b T) int {
	if len(b) == 0 || len(b) > 64 {
		return -1
	}
	for h := internHash(b); ; h = (h + 1) % 256 {
		k := int(internTab[h]) - 1
		if k < 0 {
			return -1
		}
		if wellKnown[k] == string(b) {
			return k
		}
	}
}
