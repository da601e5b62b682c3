package xmlstream

import (
	"encoding/binary"
	"slices"
)

// Interning: a namespace name that XMPP streams use all the time, or the
// local name of an element that most stanzas carry, is not kept in a
// decoded element's string; the element refers to one of these constants
// instead (see sref), which also makes comparing the reserved namespaces
// cheap, spares copying those names and keeps the string, and so the
// element's block (see freeze.go), small. Namespaces are found with a
// small open-addressing table: a few byte loads and one comparison,
// cheaper than a map; element names, all of at most eight bytes, with one
// of their words (internName).

// Indices of the reserved namespaces in wellKnown.
const (
	iXML = iota
	iXMLNS
	iStream
)

// wellKnown are the namespace names, then the element names (from
// firstName on), that elements refer to without copying them into their
// own string. As a slice literal its capacity is its length, so appending
// to it (parser.constant) copies.
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

	// Element names of up to eight bytes: stanzas and their children (RFC
	// 6120 §8, RFC 6121 §4.7, §5.2), and the payloads of the XEPs seen
	// most: chat states (XEP-0085), receipts (XEP-0184), markers
	// (XEP-0333), delay (XEP-0203), carbons (XEP-0280), stream management
	// (XEP-0198), caps (XEP-0115), hints (XEP-0334), nicknames (XEP-0172),
	// ping (XEP-0199) and the usual containers.
	"message", "presence", "iq", "body", "subject", "thread", "show", "status",
	"priority", "error", "text", "query", "item", "x", "c", "bind", "jid",
	"resource", "active", "paused", "inactive", "gone", "request",
	"received", "markable", "delay", "sent", "private", "r", "a", "enable",
	"enabled", "resume", "resumed", "no-store", "store", "no-copy", "nick",
	"ping", "html", "identity", "feature", "group", "field", "value",
}

// firstName is the index of the first element name in wellKnown.
var firstName = slices.Index(wellKnown, "message")

// internTab maps a hash of a wellKnown string to its index plus one (0 is
// an empty slot). It is kept at most a quarter full.
var internTab = func() (t [256]uint8) {
	if firstName > len(t)/4 {
		panic("xmlstream: too many interned strings")
	}
	for i, s := range wellKnown[:firstName] {
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

// intern returns the index of b in wellKnown's namespaces, or -1.
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

// nameTab holds the words of the interned element names (see nameKey),
// by hash, and their indices in wellKnown: open addressing, at most half
// full. A name has no zero byte, so no name's word is 0, an empty slot.
var nameTab = func() (t struct {
	w [128]uint64
	i [128]uint8
}) {
	if n := len(wellKnown) - firstName; n > len(t.w)/2 || len(wellKnown) > 256 {
		panic("xmlstream: too many interned names")
	}
	for i := firstName; i < len(wellKnown); i++ {
		s := wellKnown[i]
		if len(s) > 8 {
			panic("xmlstream: interned name " + s + " longer than eight bytes")
		}
		w := nameKey([]byte(s+"\x00\x00\x00\x00\x00\x00\x00\x00"), 0, len(s))
		h := nameHash(w)
		for t.w[h] != 0 {
			h = (h + 1) % uint(len(t.w))
		}
		t.w[h], t.i[h] = w, uint8(i)
	}
	return t
}()

// nameHash hashes the word of a name to a slot of nameTab.
func nameHash(w uint64) uint { return uint((w * 0x9E3779B97F4A7C15) >> 57) }

// internName returns the index in wellKnown of the element name d[n0:n1],
// or -1. It finds the names of up to eight bytes that have eight bytes of
// d from n0 on (so almost always), with one load and one comparison.
func internName(d []byte, n0, n1 int) int {
	if n1-n0 > 8 || n0+8 > len(d) {
		return -1
	}
	w := nameKey(d, n0, n1)
	for h := nameHash(w); ; h = (h + 1) % uint(len(nameTab.w)) {
		switch nameTab.w[h] {
		case w:
			return int(nameTab.i[h])
		case 0:
			return -1
		}
	}
}

// nameKey returns the name d[n0:n1] of one to eight bytes as a word, the
// bytes after it masked off; n0+8 <= len(d).
func nameKey(d []byte, n0, n1 int) uint64 {
	return binary.LittleEndian.Uint64(d[n0:]) & keyMask[(n1-n0)&7]
}

// keyMask[n&7] keeps the first n bytes of a word, 1 <= n <= 8.
var keyMask = [8]uint64{^uint64(0), 0xff, 0xffff, 0xffffff, 0xffffffff, 0xff_ffff_ffff, 0xffff_ffff_ffff, 0xff_ffff_ffff_ffff}
