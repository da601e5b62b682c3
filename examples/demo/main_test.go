package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"parley.dev/xmpp/internal/testenv"
)

// TestDemo runs every step of the demo against Prosody with two pool
// accounts and checks the lines a newcomer reads.
func TestDemo(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	alice, bob := srv.Account(t), srv.Account(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, []string{"-server", srv.Addr, "-ca", srv.CAFile,
		"-alice", alice.JID, "-alice-password", alice.Password,
		"-bob", bob.JID, "-bob-password", bob.Password}, &out)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	want := []string{
		"alice              logged in as " + alice.JID + "/parley-demo",
		"bob                logged in as " + bob.JID + "/parley-demo",
		`alice → bob        subscribe (roster name "Bob", group "Friends")`,
		`bob → alice        subscribed (bob's policy: accept-all)`,
		`bob → alice        subscribe (roster name "Alice", group "Friends")`,
		`alice → bob        subscribed (alice's policy: accept-all)`,
		"alice roster       " + pad(bob.JID) + `name "Bob", subscription both, groups [Friends]`,
		"bob roster         " + pad(alice.JID) + `name "Alice", subscription both, groups [Friends]`,
		"alice presence     " + pad(bob.JID+"/parley-demo") + `show chat, status "Trying Parley", priority 6`,
		"bob presence       " + pad(alice.JID+"/parley-demo") + `show chat, status "Trying Parley", priority 5`,
		`alice → bob        presence available, status "Trying Parley"`,
		`bob → alice        presence available, status "Trying Parley"`,
		`alice → bob        message "Hello, Bob!"`,
		`bob → alice        message "Hi Alice, it works."`,
		`alice → bob        oob offer https://example.org/parley-demo.txt ("A file for Bob")`,
		"bob                got the offer of https://example.org/parley-demo.txt from " + alice.JID + "/parley-demo and accepted it",
		"alice              offer accepted",
		"alice → bob        iq get jabber:iq:version (which software do you run?)",
		"bob → alice        iq result: Parley demo 0.1",
		"alice → " + srv.Domain + "  ping answered in ",
		"alice → bob        presence unavailable",
		"alice, bob         logged out",
		"All 10 steps done.",
	}
	text := out.String()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q; got:\n%s", w, text)
		}
	}
}

// pad is the demo's JID column: 28 characters and a space.
func pad(s string) string { return fmt.Sprintf("%-28s ", s) }

func TestDemoFlags(t *testing.T) {
	for _, args := range [][]string{{"-alice", "@@"}, {"extra"}, {"-ca", "/nonexistent"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
