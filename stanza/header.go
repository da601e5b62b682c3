package stanza

import (
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// header holds the attributes every stanza shares (RFC 6120 §8.1): to, from,
// id, type and xml:lang.
type header struct {
	To, From jid.JID
	ID, Type string
	Lang     string
}

// parseHeader reads the common attributes of the stanza e into the fields
// the pointers name, which the caller's typed stanza holds (so that nothing
// is copied twice). Addresses are parsed with jid.Parse, which does not
// allocate for the canonical ASCII addresses seen on the wire. An empty to
// or from attribute counts as absent. A malformed address is reported as a
// jid-malformed Error (RFC 6120 §8.3.3.8); the other fields are filled in
// anyway so that the caller can still answer the stanza.
func parseHeader(e *xmlstream.Element, to, from *jid.JID, id, typ, lang *string) error {
	var err error
	for i := range e.Attr {
		a := &e.Attr[i]
		switch a.Name.Space {
		case "":
			switch a.Name.Local {
			case "to":
				if a.Value != "" {
					j, perr := jid.Parse(a.Value)
					if perr != nil && err == nil {
						err = malformed("to", perr)
					}
					*to = j
				}
			case "from":
				if a.Value != "" {
					j, perr := jid.Parse(a.Value)
					if perr != nil && err == nil {
						err = malformed("from", perr)
					}
					*from = j
				}
			case "id":
				*id = a.Value
			case "type":
				*typ = a.Value
			}
		case xmlstream.NSXML:
			if a.Name.Local == "lang" {
				*lang = a.Value
			}
		}
	}
	return err
}

// malformed returns the jid-malformed error for a bad address attribute.
func malformed(attr string, err error) error {
	return Error{Type: Modify, Condition: JIDMalformed, Text: "invalid '" + attr + "' address: " + err.Error()}
}

// badRequest returns a bad-request error (RFC 6120 §8.3.3.1) with text.
func badRequest(text string) error {
	return Error{Type: Modify, Condition: BadRequest, Text: text}
}

// isHeaderAttr reports whether a is one of the attributes the typed header
// fields replace when a stanza is encoded.
func isHeaderAttr(a *xmlstream.Attr) bool {
	switch a.Name.Space {
	case "":
		switch a.Name.Local {
		case "to", "from", "id", "type":
			return true
		}
	case xmlstream.NSXML:
		return a.Name.Local == "lang"
	}
	return false
}

// appendStanza encodes a stanza named local with the given header, the
// attributes of el other than the header ones, and el's children. The root
// gets no xmlns, so it takes the stream's default namespace; children in
// el's own namespace get none either and so follow the root, and children
// in no namespace get an empty xmlns.
func appendStanza(dst []byte, local string, h *header, el *xmlstream.Element) []byte {
	var buf [8]xmlstream.Attr // on the stack unless el has many extra attributes
	root := xmlstream.Element{Name: xmlstream.Name{Local: local}, Attr: appendHeaderAttrs(buf[:0], h)}
	if el != nil {
		if IsStanzaNS(el.Name.Space) {
			root.Name.Space = el.Name.Space
		}
		for i := range el.Attr {
			if !isHeaderAttr(&el.Attr[i]) {
				root.Attr = append(root.Attr, el.Attr[i])
			}
		}
		root.Nodes = el.Nodes
	}
	return xmlstream.AppendElement(dst, &root, root.Name.Space)
}

// appendHeaderAttrs appends the attributes for the set fields of h.
func appendHeaderAttrs(dst []xmlstream.Attr, h *header) []xmlstream.Attr {
	dst = addAttr(dst, "", "to", h.To.String())
	dst = addAttr(dst, "", "from", h.From.String())
	dst = addAttr(dst, "", "id", h.ID)
	dst = addAttr(dst, "", "type", h.Type)
	return addAttr(dst, xmlstream.NSXML, "lang", h.Lang)
}

// addAttr appends the attribute {space}local=v unless v is empty. It fills
// the new entry in place: an Attr built aside and copied in costs more than
// the encoding of a short value.
func addAttr(dst []xmlstream.Attr, space, local, v string) []xmlstream.Attr {
	if v == "" {
		return dst
	}
	dst = append(dst, xmlstream.Attr{})
	a := &dst[len(dst)-1]
	a.Name.Space, a.Name.Local, a.Value = space, local, v
	return dst
}

// appendAttr appends ` name='escaped value'`.
func appendAttr(dst []byte, name, value string) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, "='"...)
	dst = xmlstream.AppendEscapedAttr(dst, value)
	return append(dst, '\'')
}

// stanzaElement builds a fresh top-level element named local from a header
// and el's non-header attributes and children (shared, not copied). The root
// is in el's namespace when that is a stanza namespace, so that it and the
// children decoded with it stay in one namespace; otherwise (a built stanza)
// it is in no namespace and takes the stream's default when encoded.
func stanzaElement(local string, h *header, el *xmlstream.Element) *xmlstream.Element {
	b := &builtStanza{el: xmlstream.Element{Name: xmlstream.Name{Local: local}}}
	out := &b.el
	attrs := appendHeaderAttrs(b.attr[:0], h)
	if el != nil {
		if IsStanzaNS(el.Name.Space) {
			out.Name.Space = el.Name.Space
		}
		for i := range el.Attr {
			if !isHeaderAttr(&el.Attr[i]) {
				attrs = append(attrs, el.Attr[i])
			}
		}
		out.Nodes = el.Nodes[:len(el.Nodes):len(el.Nodes)]
	}
	if len(attrs) > 0 {
		out.Attr = attrs
	}
	return out
}

// builtStanza is an element made by stanzaElement with room for the usual
// header attributes (to, from, id, type), allocated in one piece.
type builtStanza struct {
	el   xmlstream.Element
	attr [4]xmlstream.Attr
}
