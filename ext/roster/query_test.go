package roster

import (
	"errors"
	"slices"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func parseEl(t testing.TB, s string) *xmlstream.Element {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestParseQuery(t *testing.T) {
	bob := jid.MustParse("bob@example.com")
	tests := []struct {
		in      string
		want    Query
		wantErr bool
	}{
		0: {in: `<query xmlns='jabber:iq:roster'/>`},
		1: {in: `<query xmlns='jabber:iq:roster' ver=''/>`, want: Query{HasVer: true}},
		2: {in: `<query xmlns='jabber:iq:roster' ver='ver7'><item jid='bob@example.com'/></query>`,
			want: Query{Ver: "ver7", HasVer: true, Items: []Item{{JID: bob, Subscription: SubNone}}}},
		3: {in: `<query xmlns='jabber:iq:roster'><item jid='Bob@Example.com' name='Bob' subscription='both' ask='subscribe' approved='true'><group>A</group><group>B</group><group>A</group><group/></item></query>`,
			want: Query{Items: []Item{{JID: bob, Name: "Bob", Subscription: SubBoth, Ask: "subscribe", Approved: true, Groups: []string{"A", "B"}}}}},
		4: {in: `<query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='remove'/></query>`,
			want: Query{Items: []Item{{JID: bob, Subscription: SubRemove}}}},
		5: {in: `<query xmlns='jabber:iq:roster'><item name='no jid'/><item jid='bob@example.com'/></query>`,
			want: Query{Items: []Item{{JID: bob, Subscription: SubNone}}}, wantErr: true},
		6: {in: `<query xmlns='jabber:iq:roster'><item jid='a@b@c'/></query>`, wantErr: true},
		7: {in: `<query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='pending'/></query>`, wantErr: true},
		8: {in: `<query xmlns='jabber:iq:roster'><item xmlns='other' jid='bob@example.com'/><x xmlns='y'/></query>`},
		9: {in: `<query xmlns='jabber:iq:roster'><item jid='bob@example.com'><group xmlns='other'>X</group></item></query>`,
			want: Query{Items: []Item{{JID: bob, Subscription: SubNone}}}},
	}
	for i, tt := range tests {
		got, err := ParseQuery(parseEl(t, tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%d: error %v, want error %v", i, err, tt.wantErr)
		}
		if err != nil && !errors.Is(err, stanza.Error{Condition: stanza.BadRequest}) {
			t.Errorf("%d: error %v is not bad-request", i, err)
		}
		if got.Ver != tt.want.Ver || got.HasVer != tt.want.HasVer || !equalItems(got.Items, tt.want.Items) {
			t.Errorf("%d: got %+v, want %+v", i, got, tt.want)
		}
	}
	if _, err := ParseQuery(parseEl(t, `<query xmlns='jabber:iq:version'/>`)); err != ErrNotRoster {
		t.Errorf("other namespace: %v", err)
	}
	if _, err := ParseQuery(nil); err != ErrNotRoster {
		t.Errorf("nil: %v", err)
	}
}

func TestQueryElement(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Query{}, `<query xmlns='jabber:iq:roster'/>`},
		{Query{HasVer: true}, `<query xmlns='jabber:iq:roster' ver=''/>`},
		{Query{Ver: "v2"}, `<query xmlns='jabber:iq:roster' ver='v2'/>`},
		{Query{Items: []Item{{JID: jid.MustParse("a@b"), Name: "A & B", Subscription: SubTo, Groups: []string{"<g>"}}}},
			`<query xmlns='jabber:iq:roster'><item jid='a@b' name='A &amp; B' subscription='to'><group>&lt;g&gt;</group></item></query>`},
		{Query{Items: []Item{{JID: jid.MustParse("a@b"), Subscription: SubNone, Approved: true}}},
			`<query xmlns='jabber:iq:roster'><item jid='a@b' approved='true'/></query>`},
	}
	for i, tt := range tests {
		if got := tt.q.Element().String(); got != tt.want {
			t.Errorf("%d:\n got %s\nwant %s", i, got, tt.want)
		}
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := t.Context()
	var m MemoryStore // the zero value works
	a, b, c := Item{JID: jid.MustParse("a@x")}, Item{JID: jid.MustParse("b@x")}, Item{JID: jid.MustParse("c@x")}
	if err := m.Apply(ctx, "1", b); err != nil {
		t.Fatal(err)
	}
	m.Apply(ctx, "2", a)
	m.Apply(ctx, "3", Item{JID: b.JID, Subscription: SubRemove})
	m.Apply(ctx, "4", c)
	m.Apply(ctx, "5", Item{JID: jid.MustParse("zz@x"), Subscription: SubRemove})
	ver, items, _ := m.Load(ctx)
	if ver != "5" || len(items) != 2 || items[0].JID != a.JID || items[1].JID != c.JID {
		t.Fatalf("after applies: %q %+v", ver, items)
	}
	items[0].Groups = append(items[0].Groups, "mutated")
	m.Replace(ctx, "9", []Item{c, b})
	ver, items, _ = m.Load(ctx)
	if ver != "9" || len(items) != 2 || items[0].JID != c.JID || items[1].JID != b.JID || len(items[0].Groups) != 0 {
		t.Fatalf("after replace: %q %+v", ver, items)
	}
}

func TestDatabase(t *testing.T) {
	ctx := t.Context()
	var log changeLog
	r := New(&Config{OnChange: log.add})
	bob, carol, dave := jid.MustParse("bob@x"), jid.MustParse("carol@x"), jid.MustParse("dave@x")
	r.replace(ctx, "v1", []Item{
		{JID: dave, Subscription: SubNone},
		{JID: bob, Name: "Bob", Subscription: SubBoth, Groups: []string{"Friends", "Work"}},
		{JID: carol, Subscription: SubTo, Ask: "subscribe", Groups: []string{"Work"}},
	})
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Exists bob", r.Exists(bob), true},
		{"Exists bob's full JID", r.Exists(jid.MustParse("bob@x/phone")), true},
		{"Exists eve", r.Exists(jid.MustParse("eve@x")), false},
		{"JIDs", r.JIDs(), []jid.JID{bob, carol, dave}},
		{"Groups", r.Groups(), []string{"Friends", "Work"}},
		{"GroupExists Work", r.GroupExists("Work"), true},
		{"GroupExists Family", r.GroupExists("Family"), false},
		{"GroupJIDs Work", r.GroupJIDs("Work"), []jid.JID{bob, carol}},
		{"GroupJIDs Family", r.GroupJIDs("Family"), []jid.JID{}},
		{"NonGroupJIDs", r.NonGroupJIDs(), []jid.JID{dave}},
		{"Len", r.Len(), 3},
		{"Version", r.Version(), "v1"},
	}
	for _, tt := range tests {
		switch w := tt.want.(type) {
		case []jid.JID:
			if !slices.Equal(tt.got.([]jid.JID), w) {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, w)
			}
		case []string:
			if !slices.Equal(tt.got.([]string), w) {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, w)
			}
		default:
			if tt.got != tt.want {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
			}
		}
	}
	queries := []struct {
		j    jid.JID
		key  Key
		want any
		ok   bool
	}{
		{bob, KeyName, "Bob", true},
		{bob, KeySubscription, SubBoth, true},
		{carol, KeyAsk, "subscribe", true},
		{dave, KeyAsk, "", true},
		{bob, Key(99), nil, false},
		{jid.MustParse("eve@x"), KeyName, nil, false},
	}
	for i, q := range queries {
		got, ok := r.Query(q.j, q.key)
		if ok != q.ok || got != q.want {
			t.Errorf("query %d: %v %v, want %v %v", i, got, ok, q.want, q.ok)
		}
	}
	if g, _ := r.Query(bob, KeyGroups); !slices.Equal(g.([]string), []string{"Friends", "Work"}) {
		t.Errorf("bob's groups: %v", g)
	}
	// Copies: changing what was returned does not change the database.
	it, _ := r.Item(bob)
	it.Groups[0] = "changed"
	if r.GroupExists("changed") {
		t.Error("Item returned the database's own Groups")
	}
	var seen []string
	for it := range r.All() {
		seen = append(seen, it.JID.String())
		if it.JID == carol {
			break
		}
	}
	if !slices.Equal(seen, []string{"bob@x", "carol@x"}) {
		t.Errorf("All with break: %v", seen)
	}

	// Replacing reports added, updated and removed items in order.
	n := log.len()
	r.replace(ctx, "v2", []Item{
		{JID: bob, Name: "Robert", Subscription: SubBoth, Groups: []string{"Friends", "Work"}},
		{JID: carol, Subscription: SubTo, Ask: "subscribe", Groups: []string{"Work"}},
		{JID: jid.MustParse("erin@x"), Subscription: SubFrom},
	})
	log.mu.Lock()
	got := log.cs[n:]
	log.mu.Unlock()
	kinds := []ChangeKind{}
	for _, c := range got {
		kinds = append(kinds, c.Kind)
		if c.Ver != "v2" {
			t.Errorf("change %v has ver %q", c.Kind, c.Ver)
		}
	}
	if !slices.Equal(kinds, []ChangeKind{Updated, Added, Removed}) || got[0].Old.Name != "Bob" || got[0].Item.Name != "Robert" || got[2].Item.JID != dave {
		t.Errorf("changes: %+v", got)
	}
}

func TestChangeKindString(t *testing.T) {
	for k, want := range map[ChangeKind]string{Added: "added", Updated: "updated", Removed: "removed", 0: "invalid", 9: "invalid"} {
		if k.String() != want {
			t.Errorf("%d: %q", k, k.String())
		}
	}
}
