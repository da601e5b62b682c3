package client

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"parley.dev/xmpp/jid"
)

// logCapture is a slog.Handler that keeps every record, so that a test can
// check what the Connector logged (Config.Logger).
type logCapture struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *logCapture) Enabled(context.Context, slog.Level) bool { return true }

func (l *logCapture) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.recs = append(l.recs, r.Clone())
	l.mu.Unlock()
	return nil
}

func (l *logCapture) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logCapture) WithGroup(string) slog.Handler      { return l }

// at returns the records logged at level.
func (l *logCapture) at(level slog.Level) []slog.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []slog.Record
	for _, r := range l.recs {
		if r.Level == level {
			out = append(out, r)
		}
	}
	return out
}

// recordAttr returns the value of attribute key of r, "" when absent.
func recordAttr(r slog.Record, key string) string {
	var v string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}

// TestInsecureSkipTLSVerify: the peer's certificate is for example.test and
// the account is on other.example, so verification against the JID's domain
// (RFC 6120 §13.7.2.1) fails. Config.InsecureSkipTLSVerify lets the
// connection through, over STARTTLS and direct TLS (XEP-0368), and the
// Connector says so with one Warn per connection: turning verification off
// must never be silent. The quiet way, tls.Config.InsecureSkipVerify in
// Config.TLSConfig, is overridden and still refuses the certificate; a
// verified connection logs no warning.
func TestInsecureSkipTLSVerify(t *testing.T) {
	wrongName := jid.MustParse("juliet@other.example")
	tests := []struct {
		name       string
		direct     bool
		insecure   bool // Config.InsecureSkipTLSVerify
		tlsInsec   bool // Config.TLSConfig.InsecureSkipVerify
		account    jid.JID
		wantRefuse bool
		wantWarns  int
	}{
		{"starttls insecure", false, true, false, wrongName, false, 1},
		{"direct insecure", true, true, false, wrongName, false, 1},
		{"starttls verified", false, false, false, testJID, false, 0},
		{"starttls TLSConfig.InsecureSkipVerify ignored", false, false, true, wrongName, true, 0},
		{"direct TLSConfig.InsecureSkipVerify ignored", true, false, true, wrongName, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			domain := tt.account.Domainpart()
			addr, wait := runPeer(t, func(p *peer) {
				if !tt.direct {
					p.open(featStartTLS)
					p.expect("<starttls")
					p.expect(">")
					p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
				}
				if tt.wantRefuse {
					// The client aborts the handshake: no script failure.
					tls.Server(p.c, p.tlsCfg).Handshake()
					return
				}
				p.handshake()
				p.open(featMechs("PLAIN"))
				p.plainAuth()
				p.open(featBind)
				p.bind("juliet@" + domain + "/r")
				p.hold()
			})
			var logs logCapture
			cfg := testConfig(t, addr)
			cfg.DirectTLS = tt.direct
			cfg.InsecureSkipTLSVerify = tt.insecure
			cfg.TLSConfig.InsecureSkipVerify = tt.tlsInsec
			cfg.Logger = slog.New(&logs)
			s, err := connect(t, tt.account, cfg)
			if s != nil {
				s.Conn.Close()
			}
			wait()
			if tt.wantRefuse {
				var ce *ConnectError
				var cv *tls.CertificateVerificationError
				if !errors.As(err, &ce) || ce.Step != StepTLS || !errors.As(err, &cv) {
					t.Fatalf("err %v, want a certificate verification error at %s", err, StepTLS)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if s.TLS == nil || s.JID.String() != "juliet@"+domain+"/r" {
					t.Fatalf("stream TLS %v JID %v", s.TLS != nil, s.JID)
				}
				if got := s.TLS.PeerCertificates[0].DNSNames[0]; got != testDomain {
					t.Errorf("peer certificate for %q, want the test certificate", got)
				}
			}
			warns := logs.at(slog.LevelWarn)
			if len(warns) != tt.wantWarns {
				t.Fatalf("%d warnings, want %d: %v", len(warns), tt.wantWarns, warns)
			}
			for _, w := range warns {
				if !strings.Contains(w.Message, "InsecureSkipTLSVerify") || !strings.Contains(w.Message, "OFF") {
					t.Errorf("warning %q does not say that verification is off", w.Message)
				}
				if got := recordAttr(w, "domain"); got != domain {
					t.Errorf("warning domain %q, want %q", got, domain)
				}
				if got := recordAttr(w, "addr"); got != addr {
					t.Errorf("warning addr %q, want %q", got, addr)
				}
			}
		})
	}
}
