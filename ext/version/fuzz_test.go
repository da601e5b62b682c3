package version_test

import (
	"testing"

	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/xmlstream"
)

// FuzzParse: no panic; what parses survives Element → Parse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<query xmlns='jabber:iq:version'><name>Exodus</name><version>0.7.0.4</version><os>Windows-XP 5.01.2600</os></query>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		i, err := version.Parse(el)
		if err != nil {
			return
		}
		el2, err := xmlstream.Parse(i.Element().AppendXML(nil), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := version.Parse(el2); err != nil || again != i {
			t.Fatalf("round trip %+v %v, want %+v", again, err, i)
		}
	})
}
