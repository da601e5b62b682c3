package presence

import (
	"context"
	"errors"
	"sync"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// recorder collects what a Manager reports.
type recorder struct {
	mu       sync.Mutex
	requests []Request
	subs     []SubscriptionEvent
	changes  []Change
}

func (r *recorder) config(p Policy) *Config {
	return &Config{
		Policy:         p,
		OnRequest:      func(q Request) { r.mu.Lock(); r.requests = append(r.requests, q); r.mu.Unlock() },
		OnSubscription: func(e SubscriptionEvent) { r.mu.Lock(); r.subs = append(r.subs, e); r.mu.Unlock() },
		OnChange:       func(c Change) { r.mu.Lock(); r.changes = append(r.changes, c); r.mu.Unlock() },
	}
}

func (r *recorder) counts() (int, int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.requests), len(r.subs), len(r.changes)
}

func TestPolicies(t *testing.T) {
	tests := []struct {
		policy Policy
		answer string // the type of presence sent back to a subscribe, "" for none
		unsub  string // the answer to an unsubscribe
	}{
		{Ask, "", ""},
		{AcceptAll, "subscribed", "unsubscribed"},
		{RejectAll, "unsubscribed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			s, p := newPeerSession(t, "alice@localhost/home")
			var rec recorder
			m := New(rec.config(tt.policy))
			if _, err := s.Add(m); err != nil {
				t.Fatal(err)
			}
			p.Send(`<presence from='bob@localhost' type='subscribe'><status>let me in</status></presence>`)
			if tt.answer != "" {
				e := p.Next()
				if e.Name.Local != "presence" || e.Get("type") != tt.answer || e.Get("to") != "bob@localhost" {
					t.Fatalf("answer %s, want %s to bob", e, tt.answer)
				}
			}
			p.Sync()
			nreq, nsub, _ := rec.counts()
			if want := map[bool]int{true: 1, false: 0}[tt.policy == Ask]; nreq != want || len(m.Pending()) != want {
				t.Fatalf("%d requests reported, %d pending; want %d", nreq, len(m.Pending()), want)
			}
			if nsub != 1 || rec.subs[0].Type != stanza.PresenceSubscribe || rec.subs[0].Answer != stanza.PresenceType(tt.answer) {
				t.Fatalf("subscription events %+v", rec.subs)
			}
			p.Send(`<presence from='bob@localhost/x' type='unsubscribe'/>`)
			if tt.unsub != "" {
				if e := p.Next(); e.Get("type") != tt.unsub || e.Get("to") != "bob@localhost" {
					t.Fatalf("answer to unsubscribe %s", e)
				}
			}
			p.Sync()
			if len(m.Pending()) != 0 {
				t.Errorf("a withdrawn request is still pending")
			}
			// Approvals and refusals from contacts are reported and never
			// answered.
			p.Send(`<presence from='carol@localhost' type='subscribed'/><presence from='dave@localhost' type='unsubscribed'/>`)
			p.Sync()
			_, nsub, _ = rec.counts()
			if nsub != 4 || rec.subs[2].From.String() != "carol@localhost" || rec.subs[3].Type != stanza.PresenceUnsubscribed || rec.subs[3].Answer != "" {
				t.Errorf("subscription events %+v", rec.subs)
			}
		})
	}
}

func TestAskAnsweredLater(t *testing.T) {
	s, p := newPeerSession(t, "alice@localhost/home")
	var rec recorder
	m := New(rec.config(Ask))
	if _, err := s.Add(m); err != nil {
		t.Fatal(err)
	}
	p.Send(`<presence from='bob@localhost/phone' type='subscribe'/><presence from='carol@localhost' type='subscribe'/><presence from='bob@localhost' type='subscribe'/>`)
	p.Sync()
	if nreq, _, _ := rec.counts(); nreq != 2 {
		t.Fatalf("%d requests reported, want 2 (a repeated request is not reported again)", nreq)
	}
	pending := m.Pending()
	if len(pending) != 2 || pending[0].From.String() != "bob@localhost" || pending[1].From.String() != "carol@localhost" {
		t.Fatalf("pending %+v", pending)
	}
	ctx := context.Background()
	if err := pending[0].Approve(ctx); err != nil {
		t.Fatal(err)
	}
	if e := p.Next(); e.Get("type") != "subscribed" || e.Get("to") != "bob@localhost" {
		t.Fatalf("approval %s", e)
	}
	if err := pending[1].Deny(ctx); err != nil {
		t.Fatal(err)
	}
	if e := p.Next(); e.Get("type") != "unsubscribed" || e.Get("to") != "carol@localhost" {
		t.Fatalf("refusal %s", e)
	}
	if len(m.Pending()) != 0 {
		t.Errorf("still pending: %+v", m.Pending())
	}
	if err := m.Subscribe(ctx, jid.MustParse("dave@localhost/x")); err != nil {
		t.Fatal(err)
	}
	if e := p.Next(); e.Get("type") != "subscribe" || e.Get("to") != "dave@localhost" {
		t.Fatalf("subscribe %s", e)
	}
	if err := m.Unsubscribe(ctx, jid.MustParse("dave@localhost")); err != nil {
		t.Fatal(err)
	}
	if e := p.Next(); e.Get("type") != "unsubscribe" {
		t.Fatalf("unsubscribe %s", e)
	}
}

func TestManagerDB(t *testing.T) {
	s, p := newPeerSession(t, "alice@localhost/home")
	var rec recorder
	m := New(rec.config(Ask))
	remove, err := s.Add(m)
	if err != nil {
		t.Fatal(err)
	}
	p.Send(`<presence from='bob@localhost/a'><priority>1</priority></presence>` +
		`<presence from='bob@localhost/b'><priority>7</priority><show>dnd</show></presence>`)
	p.Sync()
	bob := jid.MustParse("bob@localhost")
	if top, ok := m.DB().Query(bob); !ok || top.From.Resourcepart() != "b" || top.Show() != stanza.ShowDND {
		t.Fatalf("top presence %v %v", top.From, ok)
	}
	p.Send(`<presence from='bob@localhost/b' type='unavailable'/>`)
	p.Sync()
	if got := m.DB().Resources(bob); len(got) != 1 || got[0] != "a" {
		t.Fatalf("resources %v", got)
	}
	if _, _, n := rec.counts(); n != 3 || rec.changes[2].Kind != Offline {
		t.Fatalf("changes %+v", rec.changes)
	}
	remove()
	p.Send(`<presence from='carol@localhost/a'/>`)
	p.Sync()
	if _, ok := m.DB().Query(jid.MustParse("carol@localhost")); ok {
		t.Error("a removed Manager still records presence")
	}
	if err := m.Approve(context.Background(), bob); !errors.Is(err, ErrNotAdded) {
		t.Errorf("Approve after removal: %v", err)
	}
	if _, err := s.Add(m); err != nil {
		t.Errorf("adding again after removal: %v", err)
	}
	if _, err := s.Add(m); !errors.Is(err, ErrAdded) {
		t.Errorf("adding twice: %v", err)
	}
}
