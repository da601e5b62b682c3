package ping_test

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

func TestRealServerPing(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			// Client to server (XEP-0199 §4.2).
			rtt, err := ping.Ping(ctx, a, jid.MustParse(srv.Domain))
			if err != nil || rtt <= 0 {
				t.Fatalf("server ping: %v %v", rtt, err)
			}
			t.Logf("%s: server round trip %v", name, rtt)

			// Keepalive: answered pings, no disconnect.
			results := make(chan error, 16)
			remove, err := a.Add(ping.New(&ping.Config{
				Interval: 20 * time.Millisecond,
				Timeout:  10 * time.Second,
				OnPing:   func(rtt time.Duration, err error) { results <- err },
			}))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if err := <-results; err != nil {
					t.Fatalf("keepalive: %v", err)
				}
			}
			remove()
			if a.State() != xmpp.StateReady {
				t.Errorf("state %v", a.State())
			}

			// Client to client (XEP-0199 §4.3).
			if _, err := b.Add(ping.New(nil)); err != nil {
				t.Fatal(err)
			}
			rtt, err = ping.Ping(ctx, a, b.JID())
			if err != nil || rtt <= 0 {
				t.Fatalf("client ping: %v %v", rtt, err)
			}
			t.Logf("%s: client round trip %v", name, rtt)
			if _, err := ping.Ping(ctx, b, a.JID()); !errors.As(err, new(stanza.Error)) {
				t.Errorf("ping to a client without the extension: %v", err)
			}
		})
	}
}
