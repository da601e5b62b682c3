// Package stanza holds the three XMPP stanzas (Message, Presence and IQ) and
// the two error vocabularies of the core protocol: stanza errors (Error,
// RFC 6120 §8.3) and stream errors (StreamError, RFC 6120 §4.9).
//
// The types are plain data over xmlstream.Element. A decoded stanza is a
// small struct of header fields (to, from, id, type, xml:lang; RFC 6120
// §8.1) plus a pointer to the element the decoder produced; accessors such as
// Message.Body or Presence.Show read the child elements lazily, so turning a
// decoded element into a Message costs no allocation beyond the decoder's:
//
//	msg, err := stanza.MessageFromElement(ev.Element)
//	if err != nil {
//		// err is a stanza.Error (jid-malformed, bad-request) to send back.
//	}
//	fmt.Println(msg.From, msg.Body(""))
//
// The same types build stanzas to send: set the header fields, add children
// with AddBody, SetStatus, AddPayload and friends, and append the encoding to
// a buffer with AppendXML (no allocation into a buffer with room). Encoded
// stanzas carry no xmlns on the root, so they take the default namespace of
// whichever stream (jabber:client, jabber:server, jabber:component:accept) they
// are written to.
//
// The child elements follow RFC 6121: message bodies, subjects and threads
// (§5.2.3-§5.2.5), presence show, status and priority (§4.7.2). IQ follows
// RFC 6120 §8.2.3: a get or set carries exactly one payload element.
//
// Errors are values whose Is method treats blank fields as wildcards:
//
//	if errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) { ... }
//	if errors.Is(err, stanza.StreamError{Condition: stanza.StreamConflict}) { ... }
//
// ErrorFromElement also understands the numeric codes of pre-XMPP Jabber
// servers (jabberd 1.4, jabberd2), mapped to conditions as XEP-0086 says.
package stanza
