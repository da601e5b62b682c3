package roster

import (
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// FuzzParseQuery feeds arbitrary bytes through xmlstream.Parse and
// ParseQuery. Properties: no panic; the items that were read survive
// Element → AppendXML → Parse → ParseQuery unchanged and without error.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`<query xmlns='jabber:iq:roster' ver='v1'><item jid='bob@example.com' name='Bob' subscription='both'><group>Friends</group></item></query>`,
		`<query xmlns='jabber:iq:roster'><item jid='carol@example.com' ask='subscribe' approved='true'/><item jid='x@y' subscription='remove'/></query>`,
		`<query xmlns='jabber:iq:roster' ver=''/>`,
		`<query xmlns='jabber:iq:roster'><item/><item jid='@'/><item jid='a@b' subscription='odd'/></query>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		q, err := ParseQuery(el)
		if err == ErrNotRoster {
			return
		}
		wire := q.Element().AppendXML(nil)
		el2, err := xmlstream.Parse(wire, "jabber:client", nil)
		if err != nil {
			t.Fatalf("encoded query does not parse: %v\n%s", err, wire)
		}
		again, err := ParseQuery(el2)
		if err != nil || again.Ver != q.Ver || again.HasVer != q.HasVer || !equalItems(again.Items, q.Items) {
			t.Fatalf("round trip: %v\n got %+v\nwant %+v\nwire %s", err, again, q, wire)
		}
	})
}
