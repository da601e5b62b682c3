package stanza

import "parley.dev/xmpp/xmlstream"

// Namespaces of stanzas and their error vocabularies.
const (
	// NSClient is the content namespace of client-to-server streams
	// (RFC 6120 §4.8.3).
	NSClient = "jabber:client"
	// NSServer is the content namespace of server-to-server streams
	// (RFC 6120 §4.8.3).
	NSServer = "jabber:server"
	// NSComponent is the content namespace of external component streams
	// (XEP-0114 §3).
	NSComponent = "jabber:component:accept"
	// NSStanzas qualifies the defined conditions and the text of stanza
	// errors (RFC 6120 §8.3.2).
	NSStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas"
	// NSStreams qualifies the defined conditions and the text of stream
	// errors (RFC 6120 §4.9.2).
	NSStreams = "urn:ietf:params:xml:ns:xmpp-streams"
)

// Kind tells which of the top-level elements of RFC 6120 §4.1 an element is.
type Kind uint8

const (
	// KindNonza is any top-level element that is not a stanza: stream
	// features, SASL, STARTTLS, stream management, stream errors.
	KindNonza Kind = iota
	// KindMessage is a <message/> stanza (RFC 6121 §5).
	KindMessage
	// KindPresence is a <presence/> stanza (RFC 6121 §4).
	KindPresence
	// KindIQ is an <iq/> stanza (RFC 6120 §8.2.3).
	KindIQ
)

var kindNames = [...]string{"nonza", "message", "presence", "iq"}

// String returns "nonza", "message", "presence" or "iq".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// KindOf reports whether e is a message, presence or iq stanza (RFC 6120
// §8): a top-level element with that local name in one of the stanza
// namespaces NSClient, NSServer, NSComponent, or in no namespace (as on a
// jabberd2 router connection). Anything else, nil included, is KindNonza.
func KindOf(e *xmlstream.Element) Kind {
	if e == nil || !IsStanzaNS(e.Name.Space) {
		return KindNonza
	}
	switch e.Name.Local {
	case "message":
		return KindMessage
	case "presence":
		return KindPresence
	case "iq":
		return KindIQ
	}
	return KindNonza
}

// IsStanzaNS reports whether ns is a namespace stanzas may be qualified by:
// NSClient, NSServer, NSComponent or "" (RFC 6120 §4.8.3, XEP-0114).
func IsStanzaNS(ns string) bool {
	switch ns {
	case NSClient, NSServer, NSComponent, "":
		return true
	}
	return false
}
