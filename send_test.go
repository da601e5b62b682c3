package xmpp

import (
	"bytes"
	"context"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Send encodes the common stanzas straight into the write buffer; the bytes
// must be those of the element path (SendElement of Element()).
func TestSendDirectMatchesElementPath(t *testing.T) {
	bob := jid.MustParse("bob@localhost/x")
	built := stanza.NewMessage(stanza.MessageChat, bob)
	built.ID = "m1"
	built.Lang = "en"
	built.AddBody("", "hello <&> 'world'")
	built.AddBody("de", "hallo")
	built.AddPayload(xmlstream.New("urn:xmpp:hints", "no-store"), xmlstream.New("", "bare"))
	decoded, err := xmlstream.Parse([]byte(`<message xmlns='jabber:client' to='bob@localhost' type='chat' id='d1' extra='x'><body>hi</body><x xmlns='urn:a'><y/></x></message>`), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	decMsg, _ := stanza.MessageFromElement(decoded)
	foreign, err := xmlstream.Parse([]byte(`<message xmlns='jabber:server' to='bob@localhost' id='f1'><body>hi</body></message>`), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	forMsg, _ := stanza.MessageFromElement(foreign)
	pres := stanza.Presence{To: bob, ID: "p1"}
	pres.SetShow(stanza.ShowAway)
	pres.SetStatus("", "out")
	iq := stanza.IQ{Type: stanza.IQGet, To: bob, ID: "q1"}
	iq.El = xmlstream.New("", "iq")
	iq.El.AppendChild(xmlstream.New("urn:xmpp:ping", "ping"))
	for i, st := range []Stanza{built, stanza.NewMessage(stanza.MessageNormal, bob), decMsg, forMsg, pres, stanza.Presence{}, iq} {
		var got, want [][]byte
		s, _, p := newTestSession(t, &Config{OnSend: func(b []byte) { got = append(got, bytes.Clone(b)) }})
		if err := s.Send(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		p.next()
		s2, _, p2 := newTestSession(t, &Config{OnSend: func(b []byte) { want = append(want, bytes.Clone(b)) }})
		if err := s2.SendElement(context.Background(), st.Element()); err != nil {
			t.Fatal(err)
		}
		p2.next()
		if len(got) != 1 || len(want) != 1 || !bytes.Equal(got[0], want[0]) {
			t.Errorf("%d: Send wrote %q, the element path %q", i, got, want)
		}
	}
}
