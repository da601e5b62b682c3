package disco

import (
	"errors"
	"slices"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of XEP-0030 (§3, §4).
const (
	NSInfo  = "http://jabber.org/protocol/disco#info"
	NSItems = "http://jabber.org/protocol/disco#items"
)

// ErrMalformed is returned (wrapped) by ParseInfo and ParseItems for an
// element that is not a disco <query/> of the expected namespace.
var ErrMalformed = errors.New("disco: malformed query")

// Info is the answer to a disco#info request (XEP-0030 §3.1): the
// entity's identities and features at Node, and the XEP-0128 extended
// information forms.
type Info struct {
	Node       string
	Identities []xmpp.Identity
	Features   []string
	Forms      []*form.Form
}

// HasFeature reports whether the entity advertises feature v (XEP-0030
// §3.1: the var attribute of a <feature/>).
func (i *Info) HasFeature(v string) bool {
	return i != nil && slices.Contains(i.Features, v)
}

// HasIdentity reports whether the entity has an identity of category and
// typ ("" for any type).
func (i *Info) HasIdentity(category, typ string) bool {
	if i == nil {
		return false
	}
	for _, id := range i.Identities {
		if id.Category == category && (typ == "" || id.Type == typ) {
			return true
		}
	}
	return false
}

// Form returns the extended information form whose FORM_TYPE is ns
// (XEP-0128 §2), or nil.
func (i *Info) Form(ns string) *form.Form {
	if i == nil {
		return nil
	}
	for _, f := range i.Forms {
		if f.FormType() == ns {
			return f
		}
	}
	return nil
}

// ParseInfo reads a {http://jabber.org/protocol/disco#info}query element
// (XEP-0030 §3.1). Identities without a category or type and features
// without a var are skipped, as are data forms that do not parse; unknown
// children are ignored. The order of the element is kept.
func ParseInfo(q *xmlstream.Element) (*Info, error) {
	if q == nil || q.Name.Space != NSInfo || q.Name.Local != "query" {
		return nil, errWrongElement(q, NSInfo)
	}
	info := &Info{Node: q.Get("node")}
	for c := range q.Children() {
		switch {
		case c.Name.Space == NSInfo && c.Name.Local == "identity":
			id := xmpp.Identity{Category: c.Get("category"), Type: c.Get("type"), Name: c.Get("name"), Lang: c.Lang()}
			if id.Category != "" && id.Type != "" {
				info.Identities = append(info.Identities, id)
			}
		case c.Name.Space == NSInfo && c.Name.Local == "feature":
			if v := c.Get("var"); v != "" {
				info.Features = append(info.Features, v)
			}
		case c.Name.Space == form.NS && c.Name.Local == "x":
			if f, err := form.Parse(c); err == nil {
				info.Forms = append(info.Forms, f)
			}
		}
	}
	return info, nil
}

// Element returns the <query xmlns='http://jabber.org/protocol/disco#info'/>
// element for i (XEP-0030 §3.1): identities, then features, then forms,
// each in the order of i.
func (i *Info) Element() *xmlstream.Element {
	q := xmlstream.New(NSInfo, "query")
	if i.Node != "" {
		q.SetAttr("node", i.Node)
	}
	for _, id := range i.Identities {
		c := q.AddChild(NSInfo, "identity").SetAttr("category", id.Category).SetAttr("type", id.Type)
		if id.Name != "" {
			c.SetAttr("name", id.Name)
		}
		if id.Lang != "" {
			c.SetAttrNS(xmlstream.NSXML, "lang", id.Lang)
		}
	}
	for _, f := range i.Features {
		q.AddChild(NSInfo, "feature").SetAttr("var", f)
	}
	for _, f := range i.Forms {
		q.AppendChild(f.Element())
	}
	return q
}

func errWrongElement(q *xmlstream.Element, ns string) error {
	name := "nil"
	if q != nil {
		name = q.Name.String()
	}
	return &wrongElement{got: name, want: "{" + ns + "}query"}
}

type wrongElement struct{ got, want string }

func (e *wrongElement) Error() string { return "disco: element is " + e.got + ", not " + e.want }
func (e *wrongElement) Unwrap() error { return ErrMalformed }
