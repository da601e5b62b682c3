package sid_test

import (
	"reflect"
	"testing"

	"parley.dev/xmpp/ext/sid"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

const archived = `<message xmlns='jabber:client' to='juliet@capulet.lit/balcony' from='romeo@montague.lit/orchard' type='chat'>
  <body>Art thou not Romeo, and a Montague?</body>
  <stanza-id xmlns='urn:xmpp:sid:0' id='5f3dbc5e-e1d3-4077-a492-693f3769c7ad' by='juliet@capulet.lit'/>
  <stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='capulet.lit'/>
  <stanza-id xmlns='urn:xmpp:sid:0' id='no-by'/>
  <stanza-id xmlns='urn:xmpp:sid:0' id='bad-by' by='@@'/>
  <origin-id xmlns='urn:xmpp:sid:0' id='de305d54-75b4-431b-adb2-eb6b9e546013'/>
</message>`

func TestIDs(t *testing.T) {
	e, err := xmlstream.Parse([]byte(archived), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := stanza.MessageFromElement(e)
	want := []sid.ID{
		{ID: "5f3dbc5e-e1d3-4077-a492-693f3769c7ad", By: jid.MustParse("juliet@capulet.lit")},
		{ID: "forged", By: jid.MustParse("capulet.lit")},
	}
	if got := sid.StanzaIDs(m.El); !reflect.DeepEqual(got, want) {
		t.Errorf("StanzaIDs %+v", got)
	}
	for i, tc := range []struct {
		by   string
		want string
		ok   bool
	}{
		{"juliet@capulet.lit", "5f3dbc5e-e1d3-4077-a492-693f3769c7ad", true},
		{"capulet.lit", "forged", true},
		{"romeo@montague.lit", "", false},
	} {
		got, ok := sid.StanzaID(m, jid.MustParse(tc.by))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d: %q %v", i, got, ok)
		}
	}
	if got := sid.OriginID(m); got != "de305d54-75b4-431b-adb2-eb6b9e546013" {
		t.Errorf("OriginID %q", got)
	}
	// Element round trip.
	if got := sid.StanzaIDs(xmlstream.New("jabber:client", "message").AppendChild(want[0].Element())); !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("round trip %+v", got)
	}
}

func TestSetOriginID(t *testing.T) {
	var m stanza.Message
	id := sid.SetOriginID(&m)
	if id == "" || m.ID != id || sid.OriginID(m) != id {
		t.Fatalf("first: %q %v", id, m.Element())
	}
	id2 := sid.SetOriginID(&m)
	n := 0
	for range m.Payloads() {
		n++
	}
	if id2 == id || sid.OriginID(m) != id2 || n != 1 || m.ID != id {
		t.Errorf("second: %q %v", id2, m.Element())
	}
}
