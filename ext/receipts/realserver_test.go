package receipts_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/chatstate"
	"parley.dev/xmpp/ext/receipts"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

// TestRealServerReceipts: a message with a receipt request and a chat
// state goes through the server; the recipient acknowledges it.
func TestRealServerReceipts(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			acks := make(chan string, 1)
			if _, err := a.Add(receipts.New(&receipts.Config{OnReceived: func(ctx context.Context, from jid.JID, id string) {
				if from.Equal(b.JID()) {
					acks <- id
				}
			}})); err != nil {
				t.Fatal(err)
			}
			states := make(chan chatstate.State, 1)
			b.Add(receipts.New(&receipts.Config{AutoAnswer: true}))
			b.Add(chatstate.New(&chatstate.Config{OnState: func(ctx context.Context, from jid.JID, s chatstate.State, m stanza.Message) {
				states <- s
			}}))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			m := stanza.NewMessage(stanza.MessageChat, b.JID())
			m.AddBody("", "did you get this?")
			chatstate.Set(&m, chatstate.Active)
			id := receipts.Request(&m)
			if err := a.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-acks:
				if got != id {
					t.Errorf("receipt for %q, want %q", got, id)
				}
			case <-ctx.Done():
				t.Fatal("no receipt")
			}
			if s := <-states; s != chatstate.Active {
				t.Errorf("chat state %q", s)
			}
		})
	}
}
