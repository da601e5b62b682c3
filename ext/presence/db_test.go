package presence

import (
	"slices"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// pres parses a presence stanza.
func pres(t testing.TB, s string) stanza.Presence {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := stanza.PresenceFromElement(e)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDB(t *testing.T) {
	bob := jid.MustParse("bob@example.com")
	steps := []struct {
		in        string
		change    ChangeKind // 0: no change
		resources []string   // Resources(bob) afterwards
		top       string     // status of Query(bob), "-" for none
	}{
		0: {`<presence from='bob@example.com/phone'><priority>1</priority><status>phone</status></presence>`, Online, []string{"phone"}, "phone"},
		1: {`<presence from='bob@example.com/desk'><priority>10</priority><status>desk</status></presence>`, Online, []string{"desk", "phone"}, "desk"},
		2: {`<presence from='bob@example.com/laptop'><priority>1</priority><status>laptop</status></presence>`, Online, []string{"desk", "laptop", "phone"}, "desk"},
		// The desk drops below: equal priorities, the latest first.
		3:  {`<presence from='bob@example.com/desk'><priority>-1</priority><show>away</show><status>desk away</status></presence>`, Online, []string{"laptop", "phone", "desk"}, "laptop"},
		4:  {`<presence from='bob@example.com/laptop' type='unavailable'/>`, Offline, []string{"phone", "desk"}, "phone"},
		5:  {`<presence from='bob@example.com/tablet' type='unavailable'/>`, 0, []string{"phone", "desk"}, "phone"},
		6:  {`<presence from='bob@example.com' type='subscribe'/>`, 0, []string{"phone", "desk"}, "phone"},
		7:  {`<presence from='bob@example.com/phone' type='probe'/>`, 0, []string{"phone", "desk"}, "phone"},
		8:  {`<presence><status>no from</status></presence>`, 0, []string{"phone", "desk"}, "phone"},
		9:  {`<presence from='bob@example.com/phone' type='error'><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`, Failed, []string{"desk"}, "desk away"},
		10: {`<presence from='bob@example.com/phone'><status>back</status></presence>`, Online, []string{"phone", "desk"}, "back"},
		// Unavailable from the bare JID takes every resource with it.
		11: {`<presence from='bob@example.com' type='unavailable'/>`, Offline, []string{}, "-"},
		12: {`<presence from='bob@example.com'><priority>3</priority><status>bare</status></presence>`, Online, []string{""}, "bare"},
		13: {`<presence from='bob@example.com' type='error'><error type='cancel'><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`, Failed, []string{}, "-"},
	}
	var db DB
	for i, st := range steps {
		c, changed := db.Parse(pres(t, st.in))
		if changed != (st.change != 0) || (changed && c.Kind != st.change) {
			t.Errorf("%d: change %v %v, want %v", i, c.Kind, changed, st.change)
		}
		if got := db.Resources(bob); !slices.Equal(got, st.resources) {
			t.Errorf("%d: resources %q, want %q", i, got, st.resources)
		}
		top, ok := db.Query(bob)
		if got := top.Status(""); (!ok && st.top != "-") || (ok && got != st.top) {
			t.Errorf("%d: top %q %v, want %q", i, got, ok, st.top)
		}
	}
}

func TestDBQueriesDeleteClear(t *testing.T) {
	db := NewDB()
	for _, s := range []string{
		`<presence from='bob@example.com/a'><priority>2</priority></presence>`,
		`<presence from='bob@example.com/b'><priority>5</priority></presence>`,
		`<presence from='alice@example.com/x'/>`,
	} {
		db.Parse(pres(t, s))
	}
	if p, ok := db.Query(jid.MustParse("bob@example.com/a")); !ok || p.Priority() != 2 {
		t.Errorf("full JID query: %v %v", p.Priority(), ok)
	}
	if _, ok := db.Query(jid.MustParse("bob@example.com/zzz")); ok {
		t.Error("unknown resource found")
	}
	if got := db.JIDs(); len(got) != 2 || got[0].String() != "alice@example.com" || got[1].String() != "bob@example.com" {
		t.Errorf("JIDs %v", got)
	}
	var all []string
	for j := range db.All() {
		all = append(all, j.String())
	}
	if !slices.Equal(all, []string{"alice@example.com/x", "bob@example.com/b", "bob@example.com/a"}) {
		t.Errorf("All %v", all)
	}
	if !db.Delete(jid.MustParse("bob@example.com/b")) || db.Delete(jid.MustParse("bob@example.com/b")) {
		t.Error("Delete of a resource")
	}
	if got := db.Resources(jid.MustParse("bob@example.com")); !slices.Equal(got, []string{"a"}) {
		t.Errorf("after Delete: %v", got)
	}
	if !db.Delete(jid.MustParse("bob@example.com")) || len(db.JIDs()) != 1 {
		t.Errorf("Delete of a bare JID: %v", db.JIDs())
	}
	db.Clear()
	if len(db.JIDs()) != 0 {
		t.Errorf("after Clear: %v", db.JIDs())
	}
}

// Parse keeps its own copy: changing the stanza afterwards does not change
// the database.
func TestDBCopies(t *testing.T) {
	var db DB
	p := pres(t, `<presence from='bob@example.com/a'><status>one</status></presence>`)
	db.Parse(p)
	p.SetStatus("", "two")
	if got, _ := db.Query(jid.MustParse("bob@example.com")); got.Status("") != "one" {
		t.Errorf("stored status changed to %q", got.Status(""))
	}
}
