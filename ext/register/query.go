package register

import (
	"errors"
	"slices"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of in-band registration.
const (
	// NS is the namespace of the <query/> payload (XEP-0077 §13.1).
	NS = "jabber:iq:register"
	// NSFeature is the namespace of the <register/> stream feature a server
	// may advertise (XEP-0077 §8).
	NSFeature = "http://jabber.org/features/iq-register"
	// NSOOB is the namespace of the out-of-band data a host uses to point
	// at a web registration page (XEP-0077 §5.1, XEP-0066).
	NSOOB = "jabber:x:oob"
)

// FORM_TYPE values of the registration data forms (XEP-0077 §13.4,
// XEP-0068).
const (
	FormTypeRegister       = "jabber:iq:register"
	FormTypeCancel         = "jabber:iq:register:cancel"
	FormTypeChangePassword = "jabber:iq:register:changepassword"
)

// standardFields are the field elements of the jabber:iq:register schema in
// schema order (XEP-0077 §14.1).
var standardFields = []string{
	"username", "nick", "password", "name", "first", "last", "email", "address",
	"city", "state", "zip", "phone", "url", "date", "misc", "text", "key",
}

// Standard reports whether name is one of the registration fields of the
// jabber:iq:register schema (XEP-0077 §14.1): username, nick, password,
// name, first, last, email, address, city, state, zip, phone, url, date,
// misc, text and the obsolete key (§7).
func Standard(name string) bool { return slices.Contains(standardFields, name) }

// ErrMalformed is wrapped by the errors of ParseQuery and Request.
var ErrMalformed = errors.New("register: malformed jabber:iq:register query")

// Field is one legacy registration field (XEP-0077 §3.1): the element name
// and its character data, empty in a blank form.
type Field struct {
	Name  string
	Value string
}

// Fields is what a host answers to a registration request (XEP-0077 §3.1),
// or what a <query/> carries in general.
type Fields struct {
	// Instructions are the host's natural-language instructions.
	Instructions string
	// Registered reports a <registered/> element: the requester already
	// has an account and Legacy holds what is on file (§3.1).
	Registered bool
	// Remove reports a <remove/> element, the cancellation request of §3.2.
	Remove bool
	// Legacy holds the legacy fields in document order (§3.1, §14.1). An
	// element of the namespace that the schema does not define (some old
	// hosts add their own) is listed too; Standard tells them apart.
	Legacy []Field
	// Form is the XEP-0004 data form, when the host sent one. It takes
	// precedence over Legacy (§4, §6): submit it instead, never both.
	Form *form.Form
	// OOB is the URL of a web registration page (§5.1, XEP-0066), "" when
	// absent.
	OOB string
}

// Get returns the value of the legacy field name and whether the host sent
// that field.
func (q *Fields) Get(name string) (string, bool) {
	for _, f := range q.Legacy {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// ParseQuery reads a <query xmlns='jabber:iq:register'/> element
// (XEP-0077 §3, §14.1). Elements of other namespaces than jabber:iq:register,
// jabber:x:data and jabber:x:oob are skipped. A data form that does not parse
// makes the whole query an error (it takes precedence, §6, so a client
// cannot go on without it).
func ParseQuery(e *xmlstream.Element) (*Fields, error) {
	if e == nil || e.Name.Space != NS || e.Name.Local != "query" {
		return nil, ErrMalformed
	}
	q := &Fields{}
	for c := range e.Children() {
		switch c.Name.Space {
		case NS:
			switch c.Name.Local {
			case "instructions":
				q.Instructions = c.Text()
			case "registered":
				q.Registered = true
			case "remove":
				q.Remove = true
			default:
				q.Legacy = append(q.Legacy, Field{Name: c.Name.Local, Value: c.Text()})
			}
		case form.NS:
			if c.Name.Local != "x" || q.Form != nil {
				continue
			}
			f, err := form.Parse(c)
			if err != nil {
				return nil, errors.Join(ErrMalformed, err)
			}
			q.Form = f
		case NSOOB:
			if c.Name.Local == "x" && q.OOB == "" {
				q.OOB = c.ChildText(NSOOB, "url")
			}
		}
	}
	return q, nil
}

// Element returns q as a <query xmlns='jabber:iq:register'/> element in the
// order of the schema (XEP-0077 §14.1): registered, instructions, the legacy
// fields, then remove, the data form and the out-of-band URL. Hosts and test
// peers use it to answer a request; ParseQuery reads it back unchanged.
func (q *Fields) Element() *xmlstream.Element {
	e := xmlstream.New(NS, "query")
	if q.Registered {
		e.AddChild(NS, "registered")
	}
	if q.Instructions != "" {
		e.AddChild(NS, "instructions").AddText(q.Instructions)
	}
	for _, f := range q.Legacy {
		e.AddChild(NS, f.Name).AddText(f.Value)
	}
	if q.Remove {
		e.AddChild(NS, "remove")
	}
	if q.Form != nil {
		e.AppendChild(q.Form.Element())
	}
	if q.OOB != "" {
		x := xmlstream.New(NSOOB, "x")
		x.AddChild(NSOOB, "url").AddText(q.OOB)
		e.AppendChild(x)
	}
	return e
}
