package main

import (
	"strings"
	"testing"

	"parley.dev/xmpp/internal/testenv"
)

// TestSendMUC: send --muc joins a fresh room (creating and unlocking it,
// XEP-0045 §10.1.2), posts and leaves. Exit 0 means the room reflected the
// message back (§7.4); the trace shows it came from the chosen nick.
func TestSendMUC(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			if srv.MUC == "" {
				t.Fatalf("%s: the rig gives no MUC service", name)
			}
			poster := newAcct(t, srv)
			room := "cli-" + randHex(4) + "@" + srv.MUC
			r := runParley(t, nil, "", poster.args("send", "--muc", room, "-m", "first")...)
			if r.code != 0 {
				t.Fatalf("send --muc (new room): exit %d, stderr %q", r.code, r.stderr)
			}
			r = runParley(t, nil, "", poster.args("send", "--muc", room, "--nick", "alerts", "-m", "second", "--debug")...)
			if r.code != 0 {
				t.Fatalf("send --muc: exit %d, stderr %q", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "from='"+room+"/alerts'") || !strings.Contains(r.stderr, "type='groupchat'") ||
				!strings.Contains(r.stderr, "<body>second</body>") {
				t.Errorf("no reflected groupchat message from %s/alerts in the trace", room)
			}
		})
	}
}
