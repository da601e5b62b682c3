// Package xmppraw holds what the bench/session and bench/component programs
// share: the test servers' environment (.servers/env, written by
// test/servers/up.sh) and a minimal hand-written XMPP client, the floor the
// libraries are compared with. The client does only what a session needs on
// the local Prosody: STARTTLS, SASL PLAIN or SCRAM-SHA-1/-256 (RFC 5802,
// without channel binding), resource binding, fmt-style writes and a
// bytes.Index scan of what it reads. It is not a library: it trusts the
// server's stream to have the shape Prosody gives it.
package xmppraw

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Env is the Prosody part of .servers/env.
type Env struct {
	Addr, Domain, CA                 string   // c2s STARTTLS address, domain, CA file
	CompAddr, CompDomain, CompSecret string   // XEP-0114 component port
	Pool                             []string // pool account names (password: name + "pass")
	Dir                              string   // the server directory (holds locks/)
	File                             string   // where it was read from
}

// LoadEnv reads the environment file named by $PARLEY_SERVERS_ENV, or
// .servers/env in the first of the working directory and its parents that
// has one.
func LoadEnv() (*Env, error) {
	path := os.Getenv("PARLEY_SERVERS_ENV")
	if path == "" {
		dir, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		for {
			p := filepath.Join(dir, ".servers", "env")
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return nil, errors.New("no .servers/env found (start the servers with `make servers`)")
			}
			dir = parent
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		vars[k] = strings.Trim(v, `'"`)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	e := &Env{
		Addr:       vars["PARLEY_PROSODY_ADDR"],
		Domain:     vars["PARLEY_PROSODY_DOMAIN"],
		CA:         vars["PARLEY_PROSODY_CA"],
		CompAddr:   vars["PARLEY_PROSODY_COMPONENT_ADDR"],
		CompDomain: vars["PARLEY_PROSODY_COMPONENT_DOMAIN"],
		CompSecret: vars["PARLEY_PROSODY_COMPONENT_SECRET"],
		Pool:       strings.Fields(vars["PARLEY_PROSODY_POOL"]),
		Dir:        vars["PARLEY_PROSODY_DIR"],
		File:       path,
	}
	if e.Addr == "" || e.Domain == "" || e.CA == "" || e.Dir == "" {
		return nil, fmt.Errorf("%s: no Prosody address, domain or CA", path)
	}
	return e, nil
}

// TLSConfig trusts the server's CA and names its domain.
func (e *Env) TLSConfig() (*tls.Config, error) {
	pem, err := os.ReadFile(e.CA)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", e.CA)
	}
	return &tls.Config{RootCAs: pool, ServerName: e.Domain, MinVersion: tls.VersionTLS12}, nil
}

// Account is one login on the server.
type Account struct {
	User, Password string
	JID            string // user@domain
}

// Account returns the pool account name (user30, ...), whose password is
// the name followed by "pass".
func (e *Env) Account(name string) Account {
	return Account{User: name, Password: name + "pass", JID: name + "@" + e.Domain}
}
