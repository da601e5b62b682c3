package roster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// changeLog records OnChange calls.
type changeLog struct {
	mu sync.Mutex
	cs []Change
}

func (l *changeLog) add(c Change) { l.mu.Lock(); l.cs = append(l.cs, c); l.mu.Unlock() }
func (l *changeLog) len() int     { l.mu.Lock(); defer l.mu.Unlock(); return len(l.cs) }

// push sends a roster push and returns the Session's answer.
func (p *peer) push(id, from, items string) *xmlstream.Element {
	p.t.Helper()
	attr := ""
	if from != "" {
		attr = fmt.Sprintf(" from='%s'", from)
	}
	p.Send(fmt.Sprintf(`<iq type='set' id='%s'%s><query xmlns='jabber:iq:roster'>%s</query></iq>`, id, attr, items))
	e := p.Next()
	if e.Name.Local != "iq" || e.Get("id") != id {
		p.t.Fatalf("answer to push %s: %s", id, e)
	}
	return e
}

func TestPushSecurity(t *testing.T) {
	s, p := newPeerSession(t, "alice@localhost/home", "")
	var log changeLog
	r := New(&Config{OnChange: log.add})
	if _, err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	// A genuine push without from, then one from the account's bare JID.
	if e := p.push("p1", "", `<item jid='bob@localhost' name='Bob'><group>Friends</group></item>`); e.Get("type") != "result" {
		t.Fatalf("push without from: %s", e)
	}
	if e := p.push("p2", "alice@localhost", `<item jid='carol@localhost' subscription='both'/>`); e.Get("type") != "result" {
		t.Fatalf("push from own bare JID: %s", e)
	}
	want := []Item{
		{JID: jid.MustParse("bob@localhost"), Name: "Bob", Subscription: SubNone, Groups: []string{"Friends"}},
		{JID: jid.MustParse("carol@localhost"), Subscription: SubBoth},
	}
	if got := r.Items(); !equalItems(got, want) {
		t.Fatalf("items after genuine pushes: %+v", got)
	}
	if log.len() != 2 {
		t.Fatalf("%d changes after two pushes", log.len())
	}

	evil := `<item jid='mallory@evil.example' name='Trusted'/>`
	tests := []struct {
		name, from, items string
		cond              stanza.Condition
	}{
		{"another user", "mallory@evil.example", evil, stanza.ServiceUnavailable},
		{"another user's full JID", "mallory@evil.example/x", evil, stanza.ServiceUnavailable},
		{"another user of our server", "bob@localhost", evil, stanza.ServiceUnavailable},
		{"own full JID of another resource", "alice@localhost/work", evil, stanza.ServiceUnavailable},
		{"own full JID", "alice@localhost/home", evil, stanza.ServiceUnavailable},
		{"the server", "localhost", evil, stanza.ServiceUnavailable},
		{"zero items", "", ``, stanza.BadRequest},
		{"two items", "", evil + `<item jid='eve@evil.example'/>`, stanza.BadRequest},
		{"two items removing", "", `<item jid='bob@localhost' subscription='remove'/><item jid='carol@localhost' subscription='remove'/>`, stanza.BadRequest},
		{"item without jid", "", `<item name='x'/>`, stanza.BadRequest},
		{"malformed jid", "", `<item jid='@@'/>`, stanza.BadRequest},
		{"unknown subscription", "", `<item jid='bob@localhost' subscription='all'/>`, stanza.BadRequest},
		{"spoofed removal", "mallory@evil.example", `<item jid='bob@localhost' subscription='remove'/>`, stanza.ServiceUnavailable},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := p.push(fmt.Sprintf("s%d", i), tt.from, tt.items)
			iq, err := stanza.IQFromElement(e)
			if err != nil || iq.Type != stanza.IQError {
				t.Fatalf("answer %s (%v), want an error", e, err)
			}
			se, _ := iq.Error()
			if se.Condition != tt.cond {
				t.Errorf("condition %q, want %q", se.Condition, tt.cond)
			}
			if tt.from != "" && iq.To.String() != tt.from {
				t.Errorf("error sent to %v, want %s", iq.To, tt.from)
			}
			if got := r.Items(); !equalItems(got, want) {
				t.Errorf("items changed: %+v", got)
			}
			if log.len() != 2 {
				t.Errorf("%d changes reported", log.len())
			}
		})
	}

	// A genuine removal still works after all that.
	if e := p.push("p3", "", `<item jid='bob@localhost' subscription='remove'/>`); e.Get("type") != "result" {
		t.Fatalf("removal push: %s", e)
	}
	if r.Exists(jid.MustParse("bob@localhost")) || r.Len() != 1 {
		t.Fatalf("after removal: %+v", r.Items())
	}
}

func equalItems(a, b []Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// fetchAsync runs Fetch in a goroutine.
func fetchAsync(r *Roster) <-chan fetchResult {
	ch := make(chan fetchResult, 1)
	go func() {
		f, err := r.Fetch(context.Background())
		ch <- fetchResult{f, err}
	}()
	return ch
}

type fetchResult struct {
	f   Fetched
	err error
}

// expectGet reads a roster get and returns its id and ver attribute.
func (p *peer) expectGet() (id, ver string, hasVer bool) {
	p.t.Helper()
	e := p.Next()
	q := e.Child(NS, "query")
	if e.Name.Local != "iq" || e.Get("type") != "get" || q == nil {
		p.t.Fatalf("want a roster get, got %s", e)
	}
	ver, hasVer = q.Lookup("", "ver")
	return e.Get("id"), ver, hasVer
}

func TestFetchVersioned(t *testing.T) {
	store := NewMemoryStore()
	s, p := newPeerSession(t, "alice@localhost/home", `<ver xmlns='urn:xmpp:features:rosterver'/>`)
	r := New(&Config{Store: store})
	remove, err := s.Add(r)
	if err != nil {
		t.Fatal(err)
	}

	// First fetch: nothing stored, so ver=''.
	ch := fetchAsync(r)
	id, ver, has := p.expectGet()
	if !has || ver != "" {
		t.Fatalf("first fetch ver=%q (present %v), want ver=''", ver, has)
	}
	p.Send(`<iq type='result' id='` + id + `'><query xmlns='jabber:iq:roster' ver='v1'><item jid='bob@localhost' subscription='both'/><item jid='carol@localhost' ask='subscribe'/><item jid='bad@@'/></query></iq>`)
	res := <-ch
	if res.err != nil || res.f.Items != 2 || res.f.Skipped != 1 || res.f.Ver != "v1" || res.f.Unchanged || !res.f.Versioned {
		t.Fatalf("first fetch: %+v %v", res.f, res.err)
	}

	// Second fetch: the stored version; the server says nothing changed.
	ch = fetchAsync(r)
	id, ver, _ = p.expectGet()
	if ver != "v1" {
		t.Fatalf("second fetch ver=%q, want v1", ver)
	}
	p.Send(`<iq type='result' id='` + id + `'/>`)
	res = <-ch
	if res.err != nil || !res.f.Unchanged || res.f.Items != 0 || r.Len() != 2 {
		t.Fatalf("second fetch: %+v %v, %d items", res.f, res.err, r.Len())
	}

	// A push brings a new version to the database and the store.
	if e := p.push("p1", "", `<item jid='dave@localhost'/>`); e.Get("type") != "result" {
		t.Fatalf("push: %s", e)
	}
	p.Send(`<iq type='set' id='p2'><query xmlns='jabber:iq:roster' ver='v3'><item jid='carol@localhost' subscription='remove'/></query></iq>`)
	p.Next()
	if v, items, _ := store.Load(context.Background()); v != "v3" || len(items) != 2 || r.Version() != "v3" {
		t.Fatalf("store after pushes: %q %+v; roster version %q", v, items, r.Version())
	}
	remove()

	// A new Roster on the same store (a restart) starts from the stored
	// roster and asks with its version.
	r2 := New(&Config{Store: store})
	if _, err := s.Add(r2); err != nil {
		t.Fatal(err)
	}
	ch = fetchAsync(r2)
	id, ver, _ = p.expectGet()
	if ver != "v3" {
		t.Fatalf("fetch after restart ver=%q, want v3", ver)
	}
	p.Send(`<iq type='result' id='` + id + `'/>`)
	res = <-ch
	if res.err != nil || !res.f.Unchanged {
		t.Fatalf("fetch after restart: %+v %v", res.f, res.err)
	}
	got := r2.JIDs()
	if len(got) != 2 || got[0].String() != "bob@localhost" || got[1].String() != "dave@localhost" {
		t.Fatalf("items after restart: %v", got)
	}
}

func TestFetchVersioningChoice(t *testing.T) {
	tests := []struct {
		features string
		mode     Versioning
		want     bool
	}{
		{"", VersioningAuto, false},
		{`<ver xmlns='urn:xmpp:features:rosterver'/>`, VersioningAuto, true},
		{`<ver xmlns='urn:xmpp:features:rosterver'/>`, VersioningOff, false},
		{"", VersioningOn, true},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			s, p := newPeerSession(t, "alice@localhost/home", tt.features)
			r := New(&Config{Versioning: tt.mode})
			if _, err := s.Add(r); err != nil {
				t.Fatal(err)
			}
			ch := fetchAsync(r)
			id, _, has := p.expectGet()
			if has != tt.want {
				t.Errorf("ver attribute present %v, want %v", has, tt.want)
			}
			p.Send(`<iq type='result' id='` + id + `'><query xmlns='jabber:iq:roster'><item jid='bob@localhost'/></query></iq>`)
			if res := <-ch; res.err != nil || res.f.Items != 1 || res.f.Versioned != tt.want {
				t.Errorf("fetch: %+v %v", res.f, res.err)
			}
		})
	}
}

func TestNotAdded(t *testing.T) {
	r := New(nil)
	if _, err := r.Fetch(context.Background()); !errors.Is(err, ErrNotAdded) {
		t.Errorf("Fetch: %v", err)
	}
	if err := r.Set(context.Background(), Item{JID: jid.MustParse("bob@localhost")}); !errors.Is(err, ErrNotAdded) {
		t.Errorf("Set: %v", err)
	}
	if err := r.Remove(context.Background(), jid.JID{}); !errors.Is(err, ErrNoJID) {
		t.Errorf("Remove: %v", err)
	}
}

func TestSetAndRemoveRequests(t *testing.T) {
	s, p := newPeerSession(t, "alice@localhost/home", "")
	r := New(nil)
	if _, err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(r); !errors.Is(err, ErrAdded) {
		t.Fatalf("second Add: %v", err)
	}
	errc := make(chan error, 1)
	go func() {
		errc <- r.Set(context.Background(), Item{JID: jid.MustParse("bob@localhost"), Name: "Bob", Subscription: SubBoth, Ask: "subscribe", Groups: []string{"A", "B"}})
	}()
	e := p.Next()
	want := `<item xmlns='jabber:iq:roster' jid='bob@localhost' name='Bob'><group>A</group><group>B</group></item>`
	if got := e.Child(NS, "query").FirstChild().String(); got != want || e.Get("type") != "set" {
		t.Errorf("set request item\n got %s\nwant %s", got, want)
	}
	p.Send(`<iq type='result' id='` + e.Get("id") + `'/>`)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	go func() { errc <- r.Remove(context.Background(), jid.MustParse("bob@localhost")) }()
	e = p.Next()
	want = `<item xmlns='jabber:iq:roster' jid='bob@localhost' subscription='remove'/>`
	if got := e.Child(NS, "query").FirstChild().String(); got != want {
		t.Errorf("remove request item\n got %s\nwant %s", got, want)
	}
	p.Send(`<iq type='error' id='` + e.Get("id") + `'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	if err := <-errc; !errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) {
		t.Fatalf("remove of an unknown item: %v", err)
	}
}
