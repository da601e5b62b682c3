package testenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeCA writes a self-signed certificate for domain as PEM and returns its path.
func writeCA(t *testing.T, dir, domain string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: domain},
		DNSNames:              []string{domain},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, domain+".crt")
	writeFile(t, path, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	return path
}

// testEnv returns a complete env map for server "prosody" in dir, as up.sh writes it.
func testEnv(t *testing.T, dir, addr string) map[string]string {
	return map[string]string{
		"PARLEY_PROSODY_DIR":              dir,
		"PARLEY_PROSODY_DOMAIN":           "localhost",
		"PARLEY_PROSODY_ADDR":             addr,
		"PARLEY_PROSODY_TLS_ADDR":         "127.0.0.1:15223",
		"PARLEY_PROSODY_CA":               writeCA(t, dir, "localhost"),
		"PARLEY_PROSODY_COMPONENT_ADDR":   "127.0.0.1:15347",
		"PARLEY_PROSODY_COMPONENT_DOMAIN": "comp.localhost",
		"PARLEY_PROSODY_COMPONENT_SECRET": "compsecret",
		"PARLEY_PROSODY_MUC":              "conference.localhost",
		"PARLEY_PROSODY_UPLOAD":           "upload.localhost",
		"PARLEY_PROSODY_PUBSUB":           "pubsub.localhost",
		"PARLEY_PROSODY_HTTP":             "http://127.0.0.1:15280",
		"PARLEY_PROSODY_WEBSOCKET":        "ws://127.0.0.1:15280/xmpp-websocket",
		"PARLEY_PROSODY_BOSH":             "http://127.0.0.1:15280/http-bind",
		"PARLEY_PROSODY_TLS_MAX":          "1.2",
		"PARLEY_PROSODY_POOL":             "user01 user02  user03",
		"PARLEY_JABBERD2_ROUTER_USER":     "comp.jabberd2.localhost", // another server's key
	}
}

func TestServerFromEnv(t *testing.T) {
	dir := t.TempDir()
	env := testEnv(t, dir, "127.0.0.1:15222")
	s, err := serverFromEnv(env, "prosody")
	if err != nil {
		t.Fatal(err)
	}
	want := ServerInfo{
		Name: "prosody", Domain: "localhost", Dir: dir,
		Addr: "127.0.0.1:15222", TLSAddr: "127.0.0.1:15223", CAFile: env["PARLEY_PROSODY_CA"],
		TLSMaxVersion: tls.VersionTLS12,
		ComponentAddr: "127.0.0.1:15347", ComponentDomain: "comp.localhost", ComponentSecret: "compsecret",
		MUC: "conference.localhost", Upload: "upload.localhost", PubSub: "pubsub.localhost",
		HTTP: "http://127.0.0.1:15280", WebSocket: "ws://127.0.0.1:15280/xmpp-websocket",
		BOSH: "http://127.0.0.1:15280/http-bind",
	}
	got := *s
	got.RootCAs, got.Pool = nil, nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("serverFromEnv =\n%+v\nwant\n%+v", got, want)
	}
	if !slices.Equal(s.Pool, []string{"user01", "user02", "user03"}) {
		t.Errorf("Pool = %q", s.Pool)
	}
	if s.RouterUser != "" {
		t.Errorf("RouterUser = %q, want none (the key belongs to jabberd2)", s.RouterUser)
	}

	// The pool of roots holds exactly the CA: a certificate chain to it verifies for the domain.
	cfg := s.TLSConfig()
	if cfg.ServerName != "localhost" || cfg.MinVersion != tls.VersionTLS12 || cfg.RootCAs != s.RootCAs {
		t.Errorf("TLSConfig() = ServerName %q MinVersion %x", cfg.ServerName, cfg.MinVersion)
	}
	if cfg == s.TLSConfig() {
		t.Error("TLSConfig returns the same *tls.Config twice; want a fresh one per call")
	}

	if a := s.Fixed("alice"); a != (Account{Local: "alice", JID: "alice@localhost", Password: "alicepass"}) {
		t.Errorf("Fixed(alice) = %+v", a)
	}
}

func TestServerFromEnvErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		edit func(map[string]string)
		err  string
	}{
		0: {func(e map[string]string) { delete(e, "PARLEY_PROSODY_ADDR") }, "PARLEY_PROSODY_ADDR"},
		1: {func(e map[string]string) { e["PARLEY_PROSODY_DOMAIN"] = "" }, "PARLEY_PROSODY_DOMAIN"},
		2: {func(e map[string]string) { delete(e, "PARLEY_PROSODY_DIR") }, "PARLEY_PROSODY_DIR"},
		3: {func(e map[string]string) { e["PARLEY_PROSODY_TLS_MAX"] = "1.1" }, "TLS_MAX"},
		4: {func(e map[string]string) { e["PARLEY_PROSODY_CA"] = filepath.Join(dir, "nope.crt") }, "nope.crt"},
		5: {func(e map[string]string) {
			p := filepath.Join(dir, "empty.crt")
			writeFile(t, p, "not a certificate\n")
			e["PARLEY_PROSODY_CA"] = p
		}, "no PEM certificate"},
	}
	for i, tt := range tests {
		env := testEnv(t, dir, "127.0.0.1:15222")
		tt.edit(env)
		if _, err := serverFromEnv(env, "prosody"); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%d: serverFromEnv error = %v, want one containing %q", i, err, tt.err)
		}
	}
	if _, err := serverFromEnv(testEnv(t, dir, "x"), "ejabberd"); err == nil {
		t.Error("serverFromEnv(ejabberd) on a prosody-only env: want an error")
	}
}

func TestFixedUnknownPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Fixed(mallory) did not panic")
		}
	}()
	(&ServerInfo{Domain: "localhost"}).Fixed("mallory")
}

// fakeTB records Skipf and Fatalf instead of stopping the goroutine.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Skipf(format string, a ...any)  { f.skipped = fmt.Sprintf(format, a...) }
func (f *fakeTB) Fatalf(format string, a ...any) { f.failed = fmt.Sprintf(format, a...) }

// isolate gives the test a fresh per-process cache and restores the real one afterwards.
func isolate(t *testing.T) {
	cacheMu.Lock()
	saved := cache
	cache = &processCache{lookups: map[string]lookupResult{}}
	cacheMu.Unlock()
	t.Cleanup(func() {
		cacheMu.Lock()
		cache = saved
		cacheMu.Unlock()
	})
}

// writeEnvFile writes env in the env-file format and points PARLEY_SERVERS_ENV at it.
func writeEnvFile(t *testing.T, env map[string]string) {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "%s='%s'\n", k, env[k])
	}
	path := filepath.Join(t.TempDir(), "env")
	writeFile(t, path, b.String())
	t.Setenv(EnvVar, path)
}

func TestServerSkipOrFail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name     string
		env      map[string]string // nil: no env file at all
		ci       string
		skip, ok bool
	}{
		{name: "running", env: testEnv(t, t.TempDir(), ln.Addr().String()), ok: true},
		{name: "running in CI", env: testEnv(t, t.TempDir(), ln.Addr().String()), ci: "true", ok: true},
		{name: "unreachable", env: testEnv(t, t.TempDir(), deadAddr), skip: true},
		{name: "unreachable in CI", env: testEnv(t, t.TempDir(), deadAddr), ci: "true"},
		{name: "no env file", skip: true},
		{name: "no env file in CI", ci: "true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			t.Setenv("CI", tt.ci)
			if tt.env != nil {
				writeEnvFile(t, tt.env)
			} else {
				t.Setenv(EnvVar, filepath.Join(t.TempDir(), "missing-env"))
			}
			f := &fakeTB{TB: t}
			s := Server(f, "prosody")
			switch {
			case tt.ok:
				if s == nil || f.skipped != "" || f.failed != "" {
					t.Fatalf("Server = %v, skipped %q, failed %q; want the server", s, f.skipped, f.failed)
				}
				if s.Addr != ln.Addr().String() {
					t.Errorf("Addr = %s, want %s", s.Addr, ln.Addr())
				}
			case tt.skip:
				if s != nil || f.failed != "" || !strings.Contains(f.skipped, "make servers") {
					t.Errorf("Server = %v, skipped %q, failed %q; want a skip naming make servers", s, f.skipped, f.failed)
				}
			default:
				if s != nil || f.skipped != "" || !strings.Contains(f.failed, "CI=true") {
					t.Errorf("Server = %v, skipped %q, failed %q; want a failure (CI)", s, f.skipped, f.failed)
				}
			}
		})
	}
}

func TestServerUnknownName(t *testing.T) {
	f := &fakeTB{TB: t}
	if s := Server(f, "openfire"); s != nil || !strings.Contains(f.failed, "openfire") {
		t.Errorf("Server(openfire) = %v, failed %q; want a failure", s, f.failed)
	}
}
