package client

import (
	"context"
	"testing"
	"time"

	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/xmlstream"
)

func prosodyConnector(tb testing.TB, mech string) *Connector {
	srv := testenv.Server(tb, "prosody")
	acct := srv.Fixed("alice")
	cfg := &Config{Password: acct.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig(), StepTimeout: 15 * time.Second}
	if mech != "" {
		cfg.SASL = &sasl.Config{Mechanisms: []string{mech}, AllowPlainWhenScramOffered: true}
	}
	c, err := NewConnector(jid.MustParse(acct.JID), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func connectAndClose(tb testing.TB, c *Connector) {
	s, err := c.Connect(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s.Conn.SetDeadline(time.Now().Add(5 * time.Second))
	s.Conn.Write(xmlstream.AppendClose(nil))
	s.Conn.Close()
}

// TestSaltCacheAcrossReconnects: a Connector keeps one SCRAM salt cache for
// all its logins (a caller's cache is used as given). Prosody with
// internal_plain storage salts every login afresh, so its entries do not
// repeat; the cache hit itself is tested in the sasl package.
func TestSaltCacheAcrossReconnects(t *testing.T) {
	c := prosodyConnector(t, "SCRAM-SHA-256")
	cache := c.cfg.SASL.SaltCache
	connectAndClose(t, c)
	if cache.Len() != 1 {
		t.Fatalf("cache holds %d entries after one login, want 1", cache.Len())
	}
	connectAndClose(t, c)
	if n := cache.Len(); n != 1 && n != 2 {
		t.Errorf("cache holds %d entries after a reconnect", n)
	}
	mine := sasl.NewSaltCache(1)
	c2, _ := NewConnector(c.jid, &Config{SASL: &sasl.Config{SaltCache: mine}})
	if c2.cfg.SASL.SaltCache != mine {
		t.Errorf("the caller's SaltCache was replaced")
	}
}

// BenchmarkConnectProsody measures connect + STARTTLS + SCRAM-SHA-256 +
// bind against the local Prosody: "first" with a fresh Connector (PBKDF2
// runs), "reconnect" with the same one (salted password cached).
func BenchmarkConnectProsody(b *testing.B) {
	for _, m := range []string{"PLAIN", "SCRAM-SHA-256"} {
		b.Run("first/"+m, func(b *testing.B) {
			for b.Loop() {
				connectAndClose(b, prosodyConnector(b, m))
			}
		})
	}
	b.Run("reconnect", func(b *testing.B) {
		c := prosodyConnector(b, "SCRAM-SHA-256")
		connectAndClose(b, c)
		for b.Loop() {
			connectAndClose(b, c)
		}
	})
}
