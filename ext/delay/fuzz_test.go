package delay_test

import (
	"testing"

	"parley.dev/xmpp/ext/delay"
	"parley.dev/xmpp/xmlstream"
)

// FuzzParse: no panic; what parses survives Element → encode → Parse (as
// XEP-0203, whatever form it was read from).
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<message><delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay></message>`))
	f.Add([]byte(`<message><x xmlns='jabber:x:delay' from='capulet.com' stamp='20020910T23:08:25'>Offline Storage</x></message>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		d, ok := delay.Parse(el)
		if !ok {
			return
		}
		el2, err := xmlstream.Parse(d.Element().AppendXML(nil), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		again, ok := delay.Parse(el2)
		d.Legacy = false
		if !ok || !again.Stamp.Equal(d.Stamp) || again.From != d.From || again.Reason != d.Reason {
			t.Fatalf("round trip %+v, want %+v", again, d)
		}
	})
}
