package integration

import (
	"testing"

	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestMessagesAndPresence: two accounts exchange directed presence (RFC 6121
// §4.6) and chat messages (RFC 6121 §5) to full and bare JIDs, on every
// server; each side's handlers see the typed stanza with the sender's full
// JID.
func TestMessagesAndPresence(t *testing.T) {
	t.Parallel()
	for _, name := range servers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			alice, bob := login(t, srv, nil), login(t, srv, nil)
			aliceIn, bobIn := make(inbox, 64), make(inbox, 64)
			alice.s.HandleMessage("", aliceIn.handler())
			bob.s.HandleMessage("", bobIn.handler())
			bobPres := make(inbox, 64)
			bob.s.HandleStanza(stanza.KindPresence, bobPres.handler())
			alice.available(t)
			bob.available(t)
			ctx := testCtx(t)
			aliceJID, bobJID := alice.s.JID(), bob.s.JID()
			tok := token(t)

			// Directed presence with a status, alice → bob's full JID.
			p := stanza.NewPresence(stanza.PresenceAvailable, bobJID)
			p.SetShow(stanza.ShowChat)
			p.SetStatus("", "status "+tok)
			if err := alice.s.Send(ctx, p); err != nil {
				t.Fatal(err)
			}
			// alice's earlier broadcasts (a subscription left by another
			// test of the run routes them to bob) may come first: wait for
			// this test's presence, recognised by its token.
			e := bobPres.next(t, "alice's presence", func(e *xmlstream.Element) bool {
				return e.Get("from") == aliceJID.String() && e.ChildText("", "status") == "status "+tok
			})
			got, err := stanza.PresenceFromElement(e)
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != stanza.PresenceAvailable || got.Show() != stanza.ShowChat || got.Status("") != "status "+tok {
				t.Errorf("presence %v: want available, show chat, status %q", e, "status "+tok)
			}

			// A chat message to the full JID, answered to the full JID.
			m := stanza.NewMessage(stanza.MessageChat, bobJID)
			m.AddBody("", "hello "+tok)
			m.SetThread("th-"+tok, "")
			if err := alice.s.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			e = bobIn.next(t, "alice's message", withBody("hello "+tok))
			msg, err := stanza.MessageFromElement(e)
			if err != nil {
				t.Fatal(err)
			}
			if !msg.From.Equal(aliceJID) || msg.Type != stanza.MessageChat || e.ChildText("", "thread") != "th-"+tok {
				t.Errorf("bob got %v: want a chat from %v in thread th-%s", e, aliceJID, tok)
			}
			r := stanza.NewMessage(stanza.MessageChat, msg.From)
			r.AddBody("", "hi "+tok)
			if err := bob.s.Send(ctx, r); err != nil {
				t.Fatal(err)
			}
			e = aliceIn.next(t, "bob's reply", withBody("hi "+tok))
			if e.Get("from") != bobJID.String() {
				t.Errorf("reply from %q, want %v", e.Get("from"), bobJID)
			}

			// A message to the bare JID reaches the available resource.
			m = stanza.NewMessage(stanza.MessageChat, bobJID.Bare())
			m.AddBody("", "bare "+tok)
			if err := alice.s.SendRaw(ctx, string(m.AppendXML(nil))); err != nil {
				t.Fatal(err)
			}
			bobIn.next(t, "message to the bare JID", withBody("bare "+tok))

			// Unavailable presence ends it (RFC 6121 §4.5.2).
			if err := alice.s.Send(ctx, stanza.NewPresence(stanza.PresenceUnavailable, bobJID)); err != nil {
				t.Fatal(err)
			}
			bobPres.next(t, "alice's unavailable presence", func(e *xmlstream.Element) bool {
				return e.Get("from") == aliceJID.String() && e.Get("type") == "unavailable"
			})
		})
	}
}
