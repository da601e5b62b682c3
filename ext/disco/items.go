package disco

import (
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Item is one <item/> of a disco#items answer (XEP-0030 §4.1): an entity
// (JID), optionally a node at it, and a human-readable name.
type Item struct {
	JID  jid.JID
	Node string
	Name string
}

// Items is the answer to a disco#items request (XEP-0030 §4.1) for Node.
type Items struct {
	Node  string
	Items []Item
}

// ParseItems reads a {http://jabber.org/protocol/disco#items}query element
// (XEP-0030 §4.1). Items whose jid attribute is missing or malformed are
// skipped (the attribute is required).
func ParseItems(q *xmlstream.Element) (*Items, error) {
	if q == nil || q.Name.Space != NSItems || q.Name.Local != "query" {
		return nil, errWrongElement(q, NSItems)
	}
	out := &Items{Node: q.Get("node")}
	for c := range q.Children() {
		if c.Name.Space != NSItems || c.Name.Local != "item" {
			continue
		}
		j, err := jid.Parse(c.Get("jid"))
		if err != nil || j.IsZero() {
			continue
		}
		out.Items = append(out.Items, Item{JID: j, Node: c.Get("node"), Name: c.Get("name")})
	}
	return out, nil
}

// Element returns the <query xmlns='http://jabber.org/protocol/disco#items'/>
// element for it (XEP-0030 §4.1).
func (it *Items) Element() *xmlstream.Element {
	q := xmlstream.New(NSItems, "query")
	if it.Node != "" {
		q.SetAttr("node", it.Node)
	}
	for _, i := range it.Items {
		c := q.AddChild(NSItems, "item").SetAttr("jid", i.JID.String())
		if i.Node != "" {
			c.SetAttr("node", i.Node)
		}
		if i.Name != "" {
			c.SetAttr("name", i.Name)
		}
	}
	return q
}
