package form

import (
	"errors"
	"reflect"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// registerForm is the form of XEP-0077 §3.1 (contest registration), with an
// extension element inside a field that Parse must skip.
const registerForm = `<x xmlns='jabber:x:data' type='form'>
<title>Contest Registration</title>
<instructions>Please provide the following information</instructions>
<instructions>to sign up for our special contests!</instructions>
<field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>
<field type='text-single' label='Given Name' var='first'><required/></field>
<field type='text-single' label='Family Name' var='last'><required/></field>
<field type='text-single' label='Email Address' var='email'><desc>Where we write to</desc><required/></field>
<field type='list-single' label='Gender' var='x-gender'>
  <validate xmlns='http://jabber.org/protocol/xdata-validate' datatype='xs:string'/>
  <option label='Male'><value>M</value></option>
  <option label='Female'><value>F</value></option>
</field>
</x>`

// prosodyMUCConfig is shaped like Prosody's muc#roomconfig form: fixed
// header, booleans, list-single with a default, jid-multi, text-multi.
const prosodyMUCConfig = `<x xmlns='jabber:x:data' type='form'>
<title>Configuration for room@conference.localhost</title>
<field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
<field type='fixed'><value>Room information</value></field>
<field type='text-single' label='Title' var='muc#roomconfig_roomname'/>
<field type='text-multi' label='Description' var='muc#roomconfig_roomdesc'><value>line one</value><value>line two</value></field>
<field type='boolean' label='Persistent (room should remain even when it is not occupied)' var='muc#roomconfig_persistentroom'><value>0</value></field>
<field type='list-single' label='Maximum number of participants' var='muc#roomconfig_maxusers'><value>20</value><option label='10'><value>10</value></option><option label='20'><value>20</value></option><option label='none'><value>0</value></option></field>
<field type='jid-multi' label='Administrators' var='muc#roomconfig_roomadmins'/>
<field type='text-private' label='Password' var='muc#roomconfig_roomsecret'/>
</x>`

// searchResult is a multi-item result (XEP-0004 §3.4, as in XEP-0055).
const searchResult = `<x xmlns='jabber:x:data' type='result'>
<field type='hidden' var='FORM_TYPE'><value>jabber:iq:search</value></field>
<reported><field var='first' label='Given Name' type='text-single'/><field var='jid' label='JID' type='jid-single'/></reported>
<item><field var='first'><value>Benvolio</value></field><field var='jid'><value>benvolio@montague.net</value></field></item>
<item><field var='first'><value>Romeo</value></field><field var='jid'><value></value></field></item>
</x>`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want *Form
	}{
		0: {"xep0077 register form", registerForm, &Form{
			Type:         TypeForm,
			Title:        "Contest Registration",
			Instructions: []string{"Please provide the following information", "to sign up for our special contests!"},
			Fields: []Field{
				{Var: "FORM_TYPE", Type: Hidden, Values: []string{"jabber:iq:register"}},
				{Var: "first", Type: TextSingle, Label: "Given Name", Required: true},
				{Var: "last", Type: TextSingle, Label: "Family Name", Required: true},
				{Var: "email", Type: TextSingle, Label: "Email Address", Desc: "Where we write to", Required: true},
				{Var: "x-gender", Type: ListSingle, Label: "Gender", Options: []Option{{"Male", "M"}, {"Female", "F"}}},
			},
		}},
		1: {"prosody muc config", prosodyMUCConfig, &Form{
			Type:  TypeForm,
			Title: "Configuration for room@conference.localhost",
			Fields: []Field{
				{Var: "FORM_TYPE", Type: Hidden, Values: []string{"http://jabber.org/protocol/muc#roomconfig"}},
				{Type: Fixed, Values: []string{"Room information"}},
				{Var: "muc#roomconfig_roomname", Type: TextSingle, Label: "Title"},
				{Var: "muc#roomconfig_roomdesc", Type: TextMulti, Label: "Description", Values: []string{"line one", "line two"}},
				{Var: "muc#roomconfig_persistentroom", Type: Boolean, Label: "Persistent (room should remain even when it is not occupied)", Values: []string{"0"}},
				{Var: "muc#roomconfig_maxusers", Type: ListSingle, Label: "Maximum number of participants", Values: []string{"20"},
					Options: []Option{{"10", "10"}, {"20", "20"}, {"none", "0"}}},
				{Var: "muc#roomconfig_roomadmins", Type: JIDMulti, Label: "Administrators"},
				{Var: "muc#roomconfig_roomsecret", Type: TextPrivate, Label: "Password"},
			},
		}},
		2: {"search result table", searchResult, &Form{
			Type:     TypeResult,
			Fields:   []Field{{Var: "FORM_TYPE", Type: Hidden, Values: []string{"jabber:iq:search"}}},
			Reported: []Field{{Var: "first", Label: "Given Name", Type: TextSingle}, {Var: "jid", Label: "JID", Type: JIDSingle}},
			Items: [][]Field{
				{{Var: "first", Values: []string{"Benvolio"}}, {Var: "jid", Values: []string{"benvolio@montague.net"}}},
				{{Var: "first", Values: []string{"Romeo"}}, {Var: "jid", Values: []string{""}}},
			},
		}},
		3: {"cancel", `<x xmlns='jabber:x:data' type='cancel'/>`, &Form{Type: TypeCancel}},
		4: {"untyped field, option without value child, second title ignored, foreign child skipped",
			`<x xmlns='jabber:x:data' type='form'><title>A</title><title>B</title>` +
				`<field var='light' type='list-multi'><option label='Juliet'>Sun</option></field>` +
				`<field var='plain'><value> spaced  </value></field>` +
				`<thing xmlns='urn:example'/><field xmlns='urn:example' var='notours'/></x>`,
			&Form{Type: TypeForm, Title: "A", Fields: []Field{
				{Var: "light", Type: ListMulti, Options: []Option{{"Juliet", "Sun"}}},
				{Var: "plain", Values: []string{" spaced  "}},
			}}},
	}
	for i, tt := range tests {
		got := mustParse(t, tt.xml)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d %s:\n got %#v\nwant %#v", i, tt.name, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		xml    string
		reason string
	}{
		0: {`<x xmlns='jabber:x:oob' type='form'/>`, "element is {jabber:x:oob}x, not {jabber:x:data}x"},
		1: {`<form xmlns='jabber:x:data' type='form'/>`, "element is {jabber:x:data}form, not {jabber:x:data}x"},
		2: {`<x xmlns='jabber:x:data'/>`, "missing type attribute"},
		3: {`<x xmlns='jabber:x:data' type='Form'/>`, `unknown form type "Form"`},
	}
	for i, tt := range tests {
		_, err := Parse(parseXML(t, tt.xml))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Reason != tt.reason || !errors.Is(err, ErrMalformed) {
			t.Errorf("%d: err = %v, want ParseError %q", i, err, tt.reason)
		}
	}
	if _, err := Parse(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("Parse(nil) err = %v", err)
	}
}

// TestElementRoundTrip checks that encoding then parsing gives the same
// form back, and that the encoding of a built form is what XEP-0004 shows.
func TestElementRoundTrip(t *testing.T) {
	for i, s := range []string{registerForm, prosodyMUCConfig, searchResult} {
		f := mustParse(t, s)
		g, err := Parse(f.Element())
		if err != nil {
			t.Fatalf("%d: reparse: %v", i, err)
		}
		if !reflect.DeepEqual(f, g) {
			t.Errorf("%d: round trip\n got %#v\nwant %#v", i, g, f)
		}
	}

	f := &Form{Type: TypeForm, Title: "T", Instructions: []string{"I"}, Fields: []Field{
		{Var: "b", Type: Boolean, Label: "B?", Desc: "d", Required: true, Values: []string{"1"}},
		{Var: "l", Type: ListSingle, Options: []Option{{"", "x"}}},
	}}
	want := parseXML(t, `<x xmlns='jabber:x:data' type='form'><title>T</title><instructions>I</instructions>`+
		`<field var='b' type='boolean' label='B?'><desc>d</desc><required/><value>1</value></field>`+
		`<field var='l' type='list-single'><option><value>x</value></option></field></x>`)
	if got := f.Element(); !got.Equal(want) {
		t.Errorf("Element() = %s\nwant %s", dump(got), dump(want))
	}
}

// dump renders an element for failure messages without the encoder.
func dump(e *xmlstream.Element) string {
	s := "<" + e.Name.String()
	for _, a := range e.Attr {
		s += " " + a.Name.String() + "=" + `"` + a.Value + `"`
	}
	s += ">"
	for _, n := range e.Nodes {
		if n.Elem != nil {
			s += dump(n.Elem)
		} else {
			s += n.Text
		}
	}
	return s + "</" + e.Name.Local + ">"
}
