package form

import (
	"errors"
	"reflect"
	"testing"

	"parley.dev/xmpp/jid"
)

func TestSet(t *testing.T) {
	tests := []struct {
		field  string
		values []string
		err    error    // sentinel wrapped by the *FieldError, or nil
		want   []string // the field's values afterwards
	}{
		0: {"muc#roomconfig_roomname", []string{"Balcony"}, nil, []string{"Balcony"}},
		1: {"muc#roomconfig_roomname", []string{"a", "b"}, ErrTooManyValues, nil},
		2: {"muc#roomconfig_persistentroom", []string{"true"}, nil, []string{"true"}},
		3: {"muc#roomconfig_persistentroom", []string{"1"}, nil, []string{"1"}},
		4: {"muc#roomconfig_persistentroom", []string{"yes"}, ErrNotBoolean, []string{"0"}},
		5: {"muc#roomconfig_persistentroom", []string{"TRUE"}, ErrNotBoolean, []string{"0"}},
		6: {"muc#roomconfig_maxusers", []string{"10"}, nil, []string{"10"}},
		7: {"muc#roomconfig_maxusers", []string{"15"}, ErrNotOption, []string{"20"}},
		8: {"muc#roomconfig_maxusers", []string{"10", "20"}, ErrTooManyValues, []string{"20"}},
		9: {"muc#roomconfig_maxusers", nil, nil, nil},
		10: {"muc#roomconfig_roomadmins", []string{"Juliet@Capulet.lit", "romeo@montague.lit", "juliet@capulet.lit"}, nil,
			[]string{"juliet@capulet.lit", "romeo@montague.lit"}},
		11: {"muc#roomconfig_roomadmins", []string{"romeo@montague.lit", "@bad"}, ErrNotJID, nil},
		12: {"muc#roomconfig_roomdesc", []string{"one\r\ntwo\nthree", "four"}, nil, []string{"one", "two", "three", "four"}},
		13: {"muc#roomconfig_roomsecret", []string{"s3cret with spaces "}, nil, []string{"s3cret with spaces "}},
		14: {"FORM_TYPE", []string{"a", "b"}, nil, []string{"a", "b"}}, // hidden is multi-valued (§3.2)
		15: {"nosuch", []string{"x"}, ErrUnknownField, nil},
		16: {"owner", []string{"juliet@capulet.lit/balcony"}, nil, []string{"juliet@capulet.lit/balcony"}},
		17: {"owner", []string{""}, ErrNotJID, nil},
		18: {"owner", []string{"a@b", "c@d"}, ErrTooManyValues, nil},
		19: {"heading", []string{"x"}, ErrFixedField, []string{"Room information"}},
		20: {"tags", []string{"b", "a"}, nil, []string{"b", "a"}},
		21: {"tags", []string{"c"}, ErrNotOption, nil},
		22: {"free", []string{"anything"}, nil, []string{"anything"}}, // list without options: open
		23: {"unknown-type", []string{"a", "b"}, ErrTooManyValues, nil},
	}
	for i, tt := range tests {
		f := mustParse(t, prosodyMUCConfig)
		f.Fields = append(f.Fields,
			Field{Var: "owner", Type: JIDSingle},
			Field{Var: "heading", Type: Fixed, Values: []string{"Room information"}},
			Field{Var: "tags", Type: ListMulti, Options: []Option{{"A", "a"}, {"B", "b"}}},
			Field{Var: "free", Type: ListSingle},
			Field{Var: "unknown-type", Type: "x-color"},
		)
		err := f.Set(tt.field, tt.values...)
		if tt.err == nil {
			if err != nil {
				t.Errorf("%d: Set: %v", i, err)
				continue
			}
		} else {
			var fe *FieldError
			if !errors.Is(err, tt.err) || !errors.As(err, &fe) || fe.Var != tt.field {
				t.Errorf("%d: Set err = %v, want FieldError for %q wrapping %v", i, err, tt.field, tt.err)
			}
		}
		var got []string
		if fd := f.Field(tt.field); fd != nil {
			got = fd.Values
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d: values = %q, want %q", i, got, tt.want)
		}
	}
}

func TestSetJIDErrorWrapsCause(t *testing.T) {
	f := &Form{Type: TypeForm, Fields: []Field{{Var: "j", Type: JIDSingle}}}
	err := f.Set("j", "@capulet.lit")
	if !errors.Is(err, ErrNotJID) || !errors.Is(err, jid.ErrEmpty) {
		t.Fatalf("err = %v, want ErrNotJID wrapping jid.ErrEmpty", err)
	}
	if want := `form: field "j" value "@capulet.lit": not a valid JID: jid: invalid localpart: empty`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

func TestSubmit(t *testing.T) {
	f := mustParse(t, registerForm)
	before := f.Copy()

	// Nothing filled: every required field is reported, in form order.
	_, err := f.Submit()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Submit err = %v, want *ValidationError", err)
	}
	if want := []string{"first", "last", "email"}; !reflect.DeepEqual(verr.Missing, want) || len(verr.Invalid) != 0 {
		t.Fatalf("Missing = %q Invalid = %v, want %q", verr.Missing, verr.Invalid, want)
	}
	if want := `form: invalid submission: missing required "first", "last", "email"`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}

	// Values assigned directly (bypassing Set) are checked too; an empty
	// value does not satisfy <required/>.
	f.Field("first").Values = []string{"Juliet"}
	f.Field("last").Values = []string{""}
	f.Field("email").Values = []string{"juliet@capulet.com"}
	f.Field("x-gender").Values = []string{"X"}
	_, err = f.Submit()
	if !errors.As(err, &verr) || !reflect.DeepEqual(verr.Missing, []string{"last"}) ||
		len(verr.Invalid) != 1 || verr.Invalid[0].Var != "x-gender" || !errors.Is(err, ErrNotOption) {
		t.Fatalf("Submit err = %#v", err)
	}

	if err := f.Set("last", "Capulet"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("x-gender", "F"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before.Fields[1], Field{Var: "first", Type: TextSingle, Label: "Given Name", Required: true}) {
		t.Fatal("Copy shares memory with the original")
	}
	sub, err := f.Submit()
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	want := &Form{Type: TypeSubmit, Fields: []Field{
		{Var: "FORM_TYPE", Type: Hidden, Values: []string{"jabber:iq:register"}},
		{Var: "first", Type: TextSingle, Values: []string{"Juliet"}},
		{Var: "last", Type: TextSingle, Values: []string{"Capulet"}},
		{Var: "email", Type: TextSingle, Values: []string{"juliet@capulet.com"}},
		{Var: "x-gender", Type: ListSingle, Values: []string{"F"}},
	}}
	if !reflect.DeepEqual(sub, want) {
		t.Errorf("Submit =\n %#v\nwant %#v", sub, want)
	}
	if sub.FormType() != "jabber:iq:register" {
		t.Errorf("FormType of submission = %q", sub.FormType())
	}
	// The submission shares no slices with the form.
	sub.Fields[1].Values[0] = "changed"
	if f.Value("first") != "Juliet" {
		t.Error("submission shares values with the form")
	}
}

func TestSubmitSkipsFixedAndEmpty(t *testing.T) {
	f := mustParse(t, prosodyMUCConfig)
	sub, err := f.Submit()
	if err != nil {
		t.Fatal(err)
	}
	var vars []string
	for _, fd := range sub.Fields {
		vars = append(vars, fd.Var)
	}
	want := []string{"FORM_TYPE", "muc#roomconfig_roomdesc", "muc#roomconfig_persistentroom", "muc#roomconfig_maxusers"}
	if !reflect.DeepEqual(vars, want) {
		t.Errorf("submitted %q, want %q", vars, want)
	}
}

func TestSubmitRefusesResultAndCancel(t *testing.T) {
	for _, typ := range []string{TypeResult, TypeCancel} {
		f := &Form{Type: typ}
		if _, err := f.Submit(); !errors.Is(err, ErrNotSubmittable) {
			t.Errorf("%s: err = %v", typ, err)
		}
	}
	if c := (&Form{Type: TypeForm}).Cancel(); !reflect.DeepEqual(c, &Form{Type: TypeCancel}) {
		t.Errorf("Cancel = %#v", c)
	}
}

func TestFieldAccessors(t *testing.T) {
	tests := []struct {
		fd    Field
		kind  string
		multi bool
		value string
		b     bool
	}{
		0: {Field{}, TextSingle, false, "", false},
		1: {Field{Type: "x-custom", Values: []string{"v"}}, TextSingle, false, "v", false},
		2: {Field{Type: Boolean, Values: []string{"true"}}, Boolean, false, "true", true},
		3: {Field{Type: Boolean, Values: []string{"1"}}, Boolean, false, "1", true},
		4: {Field{Type: Boolean, Values: []string{"0"}}, Boolean, false, "0", false},
		5: {Field{Type: Hidden, Values: []string{"a", "b"}}, Hidden, true, "a", false},
		6: {Field{Type: JIDMulti}, JIDMulti, true, "", false},
		7: {Field{Type: TextMulti}, TextMulti, true, "", false},
		8: {Field{Type: ListMulti}, ListMulti, true, "", false},
		9: {Field{Type: TextPrivate}, TextPrivate, false, "", false},
	}
	for i, tt := range tests {
		fd := tt.fd
		if fd.Kind() != tt.kind || fd.Multi() != tt.multi || fd.Value() != tt.value || fd.Bool() != tt.b {
			t.Errorf("%d: Kind %q Multi %v Value %q Bool %v", i, fd.Kind(), fd.Multi(), fd.Value(), fd.Bool())
		}
	}
}

func TestFormType(t *testing.T) {
	tests := []struct {
		form *Form
		want string
	}{
		0: {&Form{Type: TypeForm, Fields: []Field{{Var: "FORM_TYPE", Type: Hidden, Values: []string{"urn:x"}}}}, "urn:x"},
		1: {&Form{Type: TypeForm, Fields: []Field{{Var: "FORM_TYPE", Values: []string{"urn:x"}}}}, ""},
		2: {&Form{Type: TypeForm, Fields: []Field{{Var: "FORM_TYPE", Type: TextSingle, Values: []string{"urn:x"}}}}, ""},
		3: {&Form{Type: TypeSubmit, Fields: []Field{{Var: "FORM_TYPE", Values: []string{"urn:x"}}}}, "urn:x"},
		4: {&Form{Type: TypeSubmit, Fields: []Field{{Var: "FORM_TYPE", Type: TextSingle, Values: []string{"urn:x"}}}}, ""},
		5: {&Form{Type: TypeResult}, ""},
	}
	for i, tt := range tests {
		if got := tt.form.FormType(); got != tt.want {
			t.Errorf("%d: FormType = %q, want %q", i, got, tt.want)
		}
	}

	f := &Form{Type: TypeSubmit, Fields: []Field{{Var: "a"}}}
	f.SetFormType("urn:one")
	f.SetFormType("urn:two")
	want := []Field{{Var: "FORM_TYPE", Type: Hidden, Values: []string{"urn:two"}}, {Var: "a"}}
	if !reflect.DeepEqual(f.Fields, want) || f.FormType() != "urn:two" {
		t.Errorf("after SetFormType: %#v", f.Fields)
	}
}
