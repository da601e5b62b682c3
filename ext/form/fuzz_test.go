package form

import (
	"reflect"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// FuzzParse feeds arbitrary bytes through xmlstream.Parse and Parse.
// Properties: no panic; a form that parses survives Element → AppendXML →
// xmlstream.Parse → Parse unchanged; Submit and Set never panic, and a
// successful submission survives the same round trip.
func FuzzParse(f *testing.F) {
	for _, s := range []string{registerForm, prosodyMUCConfig, searchResult} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "", nil)
		if err != nil {
			return
		}
		form, err := Parse(el)
		if err != nil {
			return
		}
		roundTrip(t, form)
		sub, err := form.Submit()
		if err == nil {
			roundTrip(t, sub)
		}
		for _, fd := range form.Fields {
			_ = form.Set(fd.Var, fd.Values...)
		}
	})
}

// roundTrip checks that form encodes to bytes that parse back to it.
func roundTrip(t *testing.T, form *Form) {
	t.Helper()
	wire := form.Element().AppendXML(nil)
	el, err := xmlstream.Parse(wire, "", nil)
	if err != nil {
		t.Fatalf("encoded form does not parse: %v\n%s", err, wire)
	}
	again, err := Parse(el)
	if err != nil {
		t.Fatalf("reparse of encoded form: %v\n%s", err, wire)
	}
	if !reflect.DeepEqual(form, again) {
		t.Fatalf("round trip changed the form\n got %#v\nwant %#v\nwire %s", again, form, wire)
	}
}
