package xmppraw

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestDialProsody logs in with each mechanism against the local Prosody
// (skipped when the servers are not running) and reads back a message sent
// to itself.
func TestDialProsody(t *testing.T) {
	env, err := LoadEnv()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err) // with CI=true a missing server is a failure
		}
		t.Skipf("%v (start the servers with: make servers)", err)
	}
	release, err := env.Lock("user40")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	tlsCfg, err := env.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, mech := range []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"} {
		t.Run(mech, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := Dial(ctx, env.Addr, env.Domain, tlsCfg, env.Account("user40"), mech)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if want := "user40@" + env.Domain + "/"; len(c.JID) <= len(want) || c.JID[:len(want)] != want {
				t.Fatalf("bound JID %q, want %s<resource>", c.JID, want)
			}
			for i := range 3 {
				fmt.Fprintf(c, "<message to='%s' type='chat' id='m%d'><body>hi %d</body><no-store xmlns='urn:xmpp:hints'/></message>", c.JID, i, i)
			}
			c.Conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			got := 0
			if err := c.Count([]byte("</message>"), func(n int) bool { got = n; return n < 3 }); err != nil {
				t.Fatalf("after %d messages: %v", got, err)
			}
			if got != 3 {
				t.Fatalf("counted %d messages, want 3", got)
			}
		})
	}
}

// TestArchiving turns an account's archiving off and back on (the
// server's default policy here is to archive).
func TestArchiving(t *testing.T) {
	env, err := LoadEnv()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err) // with CI=true a missing server is a failure
		}
		t.Skipf("%v (start the servers with: make servers)", err)
	}
	release, err := env.Lock("user40")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	tlsCfg, err := env.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, def := range []string{"never", "always"} {
		if err := env.Archiving(ctx, tlsCfg, def, "user40"); err != nil {
			t.Fatalf("%s: %v", def, err)
		}
	}
}
