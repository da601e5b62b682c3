package sid_test

import (
	"reflect"
	"testing"

	"parley.dev/xmpp/ext/sid"
	"parley.dev/xmpp/xmlstream"
)

// FuzzStanzaIDs: no panic; the ids read survive Element → StanzaIDs.
func FuzzStanzaIDs(f *testing.F) {
	f.Add([]byte(archived))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		ids := sid.StanzaIDs(el)
		if len(ids) == 0 {
			return
		}
		m := xmlstream.New("jabber:client", "message")
		for _, id := range ids {
			m.AppendChild(id.Element())
		}
		el2, err := xmlstream.Parse(m.AppendXML(nil), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		if again := sid.StanzaIDs(el2); !reflect.DeepEqual(again, ids) {
			t.Fatalf("round trip %+v, want %+v", again, ids)
		}
	})
}
