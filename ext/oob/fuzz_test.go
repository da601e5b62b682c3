package oob_test

import (
	"testing"

	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/xmlstream"
)

// FuzzParse: no panic; what parses survives Query (and X, without the sid)
// → encode → Parse unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<x xmlns='jabber:x:oob'><url>http://www.jabber.org/images/psa-license.jpg</url><desc>A license to Jabber!</desc></x>`))
	f.Add([]byte(`<iq type='set'><query xmlns='jabber:iq:oob' sid='a0'><url>http://e.org/f</url></query></iq>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		d, ok := oob.Parse(el)
		if !ok {
			return
		}
		for _, e := range []*xmlstream.Element{d.Query(), d.X()} {
			el2, err := xmlstream.Parse(e.AppendXML(nil), "jabber:client", nil)
			if err != nil {
				t.Fatal(err)
			}
			want := d
			if e.Name.Space == oob.NSX {
				want.SID = ""
			}
			if again, ok := oob.Parse(el2); !ok || again != want {
				t.Fatalf("round trip %+v, want %+v", again, want)
			}
		}
	})
}
