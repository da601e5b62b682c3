package xmlstream

// EventKind tells what a decoder event carries.
type EventKind uint8

const (
	// EventNone means the decoder needs more input before it can say anything.
	EventNone EventKind = iota
	// EventStreamStart carries the peer's stream header (RFC 6120 §4.7).
	EventStreamStart
	// EventElement carries one complete top-level element: a stanza (message,
	// presence, iq) or a nonza (features, SASL, TLS, stream management, errors).
	EventElement
	// EventWhitespace reports whitespace between top-level elements, the
	// keepalive of RFC 6120 §4.6.1.
	EventWhitespace
	// EventStreamEnd reports the peer's closing </stream:stream> (RFC 6120 §4.4).
	EventStreamEnd
)

var eventKindNames = [...]string{"none", "stream-start", "element", "whitespace", "stream-end"}

// String returns a short lower-case name for k.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "unknown"
}

// Event is one thing the decoder understood.
type Event struct {
	Kind    EventKind
	Header  *Header  // for EventStreamStart
	Element *Element // for EventElement; owned by the caller from then on
}

// Header is a stream header, as sent by either party (RFC 6120 §4.7): the
// initiating entity usually sets To, the receiving entity From and ID.
type Header struct {
	From    string
	To      string
	ID      string
	Version string // "1.0" for XMPP; "" for pre-XMPP (Jabber 0.9) streams
	Lang    string // xml:lang
	// Default is the default namespace of the stream's content: jabber:client,
	// jabber:server, jabber:component:accept, or "" (jabberd2's router).
	Default string
	// Prefixes lists the prefixed namespace declarations on the header, in
	// document order: prefix in Name.Local, URI in Value (e.g. stream, ack).
	Prefixes []Attr
}

// Config holds the decoder's limits. A nil *Config, or a zero field, means the
// default stated on the field. Limits count bytes of the input as received.
type Config struct {
	// MaxElementBytes bounds one top-level element, start tag to end tag,
	// and the stream header. Default 262144 (256 KiB), the stanza size
	// limit Prosody and ejabberd use; exceeding it is policy-violation.
	MaxElementBytes int
	// MaxDepth bounds the nesting of a top-level element (the top-level
	// element itself is depth 1). Default 64; exceeding it is policy-violation.
	MaxDepth int
	// MaxAttrs bounds the attributes (namespace declarations included) of one
	// element. Default 64; exceeding it is policy-violation.
	MaxAttrs int
	// MaxNameBytes bounds an element or attribute name, prefix included.
	// Default 1024; exceeding it is policy-violation.
	MaxNameBytes int
	// MaxAttrValueBytes bounds one attribute value. Default 65536; exceeding
	// it is policy-violation.
	MaxAttrValueBytes int
}

// Defaults of Config.
const (
	DefaultMaxElementBytes   = 256 << 10
	DefaultMaxDepth          = 64
	DefaultMaxAttrs          = 64
	DefaultMaxNameBytes      = 1024
	DefaultMaxAttrValueBytes = 64 << 10
)

// withDefaults returns a copy of c with every zero field set to its default.
func (c *Config) withDefaults() Config {
	var out Config
	if c != nil {
		out = *c
	}
	if out.MaxElementBytes <= 0 {
		out.MaxElementBytes = DefaultMaxElementBytes
	}
	if out.MaxDepth <= 0 {
		out.MaxDepth = DefaultMaxDepth
	}
	if out.MaxAttrs <= 0 {
		out.MaxAttrs = DefaultMaxAttrs
	}
	if out.MaxNameBytes <= 0 {
		out.MaxNameBytes = DefaultMaxNameBytes
	}
	if out.MaxAttrValueBytes <= 0 {
		out.MaxAttrValueBytes = DefaultMaxAttrValueBytes
	}
	return out
}
