package form

import (
	"errors"
	"strings"
)

// Reasons a value or a form is refused by Set and Submit. Each *FieldError
// wraps one of them, so errors.Is(err, form.ErrNotBoolean) works on the error
// of Set and on the *ValidationError of Submit alike.
var (
	// ErrUnknownField: the form has no field with that var.
	ErrUnknownField = errors.New("no such field")
	// ErrFixedField: a fixed field is description, not data (XEP-0004 §3.3).
	ErrFixedField = errors.New("fixed field cannot take a value")
	// ErrTooManyValues: more than one value for a single-valued field
	// (XEP-0004 §3.2: only list-multi, jid-multi, text-multi and hidden may
	// have several).
	ErrTooManyValues = errors.New("field takes a single value")
	// ErrNotBoolean: a boolean value other than "0", "1", "false", "true"
	// (XEP-0004 §3.3).
	ErrNotBoolean = errors.New(`boolean value must be "0", "1", "false" or "true"`)
	// ErrNotJID: a jid-single or jid-multi value that is not a valid JID
	// (XEP-0004 §3.3, RFC 7622). The *jid.Error is wrapped too.
	ErrNotJID = errors.New("not a valid JID")
	// ErrNotOption: a list value that is not one of the field's options
	// (XEP-0004 §3.3: the submitter MUST NOT insert new options).
	ErrNotOption = errors.New("value is not one of the field's options")
	// ErrNotSubmittable: Submit called on a form of type result or cancel.
	ErrNotSubmittable = errors.New("form: only a form of type form can be submitted")
)

// FieldError is a value refused for one field.
type FieldError struct {
	// Var is the field's var.
	Var string
	// Value is the offending value ("" for ErrUnknownField, ErrFixedField
	// and ErrTooManyValues).
	Value string
	// Err is one of the Err* reasons above, possibly wrapping a cause (the
	// *jid.Error behind ErrNotJID).
	Err error
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	s := "form: field " + quote(e.Var)
	if e.Value != "" {
		s += " value " + quote(e.Value)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists everything that keeps a form from being submitted
// (XEP-0004 §3.2, §3.3): every required field left empty and every invalid
// value, so that a user interface can point at all of them at once.
type ValidationError struct {
	// Missing holds the vars of required fields without a non-empty value,
	// in form order.
	Missing []string
	// Invalid holds one error per field whose values break its type's rules,
	// in form order.
	Invalid []*FieldError
}

// Error implements the error interface.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("form: invalid submission")
	if len(e.Missing) > 0 {
		b.WriteString(": missing required ")
		for i, v := range e.Missing {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(v))
		}
	}
	for _, fe := range e.Invalid {
		b.WriteString("; ")
		b.WriteString(strings.TrimPrefix(fe.Error(), "form: "))
	}
	return b.String()
}

// Unwrap returns the field errors, so that errors.Is and errors.As look into
// them.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Invalid))
	for i, fe := range e.Invalid {
		out[i] = fe
	}
	return out
}
