package roster

import (
	"errors"
	"fmt"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Query is the <query xmlns='jabber:iq:roster'/> payload of a roster get,
// result, set or push (RFC 6121 §2.1.1, §2.6).
type Query struct {
	// Ver is the roster version (RFC 6121 §2.6.2); HasVer says whether the
	// ver attribute was present at all (a request with ver='' asks for
	// versioning without a cached version).
	Ver    string
	HasVer bool
	// Items are the items, in document order.
	Items []Item
}

// ErrNotRoster is returned by ParseQuery for an element that is not a
// {jabber:iq:roster}query.
var ErrNotRoster = errors.New("roster: not a jabber:iq:roster query")

// ParseQuery reads a roster query (RFC 6121 §2.1). Items that cannot be read
// (no jid, a malformed jid, an unknown subscription state) are left out, and
// the first such problem is returned as a bad-request stanza.Error together
// with the Query of the items that could be read: a fetch keeps the good
// items of a roster, a push with any problem is refused. Group names are
// kept once each; empty ones are dropped (RFC 6121 §2.1.2.6).
func ParseQuery(e *xmlstream.Element) (Query, error) {
	if e == nil || e.Name.Space != NS || e.Name.Local != "query" {
		return Query{}, ErrNotRoster
	}
	var q Query
	q.Ver, q.HasVer = e.Lookup("", "ver")
	var first error
	for c := range e.Children() {
		if c.Name.Space != NS || c.Name.Local != "item" {
			continue
		}
		it, err := parseItem(c)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		q.Items = append(q.Items, it)
	}
	return q, first
}

func parseItem(c *xmlstream.Element) (Item, error) {
	raw, ok := c.Lookup("", "jid")
	if !ok {
		return Item{}, badItem("item without jid")
	}
	j, err := jid.Parse(raw)
	if err != nil {
		return Item{}, badItem(fmt.Sprintf("item jid %q: %v", raw, err))
	}
	it := Item{JID: j, Name: c.Get("name"), Ask: c.Get("ask"), Subscription: SubNone}
	if s, ok := c.Lookup("", "subscription"); ok {
		it.Subscription = Subscription(s)
		if !it.Subscription.Valid() {
			return Item{}, badItem(fmt.Sprintf("item %s: unknown subscription %q", raw, s))
		}
	}
	switch c.Get("approved") {
	case "true", "1":
		it.Approved = true
	}
	for g := range c.Children() {
		if g.Name.Space != NS || g.Name.Local != "group" {
			continue
		}
		name := g.Text()
		if name == "" || it.InGroup(name) {
			continue
		}
		it.Groups = append(it.Groups, name)
	}
	return it, nil
}

func badItem(text string) error {
	return stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest, Text: text}
}

// Element returns the <query/> element for q. The ver attribute is written
// when HasVer is set or Ver is not empty.
func (q Query) Element() *xmlstream.Element {
	e := xmlstream.New(NS, "query")
	if q.HasVer || q.Ver != "" {
		e.SetAttr("ver", q.Ver)
	}
	for _, it := range q.Items {
		e.AppendChild(it.Element())
	}
	return e
}
