package form

import (
	"encoding/xml"
	"reflect"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// FuzzParse feeds arbitrary XML through Parse. Properties: no panic; a form
// that parses survives Element → Parse unchanged; Submit and Set never panic
// and a successful submission parses back as the same form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{registerForm, prosodyMUCConfig, searchResult} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var el xmlstream.Element
		if xml.Unmarshal(data, &el) != nil {
			return
		}
		form, err := Parse(&el)
		if err != nil {
			return
		}
		again, err := Parse(form.Element())
		if err != nil {
			t.Fatalf("reparse of encoded form: %v", err)
		}
		if !reflect.DeepEqual(form, again) {
			t.Fatalf("round trip changed the form\n got %#v\nwant %#v", again, form)
		}
		sub, err := form.Submit()
		if err == nil {
			back, err := Parse(sub.Element())
			if err != nil || !reflect.DeepEqual(back, sub) {
				t.Fatalf("submission round trip: %v\n got %#v\nwant %#v", err, back, sub)
			}
		}
		for _, fd := range form.Fields {
			_ = form.Set(fd.Var, fd.Values...)
		}
	})
}
