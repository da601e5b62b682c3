package roster

import (
	"slices"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// NS is the roster namespace (RFC 6121 §2.1.1).
const NS = "jabber:iq:roster"

// NSVersioning is the stream feature a server advertises when it supports
// roster versioning (RFC 6121 §2.6.1).
const NSVersioning = "urn:xmpp:features:rosterver"

// Subscription is the subscription state of a roster item (RFC 6121
// §2.1.2.5), or "remove" in a request or push that deletes the item.
type Subscription string

// Subscription states (RFC 6121 §2.1.2.5).
const (
	SubNone   Subscription = "none" // neither side is subscribed
	SubTo     Subscription = "to"   // the user receives the contact's presence
	SubFrom   Subscription = "from" // the contact receives the user's presence
	SubBoth   Subscription = "both" // both
	SubRemove Subscription = "remove"
)

// Valid reports whether s is one of the values RFC 6121 §2.1.2.5 defines.
func (s Subscription) Valid() bool {
	switch s {
	case SubNone, SubTo, SubFrom, SubBoth, SubRemove:
		return true
	}
	return false
}

// Item is one roster item (RFC 6121 §2.1.2): a contact's address, the
// user's name for it, the subscription state, whether a subscription
// request is pending, and the groups it is filed under.
type Item struct {
	// JID is the contact's address (RFC 6121 §2.1.2.3).
	JID jid.JID
	// Name is the user's handle for the contact, "" for none (§2.1.2.4).
	Name string
	// Subscription is the subscription state (§2.1.2.5). Items read from
	// the server always carry one; SubNone when the server left it out.
	Subscription Subscription
	// Ask is "subscribe" while the user's subscription request waits for
	// the contact's answer (§2.1.2.2), else "". RFC 3921 servers may also
	// send "unsubscribe".
	Ask string
	// Approved is set when the user pre-approved the contact's request
	// (§2.1.2.1, §3.4).
	Approved bool
	// Groups lists the groups the item is filed under, without duplicates
	// or empty names (§2.1.2.6), in the order the server sent them.
	Groups []string
}

// InGroup reports whether the item is filed under group g.
func (it Item) InGroup(g string) bool { return slices.Contains(it.Groups, g) }

// Equal reports whether it and o carry the same data.
func (it Item) Equal(o Item) bool {
	return it.JID == o.JID && it.Name == o.Name && it.Subscription == o.Subscription &&
		it.Ask == o.Ask && it.Approved == o.Approved && slices.Equal(it.Groups, o.Groups)
}

// clone returns it with its own Groups slice.
func (it Item) clone() Item {
	it.Groups = slices.Clone(it.Groups)
	return it
}

// Element returns the <item/> element for it, in the roster namespace, with
// every attribute that is set (RFC 6121 §2.1.2). A request to add or update
// an item must not carry the subscription state or ask (§2.3.2): Set builds
// its element with only jid, name and groups.
func (it Item) Element() *xmlstream.Element {
	e := xmlstream.New(NS, "item")
	e.SetAttr("jid", it.JID.String())
	if it.Name != "" {
		e.SetAttr("name", it.Name)
	}
	if it.Subscription != "" && it.Subscription != SubNone {
		e.SetAttr("subscription", string(it.Subscription))
	}
	if it.Ask != "" {
		e.SetAttr("ask", it.Ask)
	}
	if it.Approved {
		e.SetAttr("approved", "true")
	}
	for _, g := range it.Groups {
		e.AddChild(NS, "group").AddText(g)
	}
	return e
}

// setElement is the item as a client sends it in a set (RFC 6121 §2.3.2,
// §2.5.2): jid, name and groups, or jid and subscription='remove'.
func (it Item) setElement() *xmlstream.Element {
	if it.Subscription == SubRemove {
		return xmlstream.New(NS, "item").SetAttr("jid", it.JID.String()).SetAttr("subscription", string(SubRemove))
	}
	return Item{JID: it.JID, Name: it.Name, Groups: it.Groups}.Element()
}
