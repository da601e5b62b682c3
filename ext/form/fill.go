package form

import (
	"fmt"
	"slices"
	"strings"

	"parley.dev/xmpp/jid"
)

// Set replaces the values of the field named v after checking them against
// the field's type (XEP-0004 §3.2, §3.3):
//
//   - only list-multi, jid-multi, text-multi and hidden take several values;
//   - a boolean value is "0", "1", "false" or "true";
//   - a jid-single or jid-multi value must pass jid.Parse and is stored in
//     its canonical form; duplicate JIDs in a jid-multi are dropped (§3.3);
//   - a list-single or list-multi value must be one of the field's options
//     when it has any;
//   - text-multi input is split at line breaks, one value per line (§3.3);
//   - a fixed field takes no value.
//
// Set with no values clears the field. On error the field is unchanged and
// the error is a *FieldError wrapping ErrUnknownField, ErrFixedField,
// ErrTooManyValues, ErrNotBoolean, ErrNotJID or ErrNotOption.
func (f *Form) Set(v string, values ...string) error {
	fd := f.Field(v)
	if fd == nil {
		return &FieldError{Var: v, Err: ErrUnknownField}
	}
	if fd.Kind() == Fixed {
		return &FieldError{Var: v, Err: ErrFixedField}
	}
	norm, err := check(fd, values)
	if err != nil {
		return err
	}
	fd.Values = norm
	return nil
}

// Submit returns the answer to f as a new form of type submit
// (XEP-0004 §3.1): every field with a var and at least one value, with its
// var, type and values (labels, descriptions and options are the processing
// entity's business and are left out). Fixed fields are not submitted;
// hidden fields are returned as received (§3.3). A field without values is
// left out, which servers read as "not given" or "unchanged".
//
// Submit checks every field as Set would, including values the form came
// with, and reports all problems in one *ValidationError: required fields
// with no non-empty value in Missing (§3.2; an empty <value/> does not count,
// as XEP-0077 §3.1 says of <password/>) and refused values in Invalid. f
// itself is not modified. It refuses forms of type result or cancel with
// ErrNotSubmittable.
func (f *Form) Submit() (*Form, error) {
	switch f.Type {
	case TypeForm, TypeSubmit, "":
	default:
		return nil, fmt.Errorf("%w (type %s)", ErrNotSubmittable, quote(f.Type))
	}
	out := &Form{Type: TypeSubmit}
	var verr ValidationError
	for i := range f.Fields {
		fd := &f.Fields[i]
		if fd.Kind() == Fixed || fd.Var == "" {
			continue
		}
		norm, err := check(fd, fd.Values)
		if err != nil {
			verr.Invalid = append(verr.Invalid, err)
			continue
		}
		if fd.Required && !hasValue(norm) {
			verr.Missing = append(verr.Missing, fd.Var)
			continue
		}
		if len(norm) == 0 {
			continue
		}
		out.Fields = append(out.Fields, Field{Var: fd.Var, Type: fd.Type, Values: norm})
	}
	if len(verr.Missing) > 0 || len(verr.Invalid) > 0 {
		return nil, &verr
	}
	return out, nil
}

// Cancel returns the form of type cancel that declines to fill f
// (XEP-0004 §3.1). It carries no fields (§3.2).
func (f *Form) Cancel() *Form {
	return &Form{Type: TypeCancel}
}

// hasValue reports whether vals holds a non-empty value.
func hasValue(vals []string) bool {
	for _, v := range vals {
		if v != "" {
			return true
		}
	}
	return false
}

// check validates values for fd and returns them normalised in a new slice
// (nil for no values).
func check(fd *Field, values []string) ([]string, *FieldError) {
	if len(values) == 0 {
		return nil, nil
	}
	kind := fd.Kind()
	var out []string
	if kind == TextMulti {
		for _, v := range values {
			out = append(out, splitLines(v)...)
		}
	} else {
		out = slices.Clone(values)
	}
	if len(out) > 1 && !fd.Multi() {
		return nil, &FieldError{Var: fd.Var, Err: ErrTooManyValues}
	}
	switch kind {
	case Boolean:
		for _, v := range out {
			switch v {
			case "0", "1", "false", "true":
			default:
				return nil, &FieldError{Var: fd.Var, Value: v, Err: ErrNotBoolean}
			}
		}
	case JIDSingle, JIDMulti:
		seen := out[:0]
		for _, v := range out {
			j, err := jid.Parse(v)
			if err != nil {
				return nil, &FieldError{Var: fd.Var, Value: v, Err: fmt.Errorf("%w: %w", ErrNotJID, err)}
			}
			if s := j.String(); !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
		}
		out = seen
	case ListSingle, ListMulti:
		if len(fd.Options) == 0 {
			break
		}
		for _, v := range out {
			if !slices.ContainsFunc(fd.Options, func(o Option) bool { return o.Value == v }) {
				return nil, &FieldError{Var: fd.Var, Value: v, Err: ErrNotOption}
			}
		}
	}
	return out, nil
}

// splitLines splits s at CRLF, LF or CR.
func splitLines(s string) []string {
	if !strings.ContainsAny(s, "\r\n") {
		return []string{s}
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}
