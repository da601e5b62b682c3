// Package xmlstream is Parley's I/O-free XML stream layer: the restricted XML
// of RFC 6120 §11 in, events out, for either end of a stream.
//
// A Decoder is fed bytes from any transport (TCP, TLS, a test transcript) in
// chunks of any size and yields events: the stream header, each complete
// top-level element (a stanza or a nonza) as an Element tree, whitespace
// keepalives and the stream close. It never reads, writes, blocks or starts a
// goroutine; the Session in the root package owns the connection and calls it.
//
// Hostile input is the normal case for a network parser. Every limit (bytes
// per top-level element, nesting depth, attributes per element, name and
// attribute-value length) has a safe default in Config, and a decoder's memory
// stays under its element limit plus a constant whatever it is fed. Errors are
// *Error values whose Condition is the RFC 6120 §4.9.3 stream error condition
// a server or client should send back.
//
// Element is the tree that every higher layer (stanza, the Session, ext/...)
// works on. It is built by the decoder, by hand with New / AddChild / AddText
// (the spirit of Jabber::NodeFactory's newNode / insertTag / data), or from a
// struct with encoding/xml tags (Marshal), and turned back into a struct with
// Unmarshal. Encoding appends to a caller's buffer (AppendXML) and always
// re-parses to an Equal element.
//
// Matcher compiles the XPath subset that the Perl ancestors used for callbacks
// (/message[@type='chat'], /iq/*[@xmlns='jabber:iq:roster'], ...) once and
// matches it against many elements.
package xmlstream
