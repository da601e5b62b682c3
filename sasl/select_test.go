package sasl

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var (
	// Offers seen from the test servers (servers.md, jabberd2.md).
	prosody13   = []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"}
	prosody12   = []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"}
	ejabberd    = []string{"DIGEST-MD5", "PLAIN", "SCRAM-SHA-512-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"}
	jabberd2C2S = []string{"PLAIN", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}

	cbUnique   = &ChannelBinding{Type: BindingTLSUnique, Data: []byte("finished")}
	cbExporter = &ChannelBinding{Type: BindingTLSExporter, Data: []byte("exported")}
	cbEndPoint = &ChannelBinding{Type: BindingTLSServerEndPoint, Data: []byte("certhash")}
)

func TestSelect(t *testing.T) {
	user := Credentials{Username: "alice", Password: "alicepass"}
	anon := Credentials{}
	for i, tc := range []struct {
		offered []string
		cred    Credentials
		cfg     *Config
		want    string // mechanism name, "" = ErrNoMechanism
		gs2     string // expected start of the initial response, if set
	}{
		0:  {prosody13, user, nil, "SCRAM-SHA-256", "n,,"},
		1:  {prosody13, user, &Config{TLS: true, ChannelBinding: cbExporter}, "SCRAM-SHA-256", "y,,"}, // no -PLUS offered: y
		2:  {prosody12, user, &Config{TLS: true, ChannelBinding: cbUnique}, "SCRAM-SHA-256-PLUS", "p=tls-unique,,"},
		3:  {prosody12, user, &Config{TLS: true}, "SCRAM-SHA-256", "n,,"},
		4:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbUnique}, "SCRAM-SHA-512-PLUS", "p=tls-unique,,"},
		5:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbExporter}, "SCRAM-SHA-512", "n,,"}, // TLS 1.3, server knows only tls-unique
		6:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbExporter, ServerTypes: []string{"tls-exporter"}}, "SCRAM-SHA-512-PLUS", "p=tls-exporter,,"},
		7:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbUnique, ServerTypes: []string{"tls-exporter"}}, "SCRAM-SHA-512", "n,,"},
		8:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbEndPoint, ServerTypes: []string{"tls-server-end-point"}}, "SCRAM-SHA-512-PLUS", "p=tls-server-end-point,,"},
		9:  {ejabberd, user, &Config{TLS: true, ChannelBinding: cbEndPoint}, "SCRAM-SHA-512", "n,,"},
		10: {jabberd2C2S, user, &Config{TLS: true, Host: "jabberd2.localhost"}, "SCRAM-SHA-256", "n,,"},
		11: {[]string{"DIGEST-MD5"}, Credentials{Username: "comp", Password: "s"}, &Config{Host: "localhost", Service: "jabberd-router"}, "DIGEST-MD5", ""},
		12: {[]string{"DIGEST-MD5"}, user, nil, "", ""},                                                             // no Host
		13: {jabberd2C2S, user, &Config{TLS: true, Host: "x", Mechanisms: []string{"DIGEST-MD5", "PLAIN"}}, "", ""}, // SCRAM offered
		14: {[]string{"DIGEST-MD5", "PLAIN"}, user, &Config{TLS: true, Host: "x"}, "DIGEST-MD5", ""},
		15: {[]string{"PLAIN"}, user, &Config{TLS: true}, "PLAIN", "\x00alice\x00"},
		16: {[]string{"PLAIN"}, user, nil, "", ""},
		17: {[]string{"PLAIN"}, user, &Config{AllowPlainWithoutTLS: true}, "PLAIN", ""},
		18: {prosody13, user, &Config{TLS: true, Mechanisms: []string{"PLAIN"}}, "", ""},
		19: {prosody13, user, &Config{TLS: true, Mechanisms: []string{"PLAIN"}, AllowPlainWhenScramOffered: true}, "PLAIN", ""},
		20: {[]string{"SCRAM-SHA-1-PLUS", "PLAIN"}, user, &Config{TLS: true}, "", ""}, // cannot bind, SCRAM offered
		21: {[]string{"EXTERNAL", "SCRAM-SHA-256"}, user, &Config{TLS: true, External: true}, "EXTERNAL", ""},
		22: {[]string{"EXTERNAL", "SCRAM-SHA-256"}, user, &Config{TLS: true}, "SCRAM-SHA-256", "n,,"},
		23: {[]string{"EXTERNAL"}, anon, &Config{External: true}, "EXTERNAL", ""},
		24: {[]string{"ANONYMOUS", "PLAIN"}, anon, &Config{TLS: true, Anonymous: true}, "ANONYMOUS", ""},
		25: {[]string{"ANONYMOUS", "PLAIN"}, anon, &Config{TLS: true}, "", ""},
		26: {[]string{"ANONYMOUS", "PLAIN"}, user, &Config{TLS: true, Anonymous: true}, "PLAIN", ""},
		27: {[]string{"SCRAM-SHA-256"}, anon, &Config{TLS: true}, "", ""},
		28: {[]string{"X-OAUTH2", "GSSAPI"}, user, &Config{TLS: true}, "", ""},
		29: {nil, user, &Config{TLS: true}, "", ""},
		30: {[]string{" SCRAM-SHA-1\n", "\tPLAIN "}, user, &Config{TLS: true}, "SCRAM-SHA-1", "n,,"},
		31: {ejabberd, user, &Config{TLS: true, Mechanisms: []string{"SCRAM-SHA-1", "SCRAM-SHA-256"}}, "SCRAM-SHA-1", "n,,"},
		32: {[]string{"SCRAM-SHA-256"}, user, &Config{TLS: true, ChannelBinding: cbUnique}, "SCRAM-SHA-256", "y,,"}, // -PLUS stripped: y
		33: {ejabberd, user, &Config{TLS: true, ChannelBinding: cbUnique, Mechanisms: []string{"SCRAM-SHA-256"}}, "SCRAM-SHA-256", "n,,"},
		// DIGEST-MD5 next to SCRAM only when allowed, and then only in
		// the caller's order: the flag does not promote it.
		34: {jabberd2C2S, user, &Config{TLS: true, Host: "x", Mechanisms: []string{"DIGEST-MD5"}, AllowDigestMD5WhenScramOffered: true}, "DIGEST-MD5", ""},
		35: {ejabberd, user, &Config{TLS: true, Host: "x", Mechanisms: []string{"DIGEST-MD5", "SCRAM-SHA-1"}, AllowDigestMD5WhenScramOffered: true}, "DIGEST-MD5", ""},
		36: {ejabberd, user, &Config{TLS: true, Host: "x", AllowDigestMD5WhenScramOffered: true}, "SCRAM-SHA-512", "n,,"},
		37: {jabberd2C2S, user, &Config{TLS: true, Mechanisms: []string{"DIGEST-MD5"}, AllowDigestMD5WhenScramOffered: true}, "", ""},          // still needs Host
		38: {prosody13, user, &Config{TLS: true, Host: "x", Mechanisms: []string{"DIGEST-MD5"}, AllowDigestMD5WhenScramOffered: true}, "", ""}, // not offered
	} {
		m, err := Select(tc.offered, tc.cred, tc.cfg)
		if tc.want == "" {
			if !errors.Is(err, ErrNoMechanism) {
				t.Errorf("%d: Select = %v, %v; want ErrNoMechanism", i, m, err)
			}
			continue
		}
		if err != nil || m.Name() != tc.want {
			t.Errorf("%d: Select = %v, %v; want %s", i, m, err, tc.want)
			continue
		}
		first, err := m.Start()
		if err != nil {
			t.Errorf("%d: Start: %v", i, err)
			continue
		}
		if !bytes.HasPrefix(first, []byte(tc.gs2)) {
			t.Errorf("%d: initial response %q, want prefix %q", i, first, tc.gs2)
		}
	}
}

func TestSelectDetails(t *testing.T) {
	// The reason for refusing is in the error.
	_, err := Select([]string{"PLAIN"}, Credentials{Username: "u"}, nil)
	if err == nil || !strings.Contains(err.Error(), "PLAIN: stream not encrypted") {
		t.Fatalf("error %v", err)
	}
	// DIGEST-MD5 gets service "xmpp" by default.
	m, err := Select([]string{"DIGEST-MD5"}, Credentials{Username: "u"}, &Config{Host: "example.org"})
	if err != nil || m.(*digestMD5).digestURI != "xmpp/example.org" {
		t.Fatalf("DIGEST-MD5 %v %v", m, err)
	}
	// SCRAM options travel from the Config.
	cache := NewSaltCache(1)
	cfg := &Config{TLS: true, SaltCache: cache, MinIterations: 1, MaxIterations: 10, Rand: bytes.NewReader(make([]byte, 24))}
	m, err = Select([]string{"SCRAM-SHA-1"}, Credentials{Username: "u"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := m.(*scram)
	if s.opts.cache != cache || s.opts.minIter != 1 || s.opts.maxIter != 10 {
		t.Fatalf("options %+v", s.opts)
	}
	first, _ := m.Start()
	if string(first) != "n,,n=u,r=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" {
		t.Fatalf("nonce not from Config.Rand: %q", first)
	}
	// Anonymous trace.
	m, _ = Select([]string{"ANONYMOUS"}, Credentials{}, &Config{Anonymous: true, AnonymousTrace: "t@example"})
	if first, _ := m.Start(); string(first) != "t@example" {
		t.Fatalf("trace %q", first)
	}
}
