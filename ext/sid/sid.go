package sid

import (
	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of <stanza-id/> and <origin-id/> and the disco
// feature (XEP-0359 §3, §7).
const NS = "urn:xmpp:sid:0"

// ID is a <stanza-id/> (XEP-0359 §3.1): an id unique within the scope of
// the entity By that assigned it.
type ID struct {
	ID string
	By jid.JID
}

// StanzaIDs returns every well-formed <stanza-id/> of e, a stanza (a
// message or the element of one). Elements whose id or by is missing or
// whose by is malformed are skipped.
func StanzaIDs(e *xmlstream.Element) []ID {
	if e == nil {
		return nil
	}
	var out []ID
	for c := range e.Children() {
		if c.Name.Space != NS || c.Name.Local != "stanza-id" {
			continue
		}
		by, err := jid.Parse(c.Get("by"))
		if err != nil || by.IsZero() || c.Get("id") == "" {
			continue
		}
		out = append(out, ID{ID: c.Get("id"), By: by})
	}
	return out
}

// StanzaID returns the id that by assigned to m (XEP-0359 §3.1) and
// whether there is one. Ids assigned by anyone else are ignored.
func StanzaID(m stanza.Message, by jid.JID) (string, bool) {
	for _, id := range StanzaIDs(m.El) {
		if id.By.Equal(by) {
			return id.ID, true
		}
	}
	return "", false
}

// OriginID returns the <origin-id/> of m, or "" (XEP-0359 §3.2).
func OriginID(m stanza.Message) string {
	for p := range m.Payloads() {
		if p.Name.Space == NS && p.Name.Local == "origin-id" {
			return p.Get("id")
		}
	}
	return ""
}

// SetOriginID gives m an <origin-id/> (XEP-0359 §3.2) with a fresh,
// unguessable id, replacing any it had, and returns the id. When m has no
// id yet it gets the same value, as XEP-0359 §3.2 suggests.
func SetOriginID(m *stanza.Message) string {
	id := xmpp.NewID()
	if m.El != nil {
		m.El.RemoveChildren(func(e *xmlstream.Element) bool { return e.Name.Space == NS && e.Name.Local == "origin-id" })
	}
	m.AddPayload(xmlstream.New(NS, "origin-id").SetAttr("id", id))
	if m.ID == "" {
		m.ID = id
	}
	return id
}

// Element returns the <stanza-id/> element for id.
func (id ID) Element() *xmlstream.Element {
	return xmlstream.New(NS, "stanza-id").SetAttr("id", id.ID).SetAttr("by", id.By.String())
}

// Extension advertises urn:xmpp:sid:0 (XEP-0359 §7).
type Extension struct{}

// New returns the extension.
func New() Extension { return Extension{} }

// Register implements xmpp.Extension.
func (Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NS)
	return nil
}
