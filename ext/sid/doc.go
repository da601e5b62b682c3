// Package sid implements XEP-0359 Unique and Stable Stanza IDs: the
// <origin-id/> a sending client puts on a message so that it can recognise
// it later (reflected by a MUC room, copied by carbons, stored in an
// archive), and the <stanza-id/> an archiving entity adds, naming itself in
// by.
//
// A stanza-id is only as trustworthy as its by: anyone can put one on a
// message. StanzaID returns the id set by a given entity (the account's
// bare JID for its archive, a room's JID), and only that one; XEP-0359 §6
// asks to trust it only when that entity advertises urn:xmpp:sid:0 in
// service discovery (check with ext/disco). New returns an xmpp.Extension
// that advertises the feature (§7).
package sid
