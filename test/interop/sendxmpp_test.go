package interop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/stanza"
)

// TestGoSendxmpp: go-sendxmpp, the operators' alerting tool Parley
// replaces, sends an alert to a Parley client's bare JID (RFC 6121 §5.2.2:
// delivered to the available resource) and the Parley client receives
// exactly the body that was piped in (go-sendxmpp drops the final newline):
// several lines, a tab, characters that need XML escaping, non-ASCII. go-sendxmpp reads its account from a config file
// (-f, username/jserver/port/password; it insists on mode 0600) and trusts
// the rig's CA through SSL_CERT_FILE (Go's crypto/x509 reads it on Linux),
// so the certificate is verified, not skipped: the same run with the other
// server's certificate as the only root must fail.
func TestGoSendxmpp(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			require(t, toolSendxmpp)
			p := login(t, srv)
			sender := srv.Account(t)
			cfg := sendxmppConfig(t, srv, sender)

			// The account from the config file (-f), then from flags (-u, -p, -j).
			host, port := splitAddr(t, srv.Addr)
			for _, how := range []struct {
				name string
				args []string
			}{
				{"config file", []string{"-f", cfg}},
				{"flags", []string{"-u", sender.JID, "-p", sender.Password, "-j", host + ":" + port}},
			} {
				alert := "ALERT (" + how.name + ") " + token(t) + "\ndisk /var 97% full on db1\n\tload <5> & \"rising\""
				out, err := goSendxmpp(t, srv.CAFile, how.args, p.acct.JID, alert+"\n")
				if err != nil {
					t.Fatalf("go-sendxmpp (%s): %v\n%s", how.name, err, out)
				}
				m := p.message(t, alert)
				if m.From.Bare().String() != sender.JID || m.Type != stanza.MessageChat {
					t.Errorf("alert (%s): a %q message from %v, want chat from %s", how.name, m.Type, m.From, sender.JID)
				}
			}

			// The certificate is checked: with another CA the login fails.
			other := otherCA(t, name)
			if out, err := goSendxmpp(t, other, []string{"-f", cfg}, p.acct.JID, "must not arrive\n"); err == nil {
				t.Errorf("go-sendxmpp trusting only %s succeeded against %s:\n%s", other, name, out)
			} else if !strings.Contains(string(out), "certificate") {
				t.Errorf("go-sendxmpp with the wrong CA failed for another reason: %v\n%s", err, out)
			}
		})
	}
}

// sendxmppConfig writes go-sendxmpp's config file for acct (go-sendxmpp(5)):
// the server is given as 127.0.0.1 and the port, since the domain does not
// resolve.
func sendxmppConfig(t *testing.T, srv *testenv.ServerInfo, acct testenv.Account) string {
	t.Helper()
	host, port := splitAddr(t, srv.Addr)
	path := filepath.Join(t.TempDir(), "config")
	cfg := "username: " + acct.JID + "\njserver: " + host + "\nport: " + port + "\npassword: " + acct.Password + "\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// goSendxmpp runs go-sendxmpp with the account arguments args and the
// recipient to, body on stdin, trusting only the certificates in caFile,
// and returns its combined output.
func goSendxmpp(t *testing.T, caFile string, args []string, to, body string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(testCtx(t), testTimeout/2)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go-sendxmpp", append(args, "--timeout", "20", to)...)
	cmd.Stdin = strings.NewReader(body)
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+caFile, "SSL_CERT_DIR=/nonexistent", "HOME="+t.TempDir())
	return cmd.CombinedOutput()
}

// otherCA returns the CA file of another server of the rig than name.
func otherCA(t *testing.T, name string) string {
	t.Helper()
	other := "ejabberd"
	if name == "ejabberd" {
		other = "prosody"
	}
	return testenv.Server(t, other).CAFile
}
