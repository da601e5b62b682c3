package form

// NS is the namespace of data forms (XEP-0004 §3).
const NS = "jabber:x:data"

// Form types, the values of the type attribute of <x/> (XEP-0004 §3.1).
const (
	// TypeForm is an empty or pre-filled form the processing entity asks the
	// submitting entity to complete.
	TypeForm = "form"
	// TypeSubmit carries the data the submitting entity filled in.
	TypeSubmit = "submit"
	// TypeCancel says the submitting entity gave up; it carries no fields.
	TypeCancel = "cancel"
	// TypeResult carries results (e.g. of a search) or a generic data set.
	TypeResult = "result"
)

// Field types, the values of the type attribute of <field/>
// (XEP-0004 §3.3). An absent type means text-single (§3.2), and so does a
// type this package does not know (§3.3).
const (
	// Boolean is an either-or choice; values "0", "1", "false", "true";
	// the default is false.
	Boolean = "boolean"
	// Fixed is descriptive text (e.g. a section header), not data.
	Fixed = "fixed"
	// Hidden is returned with the form unchanged and not shown to the user.
	Hidden = "hidden"
	// JIDMulti holds several JIDs.
	JIDMulti = "jid-multi"
	// JIDSingle holds one JID.
	JIDSingle = "jid-single"
	// ListMulti is a choice of zero or more of the field's options.
	ListMulti = "list-multi"
	// ListSingle is a choice of one of the field's options.
	ListSingle = "list-single"
	// TextMulti holds several lines of text, one value per line.
	TextMulti = "text-multi"
	// TextPrivate is one line of text to be obscured (e.g. a password).
	TextPrivate = "text-private"
	// TextSingle is one line of text; the default type.
	TextSingle = "text-single"
)

// VarFormType is the var of the hidden field that names the form's
// vocabulary (XEP-0068 §3.1).
const VarFormType = "FORM_TYPE"

// Form is a data form (XEP-0004 §3).
type Form struct {
	// Type is TypeForm, TypeSubmit, TypeCancel or TypeResult (§3.1).
	Type string
	// Title is the form's optional title.
	Title string
	// Instructions holds the natural-language instructions, one entry per
	// <instructions/> element, in document order.
	Instructions []string
	// Fields are the form's fields in document order, which is also the
	// order to present them in (§3.2).
	Fields []Field
	// Reported is the header of a multi-item result (§3.4): the fields each
	// item carries, usually with a type and label but no value.
	Reported []Field
	// Items are the rows of a multi-item result (§3.4), each a list of
	// fields with values.
	Items [][]Field
}

// Field is one <field/> of a form (XEP-0004 §3.2).
type Field struct {
	// Var names the field uniquely within the form. Every field except a
	// Fixed one must have it.
	Var string
	// Type is the field type as sent (§3.3); "" when absent. Use Kind for
	// the effective type.
	Type string
	// Label is a human-readable name for the field.
	Label string
	// Desc is a natural-language description (a tool-tip) from <desc/>.
	Desc string
	// Required reports a <required/> child: the form is not valid without a
	// value for this field.
	Required bool
	// Values are the field's values in order: the default in a form, the
	// data in a submission or result. Only multi-valued kinds (list-multi,
	// jid-multi, text-multi, hidden) may have more than one.
	Values []string
	// Options are the choices of a list-single or list-multi field.
	Options []Option
}

// Option is one choice of a list field (XEP-0004 §3.2, <option/>).
type Option struct {
	// Label is the human-readable name of the option.
	Label string
	// Value is what is submitted when the option is chosen.
	Value string
}

// Kind returns the effective type of the field: its Type when it is one of
// the types of XEP-0004 §3.3, otherwise TextSingle (an absent type defaults
// to text-single per §3.2, and an unknown one MUST be treated as text-single
// per §3.3).
func (fd *Field) Kind() string {
	switch fd.Type {
	case Boolean, Fixed, Hidden, JIDMulti, JIDSingle, ListMulti, ListSingle,
		TextMulti, TextPrivate, TextSingle:
		return fd.Type
	}
	return TextSingle
}

// Multi reports whether the field may carry more than one value
// (XEP-0004 §3.2: list-multi, jid-multi, text-multi and hidden).
func (fd *Field) Multi() bool {
	switch fd.Kind() {
	case ListMulti, JIDMulti, TextMulti, Hidden:
		return true
	}
	return false
}

// Value returns the field's first value, or "" when it has none.
func (fd *Field) Value() string {
	if len(fd.Values) == 0 {
		return ""
	}
	return fd.Values[0]
}

// Bool returns the value of a boolean field: true for "1" or "true", false
// otherwise, including when the field has no value (the default of a
// boolean is false, XEP-0004 §3.3).
func (fd *Field) Bool() bool {
	v := fd.Value()
	return v == "1" || v == "true"
}

// Field returns the first field of f whose var is v, or nil. The pointer
// refers into f.Fields, so changes through it change the form.
func (f *Form) Field(v string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Var == v {
			return &f.Fields[i]
		}
	}
	return nil
}

// Value returns the first value of the field named v, or "" when there is no
// such field or it has no value.
func (f *Form) Value(v string) string {
	if fd := f.Field(v); fd != nil {
		return fd.Value()
	}
	return ""
}

// Copy returns a deep copy of f that shares no slices with it.
func (f *Form) Copy() *Form {
	if f == nil {
		return nil
	}
	out := &Form{Type: f.Type, Title: f.Title}
	out.Instructions = cloneStrings(f.Instructions)
	out.Fields = copyFields(f.Fields)
	out.Reported = copyFields(f.Reported)
	if f.Items != nil {
		out.Items = make([][]Field, len(f.Items))
		for i, it := range f.Items {
			out.Items[i] = copyFields(it)
		}
	}
	return out
}

func copyFields(fs []Field) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, fd := range fs {
		out[i] = fd
		out[i].Values = cloneStrings(fd.Values)
		if fd.Options != nil {
			out[i].Options = append([]Option(nil), fd.Options...)
		}
	}
	return out
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
