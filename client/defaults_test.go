package client_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
)

// Dial adds the disco and ping responders: another client can discover a
// freshly dialled one and ping it (issue: responders other than ping and
// disco are off unless enabled).
func TestDialAddsDiscoAndPing(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dial := func(a testenv.Account) *client.Config {
		return &client.Config{Password: a.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()}
	}
	a, b := srv.Account(t), srv.Account(t)
	sa, err := client.Dial(ctx, jid.MustParse(a.JID), dial(a))
	if err != nil {
		t.Fatal(err)
	}
	defer sa.Close()
	sb, err := client.Dial(ctx, jid.MustParse(b.JID), dial(b))
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	info, err := disco.GetInfo(ctx, sa, sb.JID(), "")
	if err != nil {
		t.Fatalf("disco#info of a dialled client: %v", err)
	}
	if !info.HasFeature(disco.NSInfo) || !info.HasFeature(ping.NS) {
		t.Fatalf("features %v lack disco#info or ping", info.Features)
	}
	if _, err := ping.Ping(ctx, sa, sb.JID()); err != nil {
		t.Fatalf("ping of a dialled client: %v", err)
	}
	// An explicit list replaces the defaults.
	c, err := client.Dial(ctx, jid.MustParse(a.JID), func() *client.Config {
		cfg := dial(a)
		cfg.Resource = "bare"
		cfg.Extensions = []xmpp.Extension{}
		return cfg
	}())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(c.Features()) != 0 {
		t.Fatalf("features %v with an empty extension list", c.Features())
	}
}
