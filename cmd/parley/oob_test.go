package main

import (
	"os"
	"strings"
	"testing"

	"parley.dev/xmpp/internal/testenv"
)

// TestOOB: parley oob send to a parley oob receive answering with each of
// --accept, --reject and --not-found: the sender prints the answer and
// exits 0, 5, 5; the receiver prints URL, sender and description, and
// stops with exit 0 on SIGINT. (No --count: an offline message with an OOB
// URL left by another test may arrive first and would count.)
func TestOOB(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			from, to := newAcct(t, srv), newAcct(t, srv)
			for _, c := range []struct {
				flag, want string
				code       int
			}{{"--accept", "accepted", 0}, {"--reject", "rejected", exitRemote}, {"--not-found", "not-found", exitRemote}} {
				res := "oob-" + c.want
				recv := startParley(t, nil, to.args("oob receive", c.flag, "--resource", res, "--debug")...)
				recv.waitNotice("waiting for offers")
				url := "https://example.org/" + c.want + ".tar.gz"
				r := runParley(t, nil, "", from.args("oob send", to.JID+"/"+res, url, "--desc", "the "+c.want+" file")...)
				if r.code != c.code || r.stdout != c.want+"\n" {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d, %s", c.flag, r.code, r.stdout, r.stderr, c.code, c.want)
				}
				line := recv.lineWith(url)
				if f := strings.Split(line, "\t"); len(f) != 3 || f[0] != url || !strings.HasPrefix(f[1], from.JID+"/") || f[2] != "the "+c.want+" file" {
					t.Errorf("%s: receiver printed %q", c.flag, line)
				}
				recv.cmd.Process.Signal(os.Interrupt)
				if code := recv.wait(); code != 0 {
					t.Errorf("%s: receiver exit %d", c.flag, code)
				}
			}

			// A URL in a message (jabber:x:oob, XEP-0066 §3.2) is printed too.
			recv := startParley(t, nil, to.args("oob receive", "--debug")...)
			recv.waitNotice("waiting for offers")
			r := runParley(t, nil, "", from.args("send", "--oob", "https://example.org/x", "--desc", "in a message", "-m", "see", to.JID)...)
			if r.code != 0 {
				t.Fatalf("send --oob: exit %d, stderr %q", r.code, r.stderr)
			}
			if line := recv.lineWith("https://example.org/x\t"); !strings.HasPrefix(line, "https://example.org/x\t"+from.JID+"/") || !strings.HasSuffix(line, "\tin a message") {
				t.Errorf("receiver printed %q", line)
			}
			recv.cmd.Process.Signal(os.Interrupt)
			if code := recv.wait(); code != 0 {
				t.Errorf("receiver exit %d after SIGINT", code)
			}

			// Nobody at that resource: the server's error, exit 5.
			r = runParley(t, nil, "", from.args("oob send", to.JID+"/gone", "https://example.org/y")...)
			if r.code != exitRemote {
				t.Errorf("offer to nobody: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}
