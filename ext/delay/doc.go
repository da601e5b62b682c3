// Package delay implements XEP-0203 Delayed Delivery: the <delay/> element
// a server or client adds to a stanza that was stored before delivery
// (offline messages, history, the last presence), saying when it was
// originally sent, by whom it was delayed and why.
//
// Parse reads it from a stanza or the element itself; the legacy
// jabber:x:delay of XEP-0091 (stamp CCYYMMDDThh:mm:ss in UTC), which old
// servers still send, is read when no urn:xmpp:delay element is present.
// Delay.Element writes the XEP-0203 form; Add puts it on a message.
package delay
