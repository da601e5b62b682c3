package version_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

func TestRealServerVersion(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			info, err := version.Get(ctx, a, jid.MustParse(srv.Domain))
			if err != nil || info.Name == "" || info.Version == "" {
				t.Errorf("server version: %+v %v", info, err)
			}
			t.Logf("%s: server runs %+v", name, info)
			want := version.Info{Name: "Parley test", Version: "1.2.3", OS: "Go"}
			if _, err := b.Add(version.New(want)); err != nil {
				t.Fatal(err)
			}
			got, err := version.Get(ctx, a, b.JID())
			if err != nil || got != want {
				t.Errorf("client version: %+v %v", got, err)
			}
		})
	}
}
