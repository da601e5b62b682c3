package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strconv"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// config loads the configuration file once.
func (a *app) config() (*fileConfig, error) {
	a.cfgOnce.Do(func() { a.cfg, a.cfgErr = loadConfig(configPath(a.getenv)) })
	return a.cfg, a.cfgErr
}

// setting returns a flag's value, else the environment variable env (when
// not ""), else the config file's key.
func (a *app) setting(flagValue, env, key string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env != "" {
		if v := a.getenv(env); v != "" {
			return v, nil
		}
	}
	cfg, err := a.config()
	if err != nil {
		return "", err
	}
	v, _ := cfg.get(key)
	return v, nil
}

// boolSetting is setting for a boolean flag: true on the command line wins,
// else the config file's key.
func (a *app) boolSetting(flagValue bool, key string) (bool, error) {
	if flagValue {
		return true, nil
	}
	v, err := a.setting("", "", key)
	if err != nil || v == "" {
		return false, err
	}
	b, perr := strconv.ParseBool(v)
	if perr != nil {
		return false, usagef("configuration key %s: want true or false, got %q", key, v)
	}
	return b, nil
}

// accountJID returns the account's JID: --jid, $PARLEY_JID, or jid in the
// configuration file.
func (a *app) accountJID() (jid.JID, error) {
	s, err := a.setting(a.acct.jid, "PARLEY_JID", "jid")
	if err != nil {
		return jid.JID{}, err
	}
	if s == "" {
		return jid.JID{}, usagef("no account: pass --jid user@example.org, set $PARLEY_JID, or put jid in %s", configPath(a.getenv))
	}
	j, err := jid.Parse(s)
	if err != nil {
		return jid.JID{}, usagef("account %q: %v", s, err)
	}
	return j, nil
}

// clientConfig builds the connection settings from flags, environment and
// configuration file, password excluded.
func (a *app) clientConfig() (*client.Config, error) {
	server, err := a.setting(a.acct.server, "PARLEY_SERVER", "server")
	if err != nil {
		return nil, err
	}
	caFile, err := a.setting(a.acct.ca, "", "ca")
	if err != nil {
		return nil, err
	}
	resource, err := a.setting(a.acct.resource, "", "resource")
	if err != nil {
		return nil, err
	}
	direct, err := a.boolSetting(a.acct.directTLS, "direct_tls")
	if err != nil {
		return nil, err
	}
	insecure, err := a.boolSetting(a.acct.insecure, "insecure_skip_verify")
	if err != nil {
		return nil, err
	}
	cfg := &client.Config{
		Server:                server,
		DirectTLS:             direct,
		Resource:              resource,
		InsecureSkipTLSVerify: insecure,
		Session:               a.sessionConfig(),
	}
	if insecure {
		a.errorf("parley: warning: --insecure-skip-verify: the server's certificate is not checked; anyone on the path can read the password\n")
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, usagef("--ca: %v", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usagef("--ca %s: no PEM certificate in the file", caFile)
		}
		cfg.TLSConfig = &tls.Config{RootCAs: pool}
	}
	return cfg, nil
}

// trace returns the Trace for connections made outside a Session
// (registration): the --debug hooks and progress of sessionConfig.
func (a *app) trace() *xmpp.Trace {
	c := a.sessionConfig()
	return xmpp.NewTrace(c.OnSend, c.OnReceive, c.OnEvent, nil)
}

// sessionConfig wires --debug (the redacted raw trace) and progress on a
// terminal into the Session.
func (a *app) sessionConfig() *xmpp.Config {
	// Stream management (XEP-0198) stays on: acks, and a final <a/> on
	// close, tell the server what parley handled.
	c := &xmpp.Config{}
	if a.common.debug {
		c.OnSend = func(b []byte) { a.errorf("SEND %s\n", b) }
		c.OnReceive = func(b []byte) { a.errorf("RECV %s\n", b) }
	}
	if isTerminal(a.stderr) && !a.common.debug {
		c.OnEvent = a.progress
	}
	return c
}

// progress shows the connection's steps on one terminal line, erased once
// the stream is ready.
func (a *app) progress(e xmpp.Event) {
	var msg string
	switch e.Status {
	case xmpp.StatusConnecting:
		msg = "connecting to " + e.Addr + "…"
	case xmpp.StatusConnected:
		msg = "connected to " + e.Addr + ", negotiating…"
	case xmpp.StatusTLS:
		msg = "secured with TLS, authenticating…"
	case xmpp.StatusAuthenticated:
		msg = "authenticated, binding…"
	case xmpp.StatusReconnecting:
		msg = fmt.Sprintf("disconnected; reconnecting in %v (attempt %d)…", e.Delay.Round(time.Millisecond), e.Attempt)
	default:
		a.errorf("\r\x1b[K")
		return
	}
	a.errorf("\r\x1b[K%s", msg)
}

// dial logs in to the account and returns the Session.
func (a *app) dial(ctx context.Context) (*xmpp.Session, error) {
	j, err := a.accountJID()
	if err != nil {
		return nil, err
	}
	if j.Localpart() == "" {
		return nil, usagef("account %q has no user part: want user@domain", j)
	}
	cfg, err := a.clientConfig()
	if err != nil {
		return nil, err
	}
	if cfg.Password, err = a.password(ctx, j.Bare().String()); err != nil {
		return nil, err
	}
	s, err := client.Dial(ctx, j, cfg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// goOnline sends initial presence (RFC 6121 §4.2) with priority prio and
// waits until the server has processed it: it reflects the presence back
// to the sending resource (§4.2.2). From then on messages to the bare JID
// are delivered to this session.
func (a *app) goOnline(ctx context.Context, s *xmpp.Session, prio int8) error {
	me := s.JID()
	seen := make(chan struct{})
	var once bool
	remove := s.HandlePresence(stanza.PresenceAvailable, func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Presence.From == me && !once {
			once = true
			close(seen)
		}
		return nil
	})
	defer remove()
	p := stanza.NewPresence(stanza.PresenceAvailable, jid.JID{})
	if prio != 0 {
		p.SetPriority(prio)
	}
	if err := s.Send(ctx, p); err != nil {
		return err
	}
	// A server that does not reflect presence (none known) would leave us
	// waiting: bound the wait, then carry on.
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	select {
	case <-seen:
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.Done():
		return sessionEnded(s)
	}
	return nil
}

// sessionEnded returns why s ended.
func sessionEnded(s *xmpp.Session) error {
	if err := s.Err(); err != nil {
		return fmt.Errorf("the connection ended: %w", err)
	}
	return fmt.Errorf("the connection ended")
}
