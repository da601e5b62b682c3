package main

import (
	"encoding/json"
	"strings"
	"testing"

	"parley.dev/xmpp/internal/testenv"
)

// TestSendListen: parley send from one account to another that runs parley
// listen --json; what arrives carries the body, subject, thread, type and
// OOB URL that were sent. On Prosody, ejabberd and jabberd2.
func TestSendListen(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			from, to := newAcct(t, srv), newAcct(t, srv)
			// Match this test's thread only: a pool account may hold offline
			// messages other tests left.
			thread := "th-" + randHex(4)
			l := startParley(t, nil, to.args("listen", "--json", "--count", "1", "--match", "/message[thread='"+thread+"']", "--debug")...)
			l.waitNotice("listening as " + to.JID)

			body := "hello from " + from.Local + "\nsecond line <&>"
			r := runParley(t, nil, body+"\n", from.args("send", "--type", "normal", "--subject", "report",
				"--thread", thread, "--oob", "https://example.org/r.pdf", "--desc", "the report", to.JID)...)
			if r.code != 0 {
				t.Fatalf("send: exit %d, stderr %q", r.code, r.stderr)
			}
			var got struct {
				Kind, Type, From, To, ID, Body, Subject, XML string
			}
			line := l.line()
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("listen output %q: %v", line, err)
			}
			if got.Kind != "message" || got.Type != "normal" || !strings.HasPrefix(got.From, from.JID+"/") ||
				!strings.HasPrefix(got.To, to.JID) || got.ID == "" || got.Body != body || got.Subject != "report" {
				t.Errorf("listen saw %+v", got)
			}
			for _, want := range []string{"<thread>" + thread + "</thread>", "<url>https://example.org/r.pdf</url>", "<desc>the report</desc>", "jabber:x:oob"} {
				if !strings.Contains(got.XML, want) {
					t.Errorf("xml %q lacks %q", got.XML, want)
				}
			}
			if code := l.wait(); code != 0 {
				t.Errorf("listen exit %d; stderr:\n%s", code, l.stderrText())
			}
			// The trace went to stderr with the credentials redacted.
			trace := l.stderrText()
			if !strings.Contains(trace, "[redacted]") || !strings.Contains(trace, "SEND <") {
				t.Errorf("no redacted trace on stderr")
			}
			if strings.Contains(trace, to.Password) {
				t.Errorf("the password is in the trace")
			}
		})
	}
}

// TestListenReadable: without --json each stanza is one readable line;
// two recipients each get the message.
func TestListenReadable(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	from, to1, to2 := newAcct(t, srv), newAcct(t, srv), newAcct(t, srv)
	body := "ping all " + randHex(4)
	match := "/message[@type='chat'][body='" + body + "']"
	l1 := startParley(t, nil, to1.args("listen", "--count", "1", "--match", match, "--debug")...)
	l2 := startParley(t, nil, to2.args("listen", "--count", "1", "--match", match, "--debug")...)
	l1.waitNotice("listening as")
	l2.waitNotice("listening as")
	r := runParley(t, nil, "", from.args("send", "-m", body, to1.JID, to2.JID)...)
	if r.code != 0 {
		t.Fatalf("send: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, l := range []*proc{l1, l2} {
		line := l.line()
		if !strings.HasPrefix(line, "message chat "+from.JID+"/") || !strings.HasSuffix(line, ": "+body) {
			t.Errorf("line %q", line)
		}
		if code := l.wait(); code != 0 {
			t.Errorf("listen exit %d", code)
		}
	}
}

// TestListenCountTimeout: --count with a --timeout that expires first is
// exit code 6, and says how many arrived.
func TestListenCountTimeout(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	a := newAcct(t, srv)
	r := runParley(t, nil, "", a.args("listen", "--count", "1", "--match", "/message[@id='never']", "--timeout", "10s")...)
	if r.code != exitTimeout || !strings.Contains(r.stderr, "0 of 1") {
		t.Errorf("exit %d, stderr %q; want 6 and '0 of 1'", r.code, r.stderr)
	}
}

// TestExitWrongPassword: a wrong password is exit code 4 with one line.
func TestExitWrongPassword(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			srv := testenv.Server(t, name)
			a := newAcct(t, srv)
			a.file = writeFile(t, "wrong-"+a.Password+"\n")
			r := runParley(t, nil, "", a.args("send", "-m", "x", a.JID)...)
			if r.code != exitAuth || !strings.Contains(r.stderr, "password") || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 4", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "wrong-"+a.Password) {
				t.Error("the password leaked")
			}
		})
	}
}
