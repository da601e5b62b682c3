package receipts_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/chatstate"
	"parley.dev/xmpp/ext/receipts"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv and closes it when the
// test ends.
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session {
	t.Helper()
	acct := srv.Account(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := client.Dial(ctx, jid.MustParse(acct.JID), &client.Config{
		Password:    acct.Password,
		Server:      srv.Addr,
		TLSConfig:   srv.TLSConfig(),
		StepTimeout: 15 * time.Second,
	})
	if err != nil {
		t.Fatalf("%s: dial %s: %v", srv.Name, acct.JID, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

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
