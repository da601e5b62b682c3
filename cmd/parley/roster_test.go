package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"parley.dev/xmpp/internal/testenv"
)

// rosterItems runs roster list --json and decodes it.
func rosterItems(t *testing.T, a acct) map[string]rosterJSON {
	t.Helper()
	r := runParley(t, nil, "", a.args("roster list", "--json")...)
	if r.code != 0 {
		t.Fatalf("roster list: exit %d, stderr %q", r.code, r.stderr)
	}
	out := map[string]rosterJSON{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line == "" {
			continue
		}
		var it rosterJSON
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out[it.JID] = it
	}
	return out
}

// TestRosterRoundTrip: roster add (flags after the JID), list as JSON and
// as a table, update, remove; removing what is not there is exit code 5.
func TestRosterRoundTrip(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd", "jabberd2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a := newAcct(t, srv)
			contact := "contact-" + randHex(3) + "@" + srv.Domain
			r := runParley(t, nil, "", a.args("roster add", contact, "--name", "Bob B", "--group", "Friends", "--group", "Work")...)
			if r.code != 0 {
				t.Fatalf("roster add: exit %d, stderr %q", r.code, r.stderr)
			}
			it, ok := rosterItems(t, a)[contact]
			slices.Sort(it.Groups) // a set: jabberd2 reorders it
			if !ok || it.Name != "Bob B" || it.Subscription != "none" || strings.Join(it.Groups, ",") != "Friends,Work" {
				t.Errorf("after add: %+v (present %v)", it, ok)
			}
			r = runParley(t, nil, "", a.args("roster list")...)
			if !strings.HasPrefix(r.stdout, "JID ") || !strings.Contains(r.stdout, contact) || !strings.Contains(r.stdout, "Friends") || !strings.Contains(r.stdout, "Work") {
				t.Errorf("table:\n%s", r.stdout)
			}
			r = runParley(t, nil, "", a.args("roster add", contact, "--name", "Robert")...)
			if r.code != 0 {
				t.Fatalf("roster add (update): exit %d, stderr %q", r.code, r.stderr)
			}
			if it := rosterItems(t, a)[contact]; it.Name != "Robert" || len(it.Groups) != 0 {
				t.Errorf("after update: %+v", it)
			}
			r = runParley(t, nil, "", a.args("roster remove", contact)...)
			if r.code != 0 {
				t.Fatalf("roster remove: exit %d, stderr %q", r.code, r.stderr)
			}
			if _, ok := rosterItems(t, a)[contact]; ok {
				t.Errorf("%s still in the roster", contact)
			}
			r = runParley(t, nil, "", a.args("roster remove", contact)...)
			if r.code != exitRemote || !strings.Contains(r.stderr, "not in the roster") {
				t.Errorf("removing an absent item: exit %d, stderr %q; want 5", r.code, r.stderr)
			}
		})
	}
}

// TestDisco: the server's identities and features, its items, and the
// features of another parley client (listen answers disco#info).
func TestDisco(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	t.Parallel()
	a, b := newAcct(t, srv), newAcct(t, srv)
	r := runParley(t, nil, "", a.args("disco")...)
	if r.code != 0 || !strings.Contains(r.stdout, "identity server/im") || !strings.Contains(r.stdout, "feature http://jabber.org/protocol/disco#info\n") {
		t.Errorf("disco: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runParley(t, nil, "", a.args("disco", "--items", "--json", srv.Domain)...)
	var items itemsJSON
	if err := json.Unmarshal([]byte(r.stdout), &items); r.code != 0 || err != nil {
		t.Fatalf("disco --items: exit %d, %v, stdout %q", r.code, err, r.stdout)
	}
	found := false
	for _, it := range items.Items {
		found = found || it.JID == srv.MUC
	}
	if !found {
		t.Errorf("items %+v lack %s", items, srv.MUC)
	}

	l := startParley(t, nil, b.args("listen", "--resource", "disco-me", "--debug")...)
	l.waitNotice("listening as")
	r = runParley(t, nil, "", a.args("disco", "--json", b.JID+"/disco-me")...)
	var info infoJSON
	if err := json.Unmarshal([]byte(r.stdout), &info); r.code != 0 || err != nil {
		t.Fatalf("disco of a client: exit %d, %v, stdout %q, stderr %q", r.code, err, r.stdout, r.stderr)
	}
	if len(info.Identities) == 0 || !strings.Contains(strings.Join(info.Features, " "), "http://jabber.org/protocol/disco#info") {
		t.Errorf("client info %+v", info)
	}
	// An entity that does not exist: the server answers with an error.
	r = runParley(t, nil, "", a.args("disco", "nobody-"+randHex(3)+"@"+srv.Domain+"/x")...)
	if r.code != exitRemote {
		t.Errorf("disco of nobody: exit %d, stderr %q; want 5", r.code, r.stderr)
	}
}
