package presence_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/presence"
	"parley.dev/xmpp/ext/roster"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// party is one logged-in resource with a roster and a presence Manager
// whose callbacks record what happened and wake waitFor.
type party struct {
	t    *testing.T
	s    *xmpp.Session
	jid  jid.JID
	r    *roster.Roster
	m    *presence.Manager
	kick chan struct{}

	mu   sync.Mutex
	subs []presence.SubscriptionEvent
	last string
}

func (p *party) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// join logs acct in on srv as resource, with policy, and fetches the
// roster. onRequest, when set, receives Ask requests.
func join(t *testing.T, srv *testenv.ServerInfo, acct testenv.Account, resource string, policy presence.Policy, onRequest func(presence.Request)) *party {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var s *xmpp.Session
	var err error
	for attempt := 1; ; attempt++ {
		s, err = client.Dial(ctx, jid.MustParse(acct.JID), &client.Config{
			Password: acct.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig(), Resource: resource,
		})
		// Under parallel logins jabberd2's c2s sometimes answers with an
		// internal-server-error stream error (a server-side failure).
		if err == nil || attempt == 3 || srv.Name != "jabberd2" ||
			!errors.Is(err, stanza.StreamError{Condition: stanza.StreamInternalServerError}) {
			break
		}
		t.Logf("%s: login failed with %v; retrying", srv.Name, err)
	}
	if err != nil {
		t.Fatalf("%s: dial %s/%s: %v", srv.Name, acct.JID, resource, err)
	}
	t.Cleanup(func() { s.Close() })
	p := &party{t: t, s: s, jid: s.JID(), kick: make(chan struct{}, 1)}
	p.r = roster.New(&roster.Config{OnChange: func(roster.Change) { p.wake() }})
	p.m = presence.New(&presence.Config{
		Policy: policy,
		OnRequest: func(r presence.Request) {
			if onRequest != nil {
				onRequest(r)
			}
			p.wake()
		},
		OnSubscription: func(e presence.SubscriptionEvent) {
			p.mu.Lock()
			p.subs = append(p.subs, e)
			p.mu.Unlock()
			p.wake()
		},
		OnChange: func(presence.Change) { p.wake() },
	})
	for _, ext := range []xmpp.Extension{p.r, p.m} {
		if _, err := s.Add(ext); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.r.Fetch(ctx); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	return p
}

// waitFor waits until cond holds, woken by the party's callbacks.
func (p *party) waitFor(what string, cond func() bool) {
	p.t.Helper()
	timeout := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-p.kick:
		case <-timeout:
			p.mu.Lock()
			defer p.mu.Unlock()
			p.t.Fatalf("%v: timed out waiting for %s (last seen: %s); roster %+v; subscription events %+v", p.jid, what, p.last, p.r.Items(), p.subs)
		}
	}
}

// got reports whether a subscription presence of type typ came from j.
func (p *party) got(typ stanza.PresenceType, j jid.JID) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.ContainsFunc(p.subs, func(e presence.SubscriptionEvent) bool { return e.Type == typ && e.From == j.Bare() })
}

// clean empties the roster, cancelling subscriptions left by earlier runs.
func (p *party) clean(ctx context.Context) {
	p.t.Helper()
	for _, j := range p.r.JIDs() {
		if err := p.r.Remove(ctx, j); err != nil {
			p.t.Fatalf("remove %v: %v", j, err)
		}
	}
	p.waitFor("an empty roster", func() bool { return p.r.Len() == 0 })
}

func (p *party) online(ctx context.Context, prio int8, status string) {
	p.t.Helper()
	if err := presence.SendAvailable(ctx, p.s, &presence.Options{Priority: prio, Status: map[string]string{"": status}}); err != nil {
		p.t.Fatal(err)
	}
}

func (p *party) sub(j jid.JID) roster.Subscription {
	it, ok := p.r.Item(j)
	if !ok {
		return ""
	}
	return it.Subscription
}

// TestRealServerSubscriptionHandshake runs the whole subscription
// handshake between two accounts (RFC 6121 §3.1) under each policy: under
// Ask and AcceptAll both subscribe to each other and end with subscription
// both and each other's presence; under RejectAll the request is refused.
func TestRealServerSubscriptionHandshake(t *testing.T) {
	for _, name := range testenv.Names() {
		for _, policy := range []presence.Policy{presence.Ask, presence.AcceptAll, presence.RejectAll} {
			t.Run(name+"/"+policy.String(), func(t *testing.T) {
				t.Parallel()
				srv := testenv.Server(t, name)
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				// Under Ask, each side approves later, from the test
				// goroutine, what its callback handed over.
				reqA, reqB := make(chan presence.Request, 8), make(chan presence.Request, 8)
				a := join(t, srv, srv.Account(t), "a", policy, func(r presence.Request) { reqA <- r })
				b := join(t, srv, srv.Account(t), "b", policy, func(r presence.Request) { reqB <- r })
				a.clean(ctx)
				b.clean(ctx)
				a.online(ctx, 1, "a here")
				b.online(ctx, 1, "b here")
				bareA, bareB := a.jid.Bare(), b.jid.Bare()

				if err := a.m.Subscribe(ctx, bareB); err != nil {
					t.Fatal(err)
				}
				if policy == presence.Ask {
					answerRequest(t, b, reqB, bareA)
				}
				if policy == presence.RejectAll && refusalDropped[name] {
					b.waitFor("the refusal sent", func() bool {
						b.mu.Lock()
						defer b.mu.Unlock()
						return slices.ContainsFunc(b.subs, func(e presence.SubscriptionEvent) bool {
							return e.Type == stanza.PresenceSubscribe && e.From == bareA && e.Answer == stanza.PresenceUnsubscribed
						})
					})
					t.Skipf("%s does not deliver an unsubscribed refusal from a contact without a roster item for the user (RFC 6121 §3.1.4); the refusal was sent", name)
				}
				if policy == presence.RejectAll {
					a.waitFor("the refusal", func() bool { return a.got(stanza.PresenceUnsubscribed, bareB) })
					a.waitFor("a roster item without subscription", func() bool {
						it, ok := a.r.Item(bareB)
						return ok && it.Subscription == roster.SubNone && it.Ask == ""
					})
					if _, ok := a.m.DB().Query(bareB); ok {
						t.Errorf("a refused subscriber has b's presence")
					}
					return
				}
				a.waitFor("the approval", func() bool { return a.got(stanza.PresenceSubscribed, bareB) })
				a.waitFor("subscription to", func() bool { return a.sub(bareB) == roster.SubTo })
				a.waitFor("b's presence", func() bool { p, ok := a.m.DB().Query(bareB); return ok && p.Status("") == "b here" })

				// And back: b subscribes to a.
				if err := b.m.Subscribe(ctx, bareA); err != nil {
					t.Fatal(err)
				}
				if policy == presence.Ask {
					answerRequest(t, a, reqA, bareB)
				}
				b.waitFor("the approval", func() bool { return b.got(stanza.PresenceSubscribed, bareA) })
				b.waitFor("subscription both", func() bool { return b.sub(bareA) == roster.SubBoth })
				b.waitFor("a's presence", func() bool { p, ok := b.m.DB().Query(bareA); return ok && p.Status("") == "a here" })
				a.waitFor("subscription both", func() bool { return a.sub(bareB) == roster.SubBoth })
				if len(a.m.Pending())+len(b.m.Pending()) != 0 {
					t.Errorf("requests still pending: %+v %+v", a.m.Pending(), b.m.Pending())
				}
			})
		}
	}
}

// refusalDropped lists the servers that drop the contact's unsubscribed
// when the contact has no roster item for the user (jabberd2 2.7), so the
// user never learns of the refusal.
var refusalDropped = map[string]bool{"jabberd2": true}

// answerRequest waits for from's request on p and approves it.
func answerRequest(t *testing.T, p *party, reqs <-chan presence.Request, from jid.JID) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case r := <-reqs:
			if r.From != from {
				continue // left over from an earlier run
			}
			if !slices.ContainsFunc(p.m.Pending(), func(q presence.Request) bool { return q.From == from }) {
				t.Errorf("request from %v not in Pending", from)
			}
			if err := r.Approve(context.Background()); err != nil {
				t.Fatal(err)
			}
			return
		case <-timeout:
			t.Fatalf("%v: no subscription request from %v", p.jid, from)
		}
	}
}

// TestRealServerPresenceDB: an observer subscribed to an account sees its
// two resources ordered by priority, then one going unavailable
// (Net::XMPP's PresenceDB over RFC 6121 §4).
func TestRealServerPresenceDB(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			acct := srv.Account(t)
			high := join(t, srv, acct, "high", presence.AcceptAll, nil)
			obs := join(t, srv, srv.Account(t), "observer", presence.AcceptAll, nil)
			high.clean(ctx)
			obs.clean(ctx)
			high.online(ctx, 10, "high")
			obs.online(ctx, 0, "watching")
			target := high.jid.Bare()
			if err := obs.m.Subscribe(ctx, target); err != nil {
				t.Fatal(err)
			}
			obs.waitFor("the approval", func() bool { return obs.got(stanza.PresenceSubscribed, target) })

			low := join(t, srv, acct, "low", presence.AcceptAll, nil)
			low.online(ctx, 2, "low")
			db := obs.m.DB()
			// Only this test's resources: a pool account may still show one
			// that an earlier test's process left without closing its
			// stream, which the server keeps for resumption for a while.
			ours := func(rs []string) []string {
				return slices.DeleteFunc(rs, func(r string) bool { return r != "high" && r != "low" })
			}
			obs.waitFor("both resources by priority", func() bool {
				ok := slices.Equal(ours(db.Resources(target)), []string{"high", "low"})
				if !ok {
					obs.last = fmt.Sprint(db.Resources(target))
				}
				return ok
			})
			if top, ok := db.Query(target); !ok || top.From != high.jid || top.Priority() != 10 || top.Status("") != "high" {
				t.Fatalf("top presence %v prio %d %q", top.From, top.Priority(), top.Status(""))
			}
			if p, ok := db.Query(low.jid); !ok || p.Priority() != 2 {
				t.Fatalf("low's presence %v %v", p.From, ok)
			}

			if err := presence.SendUnavailable(ctx, high.s, &presence.Options{Status: map[string]string{"": "gone"}}); err != nil {
				t.Fatal(err)
			}
			obs.waitFor("the high resource gone", func() bool {
				return slices.Equal(ours(db.Resources(target)), []string{"low"})
			})
			if top, ok := db.Query(target); !ok || top.From != low.jid || top.Status("") != "low" {
				t.Fatalf("top presence after unavailable %v %q", top.From, top.Status(""))
			}
		})
	}
}
