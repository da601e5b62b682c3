package form

import (
	"errors"

	"parley.dev/xmpp/xmlstream"
)

// ErrMalformed is wrapped by every error Parse returns.
var ErrMalformed = errors.New("form: malformed data form")

// ParseError says why Parse rejected an element. It wraps ErrMalformed.
type ParseError struct {
	// Reason is a short explanation.
	Reason string
}

// Error implements the error interface.
func (e *ParseError) Error() string { return "form: malformed data form: " + e.Reason }

// Unwrap returns ErrMalformed.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// Parse reads a data form from an <x xmlns='jabber:x:data'/> element
// (XEP-0004 §3).
//
// It rejects an element that is not {jabber:x:data}x or whose type is not
// one of the four of §3.1 (the attribute is required). Inside the form it is
// lenient, as a client must be with real servers: unknown children and
// extension elements are skipped, an absent field type is kept as "", an
// <option/> without a <value/> child takes its own text as the value, and a
// repeated <title/> keeps the first. Text is kept exactly as received.
func Parse(e *xmlstream.Element) (*Form, error) {
	if e == nil {
		return nil, &ParseError{Reason: "nil element"}
	}
	if e.Name.Space != NS || e.Name.Local != "x" {
		return nil, &ParseError{Reason: "element is " + e.Name.String() + ", not {" + NS + "}x"}
	}
	f := &Form{Type: e.Get("type")}
	switch f.Type {
	case TypeForm, TypeSubmit, TypeCancel, TypeResult:
	case "":
		return nil, &ParseError{Reason: "missing type attribute"}
	default:
		return nil, &ParseError{Reason: "unknown form type " + quote(f.Type)}
	}
	titled := false
	for c := range e.Children() {
		if c.Name.Space != NS {
			continue
		}
		switch c.Name.Local {
		case "title":
			if !titled {
				f.Title = c.Text()
				titled = true
			}
		case "instructions":
			f.Instructions = append(f.Instructions, c.Text())
		case "field":
			f.Fields = append(f.Fields, parseField(c))
		case "reported":
			// §3.4 allows one <reported/>; a second one replaces nothing.
			if f.Reported == nil {
				f.Reported = parseFields(c)
			}
		case "item":
			f.Items = append(f.Items, parseFields(c))
		}
	}
	return f, nil
}

// parseFields returns the <field/> children of a <reported/> or <item/>.
func parseFields(e *xmlstream.Element) []Field {
	var fs []Field
	for c := range e.Children() {
		if c.Name.Space == NS && c.Name.Local == "field" {
			fs = append(fs, parseField(c))
		}
	}
	return fs
}

func parseField(e *xmlstream.Element) Field {
	fd := Field{Var: e.Get("var"), Type: e.Get("type"), Label: e.Get("label")}
	described := false
	for c := range e.Children() {
		if c.Name.Space != NS {
			continue
		}
		switch c.Name.Local {
		case "desc":
			if !described {
				fd.Desc = c.Text()
				described = true
			}
		case "required":
			fd.Required = true
		case "value":
			fd.Values = append(fd.Values, c.Text())
		case "option":
			o := Option{Label: c.Get("label")}
			if v := c.Child(NS, "value"); v != nil {
				o.Value = v.Text()
			} else {
				o.Value = c.Text()
			}
			fd.Options = append(fd.Options, o)
		}
	}
	return fd
}

// quote returns s in double quotes, cut to a readable length, for messages.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + s + `"`
}
