// Package oob implements XEP-0066 Out of Band Data, as
// AnyEvent::XMPP::Ext::OOB did: offering a URL to another entity by IQ
// (jabber:iq:oob) and learning whether it fetched it, rejected it or could
// not find it; receiving such offers and answering them; and URLs carried
// in messages (jabber:x:oob).
//
// # Offering (XEP-0066 §3.1)
//
// Send offers Data (a URL and an optional description) and returns the
// Result: Accepted when the recipient answered with a result (it retrieved
// the data), Rejected for a not-acceptable (406) error, NotFound for
// item-not-found (404). Any other error (service-unavailable from an
// entity without OOB support, say) is returned as a stanza.Error.
//
// # Receiving (XEP-0066 §3.1, §3.2)
//
// New returns an xmpp.Extension. With Config.OnOffer set it takes iq:oob
// offers and advertises jabber:iq:oob; each offer is an *Offer the
// application answers when it is done, from any goroutine: Accept,
// Reject or NotFound (AnyEvent's reply_success and reply_failure). It
// always advertises jabber:x:oob and registers Data as the payload type of
// both elements, so Incoming.Payload decodes them.
//
// # Parsing
//
// Parse extracts the URL and description from an element in either
// namespace, or from a stanza carrying one (AnyEvent's url_from_node);
// FromMessage returns every jabber:x:oob of a message and Attach adds one.
package oob
