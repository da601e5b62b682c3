package stanza

import (
	"strings"

	"parley.dev/xmpp/xmlstream"
)

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

// textChild is a text-only child element (body, subject, status) with room
// for its xml:lang and its text, allocated in one piece.
type textChild struct {
	el   xmlstream.Element
	attr [1]xmlstream.Attr
	node [1]xmlstream.Node
}

// addLang appends a child named local in el's namespace with xml:lang lang
// (none if empty) and text.
func addLang(el *xmlstream.Element, local, lang, text string) *xmlstream.Element {
	c := &textChild{el: xmlstream.Element{Name: xmlstream.Name{Space: el.Name.Space, Local: local}}}
	if lang != "" {
		c.attr[0] = xmlstream.Attr{Name: xmlstream.Name{Space: xmlstream.NSXML, Local: "lang"}, Value: lang}
		c.el.Attr = c.attr[:1]
	}
	if text != "" {
		c.node[0].Text = text
		c.el.Nodes = c.node[:1]
	}
	el.Nodes = append(el.Nodes, xmlstream.Node{Elem: &c.el})
	return &c.el
}

// builtRoot is the root element of a built stanza with room for its first
// children (a body and a payload, say), allocated in one piece.
type builtRoot struct {
	el    xmlstream.Element
	nodes [2]xmlstream.Node
}

// ensure returns *elp, first setting it to a new element named local in no
// namespace if it is nil.
func ensure(elp **xmlstream.Element, local string) *xmlstream.Element {
	if *elp == nil {
		r := &builtRoot{el: xmlstream.Element{Name: xmlstream.Name{Local: local}}}
		r.el.Nodes = r.nodes[:0]
		*elp = &r.el
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
