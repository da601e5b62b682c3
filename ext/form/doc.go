// Package form implements XEP-0004 Data Forms (jabber:x:data): parsing a
// form into plain Go values, filling it, checking it, and encoding the
// submission.
//
// The package is pure: it turns an *xmlstream.Element into a *Form and back
// and never talks to the network. Protocols that carry forms (in-band
// registration in ext/register, MUC configuration, ad-hoc commands, service
// discovery extensions) find the <x xmlns='jabber:x:data'/> child, call Parse,
// and put the result of Form.Element back into their own payload.
//
// # Model
//
// A Form (XEP-0004 §3) has a type (§3.1: form, submit, cancel, result), an
// optional title, any number of instructions and an ordered list of Fields.
// A Field (§3.2) has a var (its name), a type (§3.3), a label, a description,
// a required flag, its values and, for list fields, its options. Result forms
// may carry a table (§3.4): the Reported header fields and one []Field per
// item.
//
// Parse keeps what was on the wire: an absent field type stays "" (Field.Kind
// reports the effective type, text-single, per §3.2 and §3.3), values are not
// trimmed, and elements this package does not know (XEP-0122 validation,
// XEP-0221 media) are skipped.
//
// # Filling and submitting
//
// Form.Set checks a value against the field's type before storing it: a
// boolean must be "0", "1", "true" or "false" (§3.3, note on xs:boolean), a
// jid-single or jid-multi value must be a valid JID (RFC 7622, via jid.Parse;
// stored in its canonical form, duplicates in jid-multi dropped), a list value
// must be one of the field's options (§3.3: the submitter MUST NOT insert new
// options), and only the multi-valued types (list-multi, jid-multi,
// text-multi, hidden; §3.2) take more than one value. text-multi input with
// newlines is split into one value per line (§3.3, note ***).
//
// Form.Submit returns the type=submit form that answers a type=form form
// (§3.1). It reports every required field left empty and every invalid value
// at once in a *ValidationError, so a user interface can highlight them all.
//
// The hidden FORM_TYPE field of XEP-0068 names the form's vocabulary; FormType
// reads it and SetFormType writes it.
package form
