package time_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	xtime "parley.dev/xmpp/ext/time"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

func TestRealServerTime(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			fixed := time.Date(2030, 7, 4, 9, 15, 0, 0, time.FixedZone("", 2*3600))
			if _, err := b.Add(xtime.New(&xtime.Config{Now: func() time.Time { return fixed }})); err != nil {
				t.Fatal(err)
			}
			got, err := xtime.Get(ctx, a, b.JID())
			if err != nil || !got.Equal(fixed) || got.Format(time.RFC3339) != "2030-07-04T09:15:00+02:00" {
				t.Errorf("client time: %v %v", got, err)
			}
			// The server's clock: all three servers answer.
			st, err := xtime.Get(ctx, a, jid.MustParse(srv.Domain))
			if err != nil || st.IsZero() {
				t.Errorf("server time: %v %v", st, err)
			}
			t.Logf("%s: server time %v", name, st)
		})
	}
}
