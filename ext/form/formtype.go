package form

// FormType returns the value of the form's FORM_TYPE field, the namespace
// that gives its field names their meaning (XEP-0068 §3.1), or "" when there
// is none.
//
// Only a hidden FORM_TYPE counts (XEP-0068 §4.3, §5). In a submission or a
// result a FORM_TYPE without a type attribute counts too, since submitters
// may drop field types (XEP-0004 §3.2; XEP-0068 §4.4 shows such a
// submission); in a form of type form an untyped field is text-single and
// does not.
func (f *Form) FormType() string {
	fd := f.Field(VarFormType)
	if fd == nil {
		return ""
	}
	switch {
	case fd.Type == Hidden:
	case fd.Type == "" && f.Type != TypeForm:
	default:
		return ""
	}
	return fd.Value()
}

// SetFormType sets the hidden FORM_TYPE field to ns (XEP-0068 §3.1),
// adding it as the first field when the form has none.
func (f *Form) SetFormType(ns string) {
	if fd := f.Field(VarFormType); fd != nil {
		fd.Type = Hidden
		fd.Values = []string{ns}
		return
	}
	f.Fields = append([]Field{{Var: VarFormType, Type: Hidden, Values: []string{ns}}}, f.Fields...)
}
