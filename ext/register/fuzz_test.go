package register

import (
	"reflect"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// FuzzParseQuery feeds arbitrary bytes through xmlstream.Parse and
// ParseQuery. Properties: no panic; a query that parses survives Element →
// AppendXML → xmlstream.Parse → ParseQuery unchanged; Fill never panics.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{jabberd2Fields, prosodyFields, ejabberdCaptcha, registered, webOnly} {
		iq, err := parseIQ(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(iq.FirstChild().AppendXML(nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		q, err := ParseQuery(el)
		if err != nil {
			return
		}
		wire := q.Element().AppendXML(nil)
		el2, err := xmlstream.Parse(wire, "jabber:client", nil)
		if err != nil {
			t.Fatalf("encoded query does not parse: %v\n%s", err, wire)
		}
		again, err := ParseQuery(el2)
		if err != nil || !reflect.DeepEqual(q, again) {
			t.Fatalf("round trip: %v\n got %#v\nwant %#v\nwire %s", err, again, q, wire)
		}
		_, _ = q.Fill(map[string]string{"username": "u", "password": "p"})
	})
}
