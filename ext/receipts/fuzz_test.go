package receipts_test

import (
	"testing"

	"parley.dev/xmpp/ext/receipts"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// FuzzReceived: no panic; the id of a receipt survives Receipt → Received.
func FuzzReceived(f *testing.F) {
	f.Add([]byte(`<message id='bi29sg183b4v'><received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/></message>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		m, err := stanza.MessageFromElement(el)
		if err != nil {
			return
		}
		receipts.Requested(m)
		id, ok := receipts.Received(m)
		if !ok {
			return
		}
		if again, ok := receipts.Received(receipts.Receipt(jid.JID{}, id)); !ok || again != id {
			t.Fatalf("round trip %q, want %q", again, id)
		}
	})
}
