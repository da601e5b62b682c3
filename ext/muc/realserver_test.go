package muc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/muc"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// TestRealServerRoom: join a new room (created and unlocked), post and see
// the reflection, a second occupant with the same nick is refused, leave.
func TestRealServerRoom(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			if srv.MUC == "" {
				t.Fatalf("%s: the rig has no MUC service", name)
			}
			a, b := xmpptest.Dial(t, srv), xmpptest.Dial(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			room := jid.MustParse("parley-" + strings.ToLower(xmpp.NewID()) + "@" + srv.MUC)
			occupant, _ := room.WithResource("alerts")
			r, err := muc.Join(ctx, a, occupant)
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			if !r.Created {
				t.Fatal("a fresh room was not reported as created")
			}
			if err := r.Send(ctx, "deploy finished"); err != nil {
				t.Fatalf("send: %v", err)
			}
			// The nick is taken: the room refuses a second occupant with it
			// (XEP-0045 §7.2.9, conflict).
			if _, err := muc.Join(ctx, b, occupant); !errors.Is(err, stanza.Error{Condition: stanza.Conflict}) {
				t.Fatalf("second join with the same nick: %v, want conflict", err)
			}
			if err := r.Leave(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.Send(ctx, "after leaving"); !errors.Is(err, muc.ErrLeft) {
				t.Fatalf("send after leave: %v", err)
			}
		})
	}
}
