package caps_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/caps"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

// TestRealServerCaps: b publishes its capabilities in a directed presence;
// a verifies the ver against b's disco#info through the server.
func TestRealServerCaps(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} { // jabberd2 answers disco#info for its clients itself
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			_, ca := withCaps(t, a, nil)
			_, cb := withCaps(t, b, &caps.Config{Node: "https://parley.dev/test"})
			b.Add(xmpp.ExtensionFunc(func(r *xmpp.Registrar) error {
				r.Feature("urn:example:parley-caps-test")
				return nil
			}))
			seen := make(chan struct{}, 1)
			a.HandlePresence(stanza.PresenceAvailable, func(ctx context.Context, in *xmpp.Incoming) error {
				if in.Presence.From.Equal(b.JID()) {
					seen <- struct{}{}
				}
				return nil
			})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			p := stanza.NewPresence(stanza.PresenceAvailable, a.JID())
			if err := cb.Attach(b, &p); err != nil {
				t.Fatal(err)
			}
			if err := b.Send(ctx, p); err != nil {
				t.Fatal(err)
			}
			select {
			case <-seen:
			case <-ctx.Done():
				t.Fatal("directed presence never arrived")
			}
			own, _ := cb.Claim(b)
			got, ok := ca.Claimed(b.JID())
			if !ok || got != own {
				t.Fatalf("claim %+v %v, want %+v", got, ok, own)
			}
			info, err := ca.Info(ctx, a, b.JID())
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if !info.HasFeature("urn:example:parley-caps-test") || !info.HasFeature(caps.NS) {
				t.Errorf("verified info %+v", info)
			}
			// A recomputes the same ver from what it received.
			if v, err := caps.Ver(info, caps.HashSHA1); err != nil || v != own.Ver {
				t.Errorf("recomputed %q %v, claimed %q", v, err, own.Ver)
			}
			if _, ok := ca.Cache().Get(caps.HashSHA1, own.Ver); !ok {
				t.Error("verified ver not cached")
			}
			// Verify without the cache, straight from the peer.
			if _, err := caps.Verify(ctx, a, b.JID(), own); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}
