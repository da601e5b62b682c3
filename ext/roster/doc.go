// Package roster implements the roster of RFC 6121 §2 (jabber:iq:roster):
// fetching it, with roster versioning when the server supports it (§2.6),
// accepting the server's pushes (§2.1.6), adding, updating and removing
// items (§2.3, §2.4, §2.5), and a local database with the queries of
// Net::XMPP's RosterDB.
//
// # Codec
//
// ParseQuery and Query.Element read and write the <query/> payload; Item is
// one roster item (§2.1.2). They are pure and can be used without a
// Session.
//
// # The Roster extension
//
// A *Roster is an xmpp.Extension:
//
//	r := roster.New(&roster.Config{OnChange: func(c roster.Change) { ... }})
//	remove, err := session.Add(r)
//	...
//	_, err = r.Fetch(ctx)
//	err = r.Set(ctx, roster.Item{JID: bob, Name: "Bob", Groups: []string{"Friends"}})
//
// Fetch uses roster versioning when the server advertises
// urn:xmpp:features:rosterver after binding (§2.6.1; the Roster reads
// Session.StreamFeatures) or Config.Versioning says so. A Store keeps the
// version and the items across restarts (MemoryStore keeps them for the
// life of the process); with it, a second fetch of an unchanged roster
// transfers no items (§2.6.3).
//
// # Pushes and their security
//
// A push is accepted only when it has no from or comes from the account's
// own bare JID, and carries exactly one item (§2.1.6). Pushes from anyone
// else (another user, another user's full JID) are not applied and are
// answered with service-unavailable; pushes with zero or several items, or
// an unreadable item, with bad-request.
//
// # Database
//
// Exists, JIDs, Groups, GroupExists, GroupJIDs, NonGroupJIDs, Item and Query
// answer from the local copy (Net::XMPP's RosterDBExists, RosterDBJIDs,
// RosterDBGroups, RosterDBGroupExists, RosterDBGroupJIDs,
// RosterDBNonGroupJIDs and RosterDBQuery); All is an iterator over the
// items. Config.OnChange reports every change (Added, Updated, Removed).
// Set and Remove do not change the database themselves: the server's push
// does (§2.3.2, §2.5.2).
package roster
