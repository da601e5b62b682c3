package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestEchoBot runs the bot on a pool account of each server and writes to
// its bare JID from another.
func TestEchoBot(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			botAcct, userAcct := srv.Account(t), srv.Account(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			dial := func(a testenv.Account) *xmpp.Session {
				s, err := client.Dial(ctx, jid.MustParse(a.JID), &client.Config{Password: a.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()})
				if err != nil {
					t.Fatalf("login %s: %v", a.JID, err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			bot, user := dial(botAcct), dial(userAcct)
			var log syncBuffer
			if err := Start(ctx, bot, &log); err != nil {
				t.Fatal(err)
			}
			got := make(chan stanza.Message, 8)
			user.HandleMessage("", func(_ context.Context, in *xmpp.Incoming) error {
				select {
				case got <- *in.Message:
				default:
				}
				return xmpp.Handled
			})
			// A round trip on the bot's stream after its presence: the
			// server has then processed the presence, and the bare JID
			// has an available resource.
			ping := stanza.NewIQ(stanza.IQGet, bot.JID().Domain(), xmlstream.New("urn:xmpp:ping", "ping"))
			if _, err := bot.SendIQ(ctx, ping); err != nil {
				t.Fatal(err)
			}
			m := stanza.NewMessage(stanza.MessageChat, jid.MustParse(botAcct.JID))
			m.AddBody("", "echo "+name)
			m.SetThread("t-"+name, "")
			if err := user.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			for {
				select {
				case r := <-got:
					if r.Body("") != "echo "+name {
						continue // left on the pool account by an earlier test
					}
					if !r.From.Equal(bot.JID()) || r.Type != stanza.MessageChat || r.El.ChildText("", "thread") != "t-"+name {
						t.Errorf("echo %v, want a chat from %v in thread t-%s", r.Element(), bot.JID(), name)
					}
					if !strings.Contains(log.String(), user.JID().String()+`: "echo `+name+`"`) {
						t.Errorf("log %q", log.String())
					}
					return
				case <-ctx.Done():
					t.Fatal("no echo")
				}
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the handler goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"-jid", "@bad"}, {"-jid", "a@b", "-ca", "/nonexistent"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
