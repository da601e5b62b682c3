package disco_test

import (
	"reflect"
	"testing"

	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

func mustJID(s string) jid.JID { return jid.MustParse(s) }

// FuzzParseInfo: no panic; what parses survives Element → encode → Parse →
// ParseInfo unchanged.
func FuzzParseInfo(f *testing.F) {
	for _, s := range []string{infoXEP, infoForm, infoJunk} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		info, err := disco.ParseInfo(el)
		if err != nil {
			return
		}
		wire := info.Element().AppendXML(nil)
		el2, err := xmlstream.Parse(wire, "jabber:client", nil)
		if err != nil {
			t.Fatalf("encoded info does not parse: %v\n%s", err, wire)
		}
		again, err := disco.ParseInfo(el2)
		if err != nil || !reflect.DeepEqual(info, again) {
			t.Fatalf("round trip: %v\n got %+v\nwant %+v\nwire %s", err, again, info, wire)
		}
	})
}

// FuzzParseItems: no panic; round trip as FuzzParseInfo.
func FuzzParseItems(f *testing.F) {
	f.Add([]byte(itemsXEP))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		items, err := disco.ParseItems(el)
		if err != nil {
			return
		}
		wire := items.Element().AppendXML(nil)
		el2, err := xmlstream.Parse(wire, "jabber:client", nil)
		if err != nil {
			t.Fatalf("encoded items do not parse: %v\n%s", err, wire)
		}
		again, err := disco.ParseItems(el2)
		if err != nil || !reflect.DeepEqual(items, again) {
			t.Fatalf("round trip: %v\n got %+v\nwant %+v\nwire %s", err, again, items, wire)
		}
	})
}
