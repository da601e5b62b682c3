// Package disco implements XEP-0030 Service Discovery: answering
// disco#info and disco#items requests about the Session's own entity, and
// querying other entities.
//
// # Answering (XEP-0030 §3, §4)
//
// New returns an xmpp.Extension. Once added to a Session it answers
// disco#info requests for the root node (no node attribute) with the
// identities and features every extension of the Session advertises through
// the xmpp.Registrar (Session.Identities, Session.Features), so adding an
// extension makes its features appear without further work, and removing it
// makes them disappear. The extension itself advertises
// http://jabber.org/protocol/disco#info and #items and, unless
// Config.Identity says otherwise, the identity client/bot (XEP-0030 §3.1
// requires at least one identity; see the registry at
// https://xmpp.org/registrar/disco-categories.html). Config.Forms adds
// XEP-0128 extended information (data forms with a FORM_TYPE) to the root
// node's answer.
//
// Other nodes (XEP-0030 §3.2, §4.2) are answered by Node values registered
// with Disco.SetNode; a request for a node nobody registered gets
// item-not-found (§3.3, §7). Disco.Alias answers chosen node names with the
// root information, which entity capabilities (XEP-0115 §6.2) need.
//
// # Querying (XEP-0030 §3.1, §4.1)
//
// GetInfo and GetItems send a request through an IQSender (a
// *xmpp.Session is one) and return the typed answer: Info (identities,
// features, extended forms) and Items (JID, node, name). ParseInfo and
// ParseItems read a <query/> element, Info.Element and Items.Element write
// one.
package disco
