package client_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
)

// offeredAfterSTARTTLS is every SASL mechanism each server offers on its
// STARTTLS port once TLS is up (RFC 6120 §6.3.3), as the rig configures
// them (TESTING.md; jabberd2.md §7). Only ejabberd and jabberd2 offer
// DIGEST-MD5 (RFC 2831, historic per RFC 6331): ejabberd because it stores
// plaintext passwords, jabberd2 because its c2s.xml lists it. ejabberd
// advertises -PLUS on TLS 1.3 too (tls-unique only, so unusable there).
var offeredAfterSTARTTLS = map[string][]string{
	"prosody": {"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"},
	"ejabberd": {"DIGEST-MD5", "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS",
		"SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-512-PLUS"},
	"jabberd2": {"DIGEST-MD5", "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"},
}

// forceDigestMD5 makes the Connector use DIGEST-MD5 and nothing else, next
// to the SCRAM the servers also offer. The Connector fills in sasl.Config's
// Host with the JID's domain: digest-uri "xmpp/<domain>".
func forceDigestMD5(cfg *client.Config) *client.Config {
	cfg.SASL = &sasl.Config{Mechanisms: []string{sasl.MechDigestMD5}, AllowDigestMD5WhenScramOffered: true}
	return cfg
}

// TestRealServerDigestMD5: the offer of each server is checked first, so a
// change in the rig fails here instead of silently testing less. Where
// DIGEST-MD5 is offered, a login forced onto it succeeds over STARTTLS and
// direct TLS (the server's rspauth verified, RFC 2831 §2.1.3), and a wrong
// password fails with the SASL failure not-authorized (RFC 6120 §6.5.10).
// Where it is not, forcing it is a permanent sasl.ErrNoMechanism at the
// SASL step, before anything is sent.
func TestRealServerDigestMD5(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			l := login{srv: srv, acct: srv.Account(t)}

			cfg := l.config(srv.Addr, false)
			offer := &offerLog{}
			cfg.Logger = slog.New(offer)
			l.dial(t, cfg, "")
			got := offer.get()
			slices.Sort(got)
			if want := offeredAfterSTARTTLS[name]; !slices.Equal(got, want) {
				t.Fatalf("offered after STARTTLS %q, want %q", got, want)
			}

			if !slices.Contains(got, sasl.MechDigestMD5) {
				c, err := client.NewConnector(jid.MustParse(l.acct.JID), forceDigestMD5(l.config(srv.Addr, false)))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.Connect(context.Background(), nil)
				var ce *client.ConnectError
				if !errors.Is(err, sasl.ErrNoMechanism) || !errors.As(err, &ce) || ce.Step != client.StepSASL || !xmpp.IsPermanent(err) {
					t.Errorf("DIGEST-MD5 forced on %s: err %v, want a permanent ErrNoMechanism at the SASL step", name, err)
				}
				return
			}
			t.Run("starttls", func(t *testing.T) {
				l.dial(t, forceDigestMD5(l.config(srv.Addr, false)), sasl.MechDigestMD5)
			})
			t.Run("directtls", func(t *testing.T) {
				l.dial(t, forceDigestMD5(l.config(srv.TLSAddr, true)), sasl.MechDigestMD5)
			})
			t.Run("wrong-password", func(t *testing.T) {
				bad := l
				bad.acct.Password = "wrong-" + randHex(4)
				bad.wantNotAuthorized(t, "DIGEST-MD5 with a wrong password", forceDigestMD5)
			})
		})
	}
}

// offerLog is a slog.Handler that keeps the mechanisms the server offered,
// from the Connector's debug record "client: SASL" (attribute offered), the
// last one when a login was retried.
type offerLog struct {
	mu      sync.Mutex
	offered []string
}

func (h *offerLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *offerLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "client: SASL" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if v, ok := a.Value.Any().([]string); ok && a.Key == "offered" {
			h.mu.Lock()
			h.offered = slices.Clone(v)
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h *offerLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *offerLog) WithGroup(string) slog.Handler      { return h }

func (h *offerLog) get() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.offered)
}
