package chatstate_test

import (
	"testing"

	"parley.dev/xmpp/ext/chatstate"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// FuzzOf: no panic; a valid state survives Set on a fresh message.
func FuzzOf(f *testing.F) {
	f.Add([]byte(`<message type='chat'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		m, err := stanza.MessageFromElement(el)
		if err != nil {
			return
		}
		s, ok := chatstate.Of(m)
		if !ok {
			return
		}
		var n stanza.Message
		chatstate.Set(&n, s)
		if again, ok := chatstate.Of(n); !ok || again != s {
			t.Fatalf("round trip %q", again)
		}
	})
}
