// Package receipts implements XEP-0184 Message Delivery Receipts: asking
// the recipient of a message to acknowledge it, and acknowledging.
//
// Request adds <request/> to an outgoing message (giving it an id if it
// has none: the receipt refers to it, §5.1); Received reads the id a
// receipt acknowledges. New returns an xmpp.Extension that advertises
// urn:xmpp:receipts (§6), reports receipts to Config.OnReceived and, with
// Config.AutoAnswer, acknowledges every message that requests it, except
// errors and groupchat messages (§5.4, §5.5). A receipt tells the sender
// the message reached a client, which is a presence leak: turn AutoAnswer
// on only where that is wanted (§8).
package receipts
