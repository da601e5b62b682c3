package stanza

import (
	"strings"

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

// parseHeader reads the common attributes of the stanza e. Addresses are
// parsed with jid.Parse, which does not allocate for the canonical ASCII
// addresses seen on the wire. An empty to or from attribute counts as absent.
// A malformed address is reported as a jid-malformed Error (RFC 6120
// §8.3.3.8); the other fields are filled in anyway so that the caller can
// still answer the stanza.
func parseHeader(e *xmlstream.Element) (header, error) {
	var h header
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
					h.To = j
				}
			case "from":
				if a.Value != "" {
					j, perr := jid.Parse(a.Value)
					if perr != nil && err == nil {
						err = malformed("from", perr)
					}
					h.From = j
				}
			case "id":
				h.ID = a.Value
			case "type":
				h.Type = a.Value
			}
		case xmlstream.NSXML:
			if a.Name.Local == "lang" {
				h.Lang = a.Value
			}
		}
	}
	return h, err
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
	add := func(space, local, v string) {
		if v != "" {
			dst = append(dst, xmlstream.Attr{Name: xmlstream.Name{Space: space, Local: local}, Value: v})
		}
	}
	add("", "to", h.To.String())
	add("", "from", h.From.String())
	add("", "id", h.ID)
	add("", "type", h.Type)
	add(xmlstream.NSXML, "lang", h.Lang)
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
	out := &xmlstream.Element{Name: xmlstream.Name{Local: local}}
	var buf [8]xmlstream.Attr
	attrs := appendHeaderAttrs(buf[:0], h)
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
		out.Attr = append([]xmlstream.Attr(nil), attrs...)
	}
	return out
}

// own reports whether c is a child element of el in el's own namespace (the
// stanza namespace for body, show, error and the like) named local.
func own(el, c *xmlstream.Element, local string) bool {
	return c != nil && c.Name.Local == local && c.Name.Space == el.Name.Space
}

// ownChild returns the first child of el named local in el's namespace.
func ownChild(el *xmlstream.Element, local string) *xmlstream.Element {
	if el == nil {
		return nil
	}
	for _, n := range el.Nodes {
		if own(el, n.Elem, local) {
			return n.Elem
		}
	}
	return nil
}

// pickLang returns the text of the child of el named local that suits lang
// best (RFC 6121 §5.2.3, §4.7.2.2): the one whose xml:lang, inherited from
// the stanza's lang when absent, equals lang; else the one without xml:lang
// or in the stanza's language; else the first.
func pickLang(el *xmlstream.Element, local, lang, stanzaLang string) (string, bool) {
	if el == nil {
		return "", false
	}
	var def, first *xmlstream.Element
	for _, n := range el.Nodes {
		c := n.Elem
		if !own(el, c, local) {
			continue
		}
		if first == nil {
			first = c
		}
		l := c.Lang()
		isDef := l == "" || (stanzaLang != "" && strings.EqualFold(l, stanzaLang))
		if l == "" {
			l = stanzaLang
		}
		if lang != "" && strings.EqualFold(l, lang) {
			return c.Text(), true
		}
		if isDef && def == nil {
			def = c
		}
	}
	if def != nil {
		return def.Text(), true
	}
	if first != nil {
		return first.Text(), true
	}
	return "", false
}

// langs iterates over the children of el named local as (language, text)
// pairs, the language inherited from the stanza when a child has none.
func langs(el *xmlstream.Element, local, stanzaLang string) func(yield func(string, string) bool) {
	return func(yield func(string, string) bool) {
		if el == nil {
			return
		}
		for _, n := range el.Nodes {
			c := n.Elem
			if !own(el, c, local) {
				continue
			}
			l := c.Lang()
			if l == "" {
				l = stanzaLang
			}
			if !yield(l, c.Text()) {
				return
			}
		}
	}
}

// setLang replaces the text of the child of *elp named local whose own
// xml:lang is lang, or appends such a child, creating *elp (named root) if
// it is nil.
func setLang(elp **xmlstream.Element, root, local, lang, text string) {
	el := ensure(elp, root)
	for _, n := range el.Nodes {
		c := n.Elem
		if own(el, c, local) && c.Lang() == lang {
			c.Nodes = nil
			c.AddText(text)
			return
		}
	}
	addLang(el, local, lang, text)
}

// addLang appends a child named local in el's namespace with xml:lang lang
// (none if empty) and text.
func addLang(el *xmlstream.Element, local, lang, text string) *xmlstream.Element {
	c := el.AddChild("", local)
	if lang != "" {
		c.SetAttrNS(xmlstream.NSXML, "lang", lang)
	}
	c.AddText(text)
	return c
}

// ensure returns *elp, first setting it to a new element named local in no
// namespace if it is nil.
func ensure(elp **xmlstream.Element, local string) *xmlstream.Element {
	if *elp == nil {
		*elp = xmlstream.New("", local)
	}
	return *elp
}

// removeOwn deletes the children of el named local in el's namespace.
func removeOwn(el *xmlstream.Element, local string) {
	if el != nil {
		el.RemoveChildren(func(c *xmlstream.Element) bool { return own(el, c, local) })
	}
}

// payloads iterates over the child elements of el except those in el's own
// namespace whose local names are listed in skip.
func payloads(el *xmlstream.Element, skip ...string) func(yield func(*xmlstream.Element) bool) {
	return func(yield func(*xmlstream.Element) bool) {
		if el == nil {
			return
		}
	next:
		for _, n := range el.Nodes {
			c := n.Elem
			if c == nil {
				continue
			}
			if c.Name.Space == el.Name.Space {
				for _, s := range skip {
					if c.Name.Local == s {
						continue next
					}
				}
			}
			if !yield(c) {
				return
			}
		}
	}
}
