package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// TestExtension runs the example's query mode against a bot session that
// has LastActivity added and checks that removing the extension takes its
// feature away. Prosody only: jabberd2 answers disco#info sent to a
// client's full JID itself, and ejabberd's mod_last refuses jabber:iq:last
// requests to a client (service-unavailable) unless the asker has a
// presence subscription, as XEP-0012 §4 allows.
func TestExtension(t *testing.T) {
	for _, name := range []string{"prosody"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			acct := srv.Account(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			bot, err := client.Dial(ctx, jid.MustParse(acct.JID), &client.Config{Password: acct.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()})
			if err != nil {
				t.Fatal(err)
			}
			defer bot.Close()
			var elapsed atomic.Int64 // the bot's clock, read by its handler goroutine
			start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			la := &LastActivity{Now: func() time.Time { return start.Add(time.Duration(elapsed.Load())) }}
			if _, err := bot.Add(disco.New(nil)); err != nil {
				t.Fatal(err)
			}
			remove, err := bot.Add(la)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(bot.Features(), NSLast) {
				t.Fatalf("features %v", bot.Features())
			}
			elapsed.Add(int64(42 * time.Second))

			user := srv.Account(t)
			var out bytes.Buffer
			args := []string{"-jid", user.JID, "-password", user.Password, "-server", srv.Addr, "-ca", srv.CAFile, "-query", bot.JID().String()}
			if err := run(ctx, args, &out); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("%s idle 42s \"\"\n", bot.JID()); out.String() != want {
				t.Errorf("output %q, want %q", out.String(), want)
			}

			// A chat message counts as activity.
			userS, err := client.Dial(ctx, jid.MustParse(user.JID), &client.Config{Password: user.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()})
			if err != nil {
				t.Fatal(err)
			}
			defer userS.Close()
			seen := make(chan struct{})
			bot.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
				close(seen)
				return nil
			})
			m := stanza.NewMessage(stanza.MessageChat, bot.JID())
			m.AddBody("", "hello bot")
			userS.Send(ctx, m)
			<-seen
			elapsed.Add(int64(5 * time.Second))
			idle, status, err := QueryLast(ctx, userS, bot.JID())
			if err != nil || idle != 5*time.Second || status != "last said: hello bot" {
				t.Errorf("after a message: %v %q %v", idle, status, err)
			}

			remove()
			out.Reset()
			err = run(ctx, args, &out)
			if err == nil || !strings.Contains(err.Error(), "does not advertise") {
				t.Errorf("after remove: %v (output %q)", err, out.String())
			}
		})
	}
}
