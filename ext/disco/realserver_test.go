package disco_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

func TestRealServerDisco(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			// The server's own information.
			info, err := disco.GetInfo(ctx, a, jid.MustParse(srv.Domain), "")
			if err != nil {
				t.Fatalf("server disco#info: %v", err)
			}
			if !info.HasIdentity("server", "im") || !info.HasFeature(disco.NSInfo) {
				t.Errorf("server info: identities %v features %v", info.Identities, info.Features)
			}
			if _, err := disco.GetItems(ctx, a, jid.MustParse(srv.Domain), ""); err != nil {
				t.Errorf("server disco#items: %v", err)
			}

			// Another client: the features of its extensions appear.
			if name == "jabberd2" {
				// jabberd2's session manager answers disco#info sent to a
				// user's full JID itself (identity account/registered)
				// instead of routing it to the resource.
				t.Skip("jabberd2 does not route disco#info to clients")
			}
			if _, err := b.Add(disco.New(nil)); err != nil {
				t.Fatal(err)
			}
			remove, _ := b.Add(xmpp.ExtensionFunc(func(r *xmpp.Registrar) error {
				r.Feature("urn:example:parley-test")
				r.HandleIQ(stanza.IQGet, "urn:example:parley-test", func(ctx context.Context, in *xmpp.Incoming) error {
					return in.Reply(ctx, nil)
				})
				return nil
			}))
			info, err = disco.GetInfo(ctx, a, b.JID(), "")
			if err != nil {
				t.Fatalf("client disco#info: %v", err)
			}
			if !info.HasFeature("urn:example:parley-test") || !info.HasFeature(disco.NSItems) || !info.HasIdentity("client", "bot") {
				t.Errorf("client info: %+v", info)
			}
			remove()
			info, err = disco.GetInfo(ctx, a, b.JID(), "")
			if err != nil || info.HasFeature("urn:example:parley-test") {
				t.Errorf("after remove: %+v %v", info, err)
			}
		})
	}
}
