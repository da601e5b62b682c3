package xmlstream

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// Marshal encodes v with encoding/xml (xml.Marshal, so v may be anything it
// accepts, including a type with a MarshalXML method) and returns the result
// as an Element tree. Namespace prefixes are resolved, so every Name.Space is
// a URI; namespace declarations, comments and processing instructions are
// dropped; adjacent character data is merged.
//
// Marshal and Unmarshal let a payload be a plain Go struct with encoding/xml
// tags (what Net::XMPP's AddNamespace did with its table of xpath accessors)
// while the Session still works on Element trees. In encoding/xml a tag such as
// `xml:"jabber:iq:roster query"` names the namespace URI, which is what
// Name.Space holds. A child field tagged without a namespace (`xml:"item"`)
// matches a child in any namespace when unmarshalling and inherits its
// parent's default namespace when marshalling. Namespace declarations are
// not attributes in this model, so a field tagged `xml:"xmlns,attr"` is not
// filled by Unmarshal; use an XMLName field to see the namespace. xml:lang is
// the attribute {http://www.w3.org/XML/1998/namespace}lang (NSXML, RFC 6120
// §8.1.5): tag the field `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`.
//
// It is an error for v to encode to no element or to more than one (a slice,
// for instance).
func Marshal(v any) (*Element, error) {
	b, err := xml.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var root *Element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil {
				return nil, errors.New("xmlstream: Marshal: value encodes to more than one element")
			}
			if root, err = mxReadElement(d, t); err != nil {
				return nil, err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return nil, errors.New("xmlstream: Marshal: value encodes to character data outside an element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("xmlstream: Marshal: value encodes to no element")
	}
	return root, nil
}

// Unmarshal decodes e into v with encoding/xml's rules for struct tags
// (xml.Decoder.DecodeElement), by feeding e to it as a token stream: e itself
// is the element that v's XMLName, if any, must match.
//
// Text is fed as character data and child elements as nested elements; no
// namespace declarations are fed (see Marshal for how namespaces and
// xml:lang map to struct tags). A `xml:",innerxml"` field stays empty because there are no raw
// bytes; to keep unknown children, use a `xml:",any"` field of type
// []*Element (Element implements xml.Unmarshaler) or of a struct type.
func Unmarshal(e *Element, v any) error {
	if e == nil {
		return errors.New("xmlstream: Unmarshal of a nil *Element")
	}
	return xml.NewTokenDecoder(&mxTokenReader{root: e}).DecodeElement(v, nil)
}

// MarshalXML implements xml.Marshaler: e is written as itself, with its own
// name (start is used only when e has no name), so an Element or []*Element
// field tagged `xml:",any"` carries unknown payloads through a struct
// unchanged.
func (e *Element) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	if e.Name.Local == "" {
		e = &Element{Name: Name{Space: start.Name.Space, Local: start.Name.Local}, Attr: e.Attr, Nodes: e.Nodes}
	}
	// encoding/xml writes xmlns="space" for every start tag with a space
	// but nothing for an empty one, so a no-namespace element needs an
	// explicit xmlns="" when its parent has a default namespace. The parent
	// of the root is unknown here: declare it there too.
	return mxMarshalTree(enc, e, "\x00")
}

// mxMarshalTree writes e and its descendants; parentSpace is the default
// namespace in scope at e's start tag.
func mxMarshalTree(enc *xml.Encoder, e *Element, parentSpace string) error {
	start := xml.StartElement{Name: xml.Name{Space: e.Name.Space, Local: e.Name.Local}}
	start.Attr = make([]xml.Attr, 0, len(e.Attr)+1)
	if e.Name.Space == "" && parentSpace != "" {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "xmlns"}})
	}
	for _, a := range e.Attr {
		if mxIsNSDecl(a.Name.Space, a.Name.Local) {
			continue
		}
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Space: a.Name.Space, Local: a.Name.Local}, Value: a.Value})
	}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for _, n := range e.Nodes {
		var err error
		switch {
		case n.Elem != nil:
			err = mxMarshalTree(enc, n.Elem, e.Name.Space)
		case n.Text != "":
			err = enc.EncodeToken(xml.CharData(n.Text))
		}
		if err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}

// UnmarshalXML implements xml.Unmarshaler: it replaces *e with the element
// that start opens, read from d to its end tag. Namespace declarations are
// dropped (their effect is already in the resolved names).
func (e *Element) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	t, err := mxReadElement(d, start)
	if err != nil {
		return err
	}
	*e = *t
	return nil
}

// mxTokenSource is what mxReadElement needs from an *xml.Decoder.
type mxTokenSource interface {
	Token() (xml.Token, error)
}

// mxReadElement builds the element that start opens from the tokens of d, up
// to and including its end tag. It keeps an explicit stack instead of
// recursing, so deep input costs heap, not goroutine stack.
func mxReadElement(d mxTokenSource, start xml.StartElement) (*Element, error) {
	root := mxFromStart(start)
	stack := []*Element{root}
	for len(stack) > 0 {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			c := mxFromStart(t)
			top.Nodes = append(top.Nodes, Node{Elem: c})
			stack = append(stack, c)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.AddText(string(t))
		}
	}
	return root, nil
}

// mxFromStart converts a resolved start tag, dropping namespace declarations.
func mxFromStart(s xml.StartElement) *Element {
	e := &Element{Name: Name{Space: s.Name.Space, Local: s.Name.Local}}
	for _, a := range s.Attr {
		if mxIsNSDecl(a.Name.Space, a.Name.Local) {
			continue
		}
		e.Attr = append(e.Attr, Attr{Name: Name{Space: a.Name.Space, Local: a.Name.Local}, Value: a.Value})
	}
	return e
}

// mxIsNSDecl reports whether an attribute name, as encoding/xml resolves it,
// is a namespace declaration (xmlns or xmlns:p).
func mxIsNSDecl(space, local string) bool {
	return space == "xmlns" || space == NSXMLNS || (space == "" && local == "xmlns")
}

// mxTokenReader feeds an Element tree to xml.NewTokenDecoder as tokens, in
// document order, then io.EOF.
type mxTokenReader struct {
	root    *Element
	started bool
	stack   []mxFrame
}

type mxFrame struct {
	e    *Element
	next int // index of the next node of e to emit
}

// Token implements xml.TokenReader.
func (r *mxTokenReader) Token() (xml.Token, error) {
	if !r.started {
		r.started = true
		r.stack = append(r.stack, mxFrame{e: r.root})
		return mxStartOf(r.root), nil
	}
	for len(r.stack) > 0 {
		f := &r.stack[len(r.stack)-1]
		if f.next == len(f.e.Nodes) {
			r.stack = r.stack[:len(r.stack)-1]
			return xml.EndElement{Name: xml.Name{Space: f.e.Name.Space, Local: f.e.Name.Local}}, nil
		}
		n := f.e.Nodes[f.next]
		f.next++
		if n.Elem != nil {
			r.stack = append(r.stack, mxFrame{e: n.Elem})
			return mxStartOf(n.Elem), nil
		}
		if n.Text != "" {
			return xml.CharData(n.Text), nil
		}
	}
	return nil, io.EOF
}

// mxStartOf returns e's start tag with namespace URIs as Name.Space.
func mxStartOf(e *Element) xml.StartElement {
	s := xml.StartElement{Name: xml.Name{Space: e.Name.Space, Local: e.Name.Local}}
	if len(e.Attr) > 0 {
		s.Attr = make([]xml.Attr, len(e.Attr))
		for i, a := range e.Attr {
			s.Attr[i] = xml.Attr{Name: xml.Name{Space: a.Name.Space, Local: a.Name.Local}, Value: a.Value}
		}
	}
	return s
}
