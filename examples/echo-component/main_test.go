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
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// TestEcho connects the echo service to Prosody and asks it from a client.
func TestEcho(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	srv.LockComponent(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	comp, err := component.Dial(ctx, srv.ComponentAddr, srv.ComponentDomain, srv.ComponentSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer comp.Close()
	var log syncBuffer
	Echo(comp, &log)

	acct := srv.Account(t)
	user, err := client.Dial(ctx, jid.MustParse(acct.JID), &client.Config{Password: acct.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close()
	got := make(chan stanza.Message, 1)
	user.HandleMessage("", func(_ context.Context, in *xmpp.Incoming) error {
		got <- *in.Message
		return xmpp.Handled
	})
	to := jid.MustParse("echo@" + srv.ComponentDomain)
	m := stanza.NewMessage(stanza.MessageChat, to)
	m.AddBody("", "ping pong")
	m.SetThread("t1", "")
	if err := user.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if !r.From.Equal(to) || r.Body("") != "ping pong" || r.Type != stanza.MessageChat || r.El.ChildText("", "thread") != "t1" {
			t.Errorf("echo %v, want the chat back from %v in thread t1", r.Element(), to)
		}
	case <-ctx.Done():
		t.Fatal("no echo")
	}
	if want := user.JID().String() + " → " + to.String() + `: "ping pong"`; !strings.Contains(log.String(), want) {
		t.Errorf("log %q lacks %q", log.String(), want)
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
	for _, args := range [][]string{{}, {"-server", "127.0.0.1:1"}, {"-server", "x:1", "-domain", "d", "-protocol", "jabberd14"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
