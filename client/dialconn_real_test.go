package client_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
)

// DialConn against Prosody: the test opens the TCP connection itself (to
// the STARTTLS port, or to the direct TLS port) and hands it over; the
// Session logs in, pings the server, and after Session.Reconnect comes back
// (resumed, XEP-0198, or bound anew) on a connection that
// Config.DialContext opened to Config.Server.
func TestDialConnProsody(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	for _, direct := range []bool{false, true} {
		name := map[bool]string{false: "starttls", true: "directtls"}[direct]
		t.Run(name, func(t *testing.T) {
			acct := srv.Account(t)
			addr := srv.Addr
			if direct {
				addr = srv.TLSAddr
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var nd net.Dialer
			conn, err := nd.DialContext(ctx, "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var dials []string
			back := make(chan xmpp.Status, 8)
			cfg := &client.Config{
				Password:    acct.Password,
				Server:      addr,
				DirectTLS:   direct,
				TLSConfig:   srv.TLSConfig(),
				StepTimeout: 15 * time.Second,
				DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
					mu.Lock()
					dials = append(dials, network+" "+a)
					mu.Unlock()
					return nd.DialContext(ctx, network, a)
				},
				Session: &xmpp.Config{
					Reconnect: &xmpp.Backoff{Min: time.Millisecond},
					OnEvent: func(e xmpp.Event) {
						if e.Status == xmpp.StatusReady || e.Status == xmpp.StatusResumed {
							back <- e.Status
						}
					},
				},
			}
			s, err := client.DialConn(ctx, conn, jid.MustParse(acct.JID), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			<-back // the first StatusReady, emitted before DialConn returned
			if s.JID().Bare().String() != acct.JID || s.JID().Resourcepart() == "" {
				t.Fatalf("bound %v for %s", s.JID(), acct.JID)
			}
			domain := jid.MustParse(srv.Domain)
			if _, err := ping.Ping(ctx, s, domain); err != nil {
				t.Fatalf("ping over the caller's connection: %v", err)
			}
			mu.Lock()
			n := len(dials)
			mu.Unlock()
			if n != 0 {
				t.Fatalf("DialContext called %d times before any reconnect", n)
			}

			if err := s.Reconnect(""); err != nil {
				t.Fatal(err)
			}
			select {
			case st := <-back:
				t.Logf("after Reconnect: %v", st)
			case <-ctx.Done():
				t.Fatalf("no reconnect: %v", s.Err())
			}
			if _, err := ping.Ping(ctx, s, domain); err != nil {
				t.Fatalf("ping after the reconnect: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(dials) != 1 || dials[0] != "tcp "+addr {
				t.Errorf("DialContext calls %q, want one to %s", dials, addr)
			}
		})
	}
}
