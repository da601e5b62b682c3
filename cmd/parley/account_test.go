package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// loginCode logs in as a and lists the roster, which needs a session:
// exit code 0 proves the login, 4 a refused one. (A presence round trip
// would not do: jabberd2 does not send a client its own initial presence
// back, as Prosody and ejabberd do.)
func loginCode(t *testing.T, a acct) result {
	t.Helper()
	return runParley(t, nil, "", a.args("roster list", "--timeout", "30s")...)
}

// TestRegisterLifecycle, on the three servers: register a fresh account (password from
// $PARLEY_PASSWORD, with --debug: the trace never shows it), log in with it, register it again (conflict: 5),
// change its password, log in with the new one and not the old (4), and
// unregister it.
func TestRegisterLifecycle(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd", "jabberd2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			user := "cli" + randHex(5)
			pass := "pw-" + randHex(6)
			a := acct{Account: testenv.Account{Local: user, JID: user + "@" + srv.Domain, Password: pass}, srv: srv, file: writeFile(t, pass+"\n")}
			base := []string{"--jid", a.JID, "--server", srv.Addr, "--ca", srv.CAFile}
			env := cleanEnv(t, "PARLEY_PASSWORD="+pass)

			r := runParley(t, env, "", append([]string{"register", "--debug"}, base...)...)
			if r.code != 0 || r.stdout != "registered "+a.JID+"\n" {
				t.Fatalf("register: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			// The trace shows the registration (Prosody's through a data
			// form), never the password.
			if strings.Contains(r.stderr, pass) || !strings.Contains(r.stderr, "[redacted]") || !strings.Contains(r.stderr, "jabber:iq:register") {
				t.Errorf("register --debug: the trace on stderr shows the password or no registration: %s", r.stderr)
			}
			if r := loginCode(t, a); r.code != 0 {
				t.Fatalf("login after register: exit %d, stderr %q", r.code, r.stderr)
			}
			r = runParley(t, env, "", append([]string{"register"}, base...)...)
			if r.code != exitRemote || !strings.Contains(r.stderr, "is taken") {
				t.Errorf("second register: exit %d, stderr %q; want 5, taken", r.code, r.stderr)
			}

			newPass := "new-" + randHex(6)
			r = runParley(t, cleanEnv(t, "PARLEY_NEW_PASSWORD="+newPass), "", a.args("passwd")...)
			if r.code != 0 || !strings.Contains(r.stdout, "password changed for "+a.JID) {
				t.Fatalf("passwd: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			if r := loginCode(t, a); r.code != exitAuth {
				t.Errorf("old password after passwd: exit %d, want 4", r.code)
			}
			a.file = writeFile(t, newPass+"\n")
			if r := loginCode(t, a); r.code != 0 {
				t.Fatalf("new password: exit %d, stderr %q", r.code, r.stderr)
			}

			r = runParley(t, nil, "", a.args("unregister", "--yes")...)
			if r.code != 0 || r.stdout != "unregistered "+a.JID+"\n" {
				t.Fatalf("unregister: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			if r := loginCode(t, a); r.code != exitAuth {
				t.Errorf("login after unregister: exit %d, want 4", r.code)
			}
		})
	}
}

// TestConfigFile: with the account in parley.toml under XDG_CONFIG_HOME
// (password_cmd) parley needs no account flag; a world-readable file with
// a password is refused.
func TestConfigFile(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	a := newAcct(t, srv)
	home := t.TempDir()
	dir := filepath.Join(home, "xdg", "parley")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := `# parley test configuration
jid = "` + a.JID + `"
password_cmd = 'cat ` + a.file + `'   # a command, not the password
server = "` + srv.Addr + `"
ca = "` + srv.CAFile + `"
direct_tls = false
`
	if err := os.WriteFile(filepath.Join(dir, "parley.toml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "xdg")}
	r := runParley(t, env, "", "listen", "--count", "1", "--match", "/presence", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"from":"`+a.JID+"/") {
		t.Fatalf("listen from config: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// The password itself in a file others can read: refused.
	conf = "jid = \"" + a.JID + "\"\npassword = \"" + a.Password + "\"\nserver = \"" + srv.Addr + "\"\n"
	if err := os.WriteFile(filepath.Join(dir, "parley.toml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runParley(t, env, "", "listen", "--count", "1")
	if r.code != exitUsage || !strings.Contains(r.stderr, "chmod 600") || strings.Contains(r.stderr, a.Password) {
		t.Errorf("readable password file: exit %d, stderr %q", r.code, r.stderr)
	}
	// A typo in a key is named with its file.
	os.WriteFile(filepath.Join(dir, "parley.toml"), []byte("jdi = \"x@y\"\n"), 0o600)
	r = runParley(t, env, "", "listen", "--count", "1")
	if r.code != exitUsage || !strings.Contains(r.stderr, `unknown key "jdi"`) {
		t.Errorf("unknown key: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestEnvAndInsecure: the account from $PARLEY_JID and $PARLEY_PASSWORD;
// --insecure-skip-verify connects without --ca and warns.
func TestEnvAndInsecure(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	a := newAcct(t, srv)
	env := cleanEnv(t, "PARLEY_JID="+a.JID, "PARLEY_PASSWORD="+a.Password)
	r := runParley(t, env, "", "listen", "--server", srv.Addr, "--insecure-skip-verify", "--count", "1", "--match", "/presence")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: --insecure-skip-verify") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	// Without --ca or --insecure-skip-verify the self-signed certificate
	// is refused: exit 3 with a hint about --ca.
	r = runParley(t, env, "", "listen", "--server", srv.Addr, "--count", "1")
	if r.code != exitConnect || !strings.Contains(r.stderr, "--ca") {
		t.Errorf("untrusted certificate: exit %d, stderr %q", r.code, r.stderr)
	}
}

// dialLib logs in with the library for the test's own side of a
// conversation.
func dialLib(t *testing.T, a acct) *xmpp.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := client.Dial(ctx, jid.MustParse(a.JID), &client.Config{Password: a.Password, Server: a.srv.Addr, TLSConfig: a.srv.TLSConfig()})
	if err != nil {
		t.Fatalf("dial %s: %v", a.JID, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// askEcho sends body to to and returns the first chat or normal message
// that comes back from to's bare JID (or domain, for a component).
func askEcho(t *testing.T, s *xmpp.Session, to jid.JID, typ stanza.MessageType, body string) stanza.Message {
	t.Helper()
	got := make(chan stanza.Message, 1)
	rm := s.HandleStanza(stanza.KindMessage, func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Message.From.Bare() == to.Bare() {
			select {
			case got <- *in.Message:
			default:
			}
		}
		return nil
	})
	defer rm()
	m := stanza.NewMessage(typ, to)
	m.AddBody("", body)
	m.SetThread("t-42", "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		return m
	case <-ctx.Done():
		t.Fatalf("no answer from %s", to)
	}
	return stanza.Message{}
}

// TestEchoBot: parley echo answers a chat message with the same body and
// thread, and ends after --count.
func TestEchoBot(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			bot, user := newAcct(t, srv), newAcct(t, srv)
			p := startParley(t, nil, bot.args("echo", "--count", "1", "--debug")...)
			p.waitNotice("echo bot online as " + bot.JID)
			s := dialLib(t, user)
			m := askEcho(t, s, jid.MustParse(bot.JID), stanza.MessageChat, "echo me")
			if m.Type != stanza.MessageChat || m.Body("") != "echo me" || m.El.ChildText(m.El.Name.Space, "thread") != "t-42" {
				t.Errorf("echo: %v", m.Element())
			}
			if code := p.wait(); code != 0 {
				t.Errorf("echo exit %d; stderr:\n%s", code, p.stderrText())
			}
		})
	}
}

// TestComponentEcho: parley component echo connected to the server's
// component port answers a message sent to any address at its domain,
// from that address. The shared secret never appears in the trace.
func TestComponentEcho(t *testing.T) {
	for _, c := range []struct{ server, protocol string }{{"prosody", "xep0114"}, {"ejabberd", "xep0114"}, {"jabberd2", "jabberd2"}} {
		t.Run(c.server, func(t *testing.T) {
			srv := testenv.Server(t, c.server)
			if srv.ComponentAddr == "" {
				t.Fatalf("%s: the rig gives no component port", c.server)
			}
			srv.LockComponent(t) // one connection per component name at a time
			secret := writeFile(t, srv.ComponentSecret+"\n")
			args := []string{"component", "echo", "--server", srv.ComponentAddr, "--domain", srv.ComponentDomain,
				"--secret-file", secret, "--protocol", c.protocol, "--count", "1", "--debug"}
			if srv.RouterUser != "" {
				args = append(args, "--user", srv.RouterUser)
			}
			p := startParley(t, nil, args...)
			p.waitNotice("component " + srv.ComponentDomain + " ready")
			s := dialLib(t, newAcct(t, srv))
			to := jid.MustParse("echo@" + srv.ComponentDomain)
			m := askEcho(t, s, to, stanza.MessageNormal, "hello component")
			if m.From != to || m.Body("") != "hello component" {
				t.Errorf("echo: %v", m.Element())
			}
			if code := p.wait(); code != 0 {
				t.Errorf("component exit %d; stderr:\n%s", code, p.stderrText())
			}
			if strings.Contains(p.stderrText(), srv.ComponentSecret) {
				t.Error("the secret is in the trace")
			}
		})
	}
}
