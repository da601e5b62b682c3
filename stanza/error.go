package stanza

import (
	"errors"
	"strings"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Error is a stanza error (RFC 6120 §8.3): the <error/> child of a stanza of
// type error. It is a comparable value and implements error.
//
// Its Is method treats blank fields of the target as wildcards, so
//
//	errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound})
//
// matches an item-not-found error of any type and text.
type Error struct {
	// By is the entity that generated the error, when it says so
	// (RFC 6120 §8.3.2).
	By jid.JID
	// Type says what the sender may do about the error (RFC 6120 §8.3.2).
	Type ErrorType
	// Condition is the defined condition (RFC 6120 §8.3.3).
	Condition Condition
	// Redirect is the address carried by a gone or redirect condition
	// (RFC 6120 §8.3.3.5, §8.3.3.14), usually an xmpp: URI.
	Redirect string
	// Text is the optional human-readable description and Lang its
	// xml:lang (RFC 6120 §8.3.2).
	Text, Lang string
	// App is the optional application-specific condition element
	// (RFC 6120 §8.3.2), in a namespace of its own.
	App *xmlstream.Element
	// Code is the numeric code of pre-XMPP Jabber (XEP-0086), kept when a
	// peer sends one and written when set.
	Code string
}

// Error returns "stanza error: <type> <condition>: <text>".
func (e Error) Error() string {
	s := "stanza error: "
	if e.Type != "" {
		s += string(e.Type) + " "
	}
	c := e.Condition
	if c == "" {
		c = UndefinedCondition
	}
	s += string(c)
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// Is reports whether target is an Error (or *Error) whose non-blank fields
// (By, Type, Condition, Redirect, Text, Lang, Code, and App's name) all equal
// e's.
func (e Error) Is(target error) bool {
	var t Error
	switch v := target.(type) {
	case Error:
		t = v
	case *Error:
		if v == nil {
			return false
		}
		t = *v
	default:
		return false
	}
	return (t.By.IsZero() || t.By == e.By) &&
		(t.Type == "" || t.Type == e.Type) &&
		(t.Condition == "" || t.Condition == e.Condition) &&
		(t.Redirect == "" || t.Redirect == e.Redirect) &&
		(t.Text == "" || t.Text == e.Text) &&
		(t.Lang == "" || t.Lang == e.Lang) &&
		(t.Code == "" || t.Code == e.Code) &&
		(t.App == nil || (e.App != nil && t.App.Name == e.App.Name))
}

// Temporary reports whether the error is of type wait, which RFC 6120
// §8.3.2 defines as "retry after waiting (the error is temporary)".
func (e Error) Temporary() bool { return e.Type == Wait }

// ErrorFromElement reads a stanza error (RFC 6120 §8.3.2) from e, which is
// either the <error/> element itself or a stanza holding one as a child. It
// reports false if there is no error element.
//
// Every field is filled from what is there: an unknown condition element in
// the NSStanzas namespace is kept as its Condition; the first element in
// an application namespace (not NSStanzas, not a stanza namespace, not
// empty) becomes App. An error with only a legacy code attribute
// (jabberd 1.4 and jabberd2 components send <error code='404'>Not
// Found</error>) gets the condition and type XEP-0086 maps the code to and
// its character data as Text. An error with neither a condition nor a known
// code is undefined-condition. A missing type is the condition's
// DefaultType.
func ErrorFromElement(e *xmlstream.Element) (Error, bool) {
	if e == nil {
		return Error{}, false
	}
	el := e
	if e.Name.Local != "error" || !IsStanzaNS(e.Name.Space) {
		if el = ownChild(e, "error"); el == nil {
			return Error{}, false
		}
	}
	var out Error
	for i := range el.Attr {
		a := &el.Attr[i]
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "type":
			out.Type = ErrorType(a.Value)
		case "by":
			out.By, _ = jid.Parse(a.Value)
		case "code":
			out.Code = a.Value
		}
	}
	textSeen := false
	for _, n := range el.Nodes {
		c := n.Elem
		if c == nil {
			continue
		}
		switch {
		case c.Name.Space == NSStanzas && c.Name.Local == "text":
			if !textSeen {
				textSeen = true
				if out.Text = c.Text(); out.Text != "" {
					out.Lang = c.Lang()
				}
			}
		case c.Name.Space == NSStanzas:
			if out.Condition == "" {
				out.Condition = Condition(c.Name.Local)
				out.Redirect = strings.TrimSpace(c.Text())
			}
		case isAppNS(c.Name.Space, el.Name.Space):
			if out.App == nil {
				out.App = c
			}
		}
	}
	if out.Condition == "" {
		if cond, typ, ok := FromLegacyCode(out.Code); ok {
			out.Condition = cond
			if out.Type == "" {
				out.Type = typ
			}
		} else {
			out.Condition = UndefinedCondition
		}
		if !textSeen {
			out.Text = strings.TrimSpace(el.Text())
		}
	}
	if out.Type == "" {
		out.Type = out.Condition.DefaultType()
	}
	return out, true
}

// cond returns the condition to write: UndefinedCondition when blank.
func (e *Error) cond() Condition {
	if e.Condition == "" {
		return UndefinedCondition
	}
	return e.Condition
}

// typ returns the type to write: the condition's default when blank.
func (e *Error) typ() ErrorType {
	if e.Type == "" {
		return e.cond().DefaultType()
	}
	return e.Type
}

// Element returns e as an <error/> element in no namespace (so it takes the
// namespace of the stanza it is added to), RFC 6120 §8.3.2. A blank
// Condition is written as undefined-condition and a blank Type as the
// condition's DefaultType.
func (e Error) Element() *xmlstream.Element {
	el := xmlstream.New("", "error")
	el.SetAttr("type", string(e.typ()))
	if !e.By.IsZero() {
		el.SetAttr("by", e.By.String())
	}
	if e.Code != "" {
		el.SetAttr("code", e.Code)
	}
	el.AddChild(NSStanzas, string(e.cond())).AddText(e.Redirect)
	if e.Text != "" {
		t := el.AddChild(NSStanzas, "text")
		if e.Lang != "" {
			t.SetAttrNS(xmlstream.NSXML, "lang", e.Lang)
		}
		t.AddText(e.Text)
	}
	el.AppendChild(e.App)
	return el
}

// AppendXML appends e as an <error/> element with no xmlns (RFC 6120
// §8.3.2), as Element builds it. It does not allocate when dst has room.
func (e Error) AppendXML(dst []byte) []byte {
	dst = append(dst, "<error"...)
	dst = appendAttr(dst, "type", string(e.typ()))
	if !e.By.IsZero() {
		dst = appendAttr(dst, "by", e.By.String())
	}
	if e.Code != "" {
		dst = appendAttr(dst, "code", e.Code)
	}
	dst = append(dst, '>')
	dst = appendCondition(dst, string(e.cond()), NSStanzas, e.Redirect)
	dst = appendText(dst, NSStanzas, e.Text, e.Lang)
	if e.App != nil {
		dst = xmlstream.AppendElement(dst, e.App, "")
	}
	return append(dst, "</error>"...)
}

// appendCondition appends <cond xmlns='ns'/>, or with text as content.
func appendCondition(dst []byte, cond, ns, text string) []byte {
	dst = append(dst, '<')
	dst = append(dst, cond...)
	dst = appendAttr(dst, "xmlns", ns)
	if text == "" {
		return append(dst, "/>"...)
	}
	dst = append(dst, '>')
	dst = xmlstream.AppendEscapedText(dst, text)
	dst = append(dst, "</"...)
	dst = append(dst, cond...)
	return append(dst, '>')
}

// appendText appends <text xmlns='ns' xml:lang='lang'>text</text> unless
// text is empty.
func appendText(dst []byte, ns, text, lang string) []byte {
	if text == "" {
		return dst
	}
	dst = append(dst, "<text"...)
	dst = appendAttr(dst, "xmlns", ns)
	if lang != "" {
		dst = appendAttr(dst, "xml:lang", lang)
	}
	dst = append(dst, '>')
	dst = xmlstream.AppendEscapedText(dst, text)
	return append(dst, "</text>"...)
}

// Temporary reports whether err is, or wraps, a condition that may go away
// by itself: a stanza Error of type wait (RFC 6120 §8.3.2) or a StreamError
// whose StreamError.Temporary method says so.
func Temporary(err error) bool {
	var se Error
	if errors.As(err, &se) {
		return se.Temporary()
	}
	var sp *Error
	if errors.As(err, &sp) && sp != nil {
		return sp.Temporary()
	}
	var st StreamError
	if errors.As(err, &st) {
		return st.Temporary()
	}
	var stp *StreamError
	if errors.As(err, &stp) && stp != nil {
		return stp.Temporary()
	}
	return false
}

// isAppNS reports whether an element in namespace ns, a child of an error
// element in namespace parent, can be an application-specific condition
// (RFC 6120 §8.3.2, §4.9.4): it must be in a namespace of its own.
func isAppNS(ns, parent string) bool {
	return ns != "" && ns != parent && !IsStanzaNS(ns) && ns != NSStanzas && ns != NSStreams
}
