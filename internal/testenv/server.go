package testenv

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ServerInfo describes one running test server, as read from the env file (keys
// PARLEY_<NAME>_<FIELD>, see TESTING.md). Get one with Server. Addresses are host:port on 127.0.0.1; dial them,
// never the domain (it does not resolve). Fields a server does not offer are empty.
type ServerInfo struct {
	Name   string // "prosody", "ejabberd" or "jabberd2"
	Domain string // XMPP domain, also the TLS server name (…_DOMAIN)
	Dir    string // the server's directory: config, logs, data, lock files (…_DIR)

	Addr    string // c2s with STARTTLS, RFC 6120 §5 (…_ADDR)
	TLSAddr string // c2s with direct TLS, XEP-0368 (…_TLS_ADDR)

	CAFile  string         // the self-signed certificate, PEM (…_CA)
	RootCAs *x509.CertPool // CAFile as a pool

	// TLSMaxVersion is the highest TLS version the direct-TLS port speaks, 0 when not capped
	// (…_TLS_MAX="1.2": Prosody offers SCRAM-*-PLUS with tls-unique only on TLS 1.2).
	TLSMaxVersion uint16

	ComponentAddr   string // XEP-0114 (on jabberd2 also the router protocol) (…_COMPONENT_ADDR)
	ComponentDomain string // the component's name (…_COMPONENT_DOMAIN)
	ComponentSecret string // XEP-0114 secret; on jabberd2 also the router user's (…_COMPONENT_SECRET)
	RouterUser      string // jabberd2 router user for the component protocol (…_ROUTER_USER)

	MUC    string // XEP-0045 service domain (…_MUC)
	Upload string // XEP-0363 service domain (…_UPLOAD)
	PubSub string // XEP-0060 service domain (…_PUBSUB)

	HTTP      string // base URL of the HTTP listener (…_HTTP)
	WebSocket string // RFC 7395 endpoint (…_WEBSOCKET)
	BOSH      string // XEP-0206 endpoint (…_BOSH)
	API       string // ejabberd's admin HTTP API base URL (…_API)

	Pool []string // local parts of the pool accounts, handed out by Account (…_POOL)
}

// names lists the servers the rig runs, in the order Names returns them.
var names = []string{"prosody", "ejabberd", "jabberd2"}

// Names returns the names of the test servers, for tests that run against each of them.
func Names() []string { return slices.Clone(names) }

// fixed are the accounts every server has besides the pool.
var fixed = []string{"alice", "bob", "carol", "admin"}

// lookupResult is the outcome of one server lookup.
type lookupResult struct {
	srv *ServerInfo
	err error
}

// processCache holds what a test process learns once: the env file is read once and each
// server is dialled once.
type processCache struct {
	loaded  bool // path, env and err are set
	path    string
	env     map[string]string
	err     error
	lookups map[string]lookupResult
}

// cache is the process's cache; cacheMu guards it and everything it points to.
var (
	cacheMu sync.Mutex
	cache   = &processCache{lookups: map[string]lookupResult{}}
)

// Server returns the test server called name ("prosody", "ejabberd" or "jabberd2"). When the
// env file is missing, does not describe the server, or the server does not accept TCP
// connections on Addr, the test is skipped, or fails when the environment variable CI is true.
// An unknown name always fails the test.
func Server(t testing.TB, name string) *ServerInfo {
	t.Helper()
	if !slices.Contains(names, name) {
		t.Fatalf("testenv: unknown server %q (want one of %v)", name, names)
		return nil
	}
	srv, err := lookup(name)
	if err != nil {
		if inCI() {
			t.Fatalf("testenv: %s: %v (CI=true: real-server tests must not skip)", name, err)
		} else {
			t.Skipf("testenv: %s: %v; start them with: make servers", name, err)
		}
		return nil
	}
	return srv
}

// lookup reads (once) the env file and checks (once) that the server accepts connections.
func lookup(name string) (*ServerInfo, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	c := cache
	if r, ok := c.lookups[name]; ok {
		return r.srv, r.err
	}
	if !c.loaded {
		c.loaded = true
		c.path, c.err = envFilePath()
		if c.err == nil {
			c.env, c.err = readEnvFile(c.path)
		}
	}
	var r lookupResult
	if c.err != nil {
		r.err = c.err
	} else if r.srv, r.err = serverFromEnv(c.env, name); r.err != nil {
		r.err = fmt.Errorf("%s: %w", c.path, r.err)
	} else if conn, err := net.DialTimeout("tcp", r.srv.Addr, 3*time.Second); err != nil {
		r.srv, r.err = nil, fmt.Errorf("not reachable: %w", err)
	} else {
		conn.Close()
	}
	c.lookups[name] = r
	return r.srv, r.err
}

// inCI reports whether the environment variable CI is set to true.
func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// serverFromEnv builds the ServerInfo of the server called name from env-file keys and loads its CA file.
func serverFromEnv(env map[string]string, name string) (*ServerInfo, error) {
	p := "PARLEY_" + strings.ToUpper(name) + "_"
	get := func(k string) string { return env[p+k] }
	s := &ServerInfo{
		Name:            name,
		Domain:          get("DOMAIN"),
		Dir:             get("DIR"),
		Addr:            get("ADDR"),
		TLSAddr:         get("TLS_ADDR"),
		CAFile:          get("CA"),
		ComponentAddr:   get("COMPONENT_ADDR"),
		ComponentDomain: get("COMPONENT_DOMAIN"),
		ComponentSecret: get("COMPONENT_SECRET"),
		RouterUser:      get("ROUTER_USER"),
		MUC:             get("MUC"),
		Upload:          get("UPLOAD"),
		PubSub:          get("PUBSUB"),
		HTTP:            get("HTTP"),
		WebSocket:       get("WEBSOCKET"),
		BOSH:            get("BOSH"),
		API:             get("API"),
		Pool:            strings.Fields(get("POOL")),
	}
	for _, req := range []struct{ key, val string }{
		{"DOMAIN", s.Domain}, {"DIR", s.Dir}, {"ADDR", s.Addr}, {"TLS_ADDR", s.TLSAddr}, {"CA", s.CAFile},
	} {
		if req.val == "" {
			return nil, fmt.Errorf("no %s%s: server not described", p, req.key)
		}
	}
	switch v := get("TLS_MAX"); v {
	case "":
	case "1.2":
		s.TLSMaxVersion = tls.VersionTLS12
	case "1.3":
		s.TLSMaxVersion = tls.VersionTLS13
	default:
		return nil, fmt.Errorf("%sTLS_MAX: unknown TLS version %q", p, v)
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		return nil, err
	}
	s.RootCAs = x509.NewCertPool()
	if !s.RootCAs.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate", s.CAFile)
	}
	return s, nil
}

// TLSConfig returns a fresh client TLS configuration for this server (RFC 6120 §5.4.3, RFC 7590):
// the server's certificate as the only root, ServerName = Domain, TLS 1.2 at least.
func (s *ServerInfo) TLSConfig() *tls.Config {
	return &tls.Config{
		RootCAs:    s.RootCAs,
		ServerName: s.Domain,
		MinVersion: tls.VersionTLS12,
	}
}

// Fixed returns one of the accounts every server has: "alice", "bob", "carol" or "admin"
// (admin is a server administrator). They are shared by all tests: use Account for anything
// that changes an account's state. Fixed panics on any other name.
func (s *ServerInfo) Fixed(name string) Account {
	if !slices.Contains(fixed, name) {
		panic(fmt.Sprintf("testenv: %q is not a fixed account (want one of %v)", name, fixed))
	}
	return s.account(name)
}

// account builds the Account for a local part: the password rule is local + "pass".
func (s *ServerInfo) account(local string) Account {
	return Account{Local: local, JID: local + "@" + s.Domain, Password: local + "pass"}
}
