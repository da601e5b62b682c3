package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// TestPingVersion: ping the server (--count 3: three lines and a summary)
// and a running parley listen; ask both their software version.
func TestPingVersion(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := newAcct(t, srv), newAcct(t, srv)
			r := runParley(t, nil, "", a.args("ping", "--count", "3", "--interval", "1ms")...)
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if r.code != 0 || len(lines) != 4 {
				t.Fatalf("ping: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			re := regexp.MustCompile(`^reply from ` + regexp.QuoteMeta(srv.Domain) + `: seq=\d time=\d+\.\d\d ms$`)
			for _, l := range lines[:3] {
				if !re.MatchString(l) {
					t.Errorf("line %q", l)
				}
			}
			if !strings.HasPrefix(lines[3], "3 pings: min ") {
				t.Errorf("summary %q", lines[3])
			}

			l := startParley(t, nil, b.args("listen", "--resource", "pv", "--debug")...)
			l.waitNotice("listening as")
			full := b.JID + "/pv"
			r = runParley(t, nil, "", a.args("ping", full)...)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "reply from "+full+": seq=1 time=") {
				t.Errorf("ping client: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			r = runParley(t, nil, "", a.args("version", "--json", full)...)
			var v struct{ Name, Version, OS string }
			if err := json.Unmarshal([]byte(r.stdout), &v); r.code != 0 || err != nil || v.Name != "parley" || v.Version == "" || v.OS != "" {
				t.Errorf("version of parley: exit %d, %q, %v", r.code, r.stdout, err)
			}
			r = runParley(t, nil, "", a.args("version", srv.Domain)...)
			if r.code != 0 || strings.TrimSpace(r.stdout) == "" {
				t.Errorf("version of the server: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			// A full JID nobody uses: the server answers with an error.
			r = runParley(t, nil, "", a.args("ping", b.JID+"/nobody")...)
			if r.code != exitRemote {
				t.Errorf("ping nobody: exit %d, stderr %q; want 5", r.code, r.stderr)
			}
		})
	}
}

// TestEchoAcceptSubscriptions: with --accept-subscriptions the bot approves
// a subscription request and asks for one back.
func TestEchoAcceptSubscriptions(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	bot, user := newAcct(t, srv), newAcct(t, srv)
	// Start and end with no subscription between the two pool accounts:
	// removing the roster items cancels subscriptions both ways.
	unsubscribe := func() {
		runParley(t, nil, "", bot.args("roster remove", user.JID)...)
		runParley(t, nil, "", user.args("roster remove", bot.JID)...)
	}
	unsubscribe()
	t.Cleanup(unsubscribe)
	p := startParley(t, nil, bot.args("echo", "--accept-subscriptions", "--debug")...)
	p.waitNotice("echo bot online")
	s := dialLib(t, user)
	botJID := jid.MustParse(bot.JID)
	got := make(chan stanza.PresenceType, 4)
	s.HandleStanza(stanza.KindPresence, func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Presence.From.Bare() == botJID {
			if typ := in.Presence.Type; typ == stanza.PresenceSubscribed || typ == stanza.PresenceSubscribe {
				got <- typ
				if typ == stanza.PresenceSubscribe { // answer, so the test leaves no pending request
					s.Send(ctx, stanza.NewPresence(stanza.PresenceSubscribed, botJID))
				}
			}
		}
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Subscription answers go to available resources only (RFC 6121 §3.1.5).
	if err := s.Send(ctx, stanza.NewPresence(stanza.PresenceAvailable, jid.JID{})); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, stanza.NewPresence(stanza.PresenceSubscribe, botJID)); err != nil {
		t.Fatal(err)
	}
	// The bot asks back only after approving (it saw its Policy answer).
	for {
		var typ stanza.PresenceType
		select {
		case typ = <-got:
		case <-ctx.Done():
			t.Fatalf("no subscription request back from the bot; bot stderr:\n%s", p.stderrText())
		}
		if typ == stanza.PresenceSubscribe {
			break
		}
	}
	// The approval was processed before the bot's request: the user's
	// roster shows a subscription to the bot.
	if it := rosterItems(t, user)[bot.JID]; it.Subscription != "to" && it.Subscription != "both" {
		t.Errorf("user's roster item for the bot: %+v, want subscription to or both", it)
	}
}
