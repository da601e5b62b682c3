package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/ext/presence"
	"parley.dev/xmpp/ext/roster"
	"parley.dev/xmpp/stanza"
)

// The instant-messaging steps: subscriptions, the roster and presence
// databases, out-of-band data. Each peer runs the roster (RFC 6121 §2),
// presence (RFC 6121 §3-4, accept-all policy, like Net::XMPP's default
// callbacks) and OOB (XEP-0066) extensions, added in connect.

// subscribe: each fetches its roster and sends initial presence (an
// "interested" and "available" resource, RFC 6121 §1.4, is what receives
// subscription requests), then adds the other to its roster and asks for a
// presence subscription; the other's accept-all policy approves, so both
// end with subscription "both" (RFC 6121 §3.1). When an earlier run left
// the subscription in place, the server answers for the contact (§3.1.3),
// so every run prints the same.
func subscribe(ctx context.Context, d *demo) error {
	for i, p := range []*peer{d.alice, d.bob} {
		if _, err := p.roster.Fetch(ctx); err != nil {
			return fmt.Errorf("%s: roster fetch: %w", p.name, err)
		}
		o := &presence.Options{Show: stanza.ShowChat, Priority: int8(5 + i), Status: map[string]string{"": "Trying Parley"}}
		if err := presence.SendAvailable(ctx, p.s, o); err != nil {
			return err
		}
		d.say(p.name, "roster fetched (%d items), initial presence sent (show chat, priority %d)", p.roster.Len(), 5+i)
	}
	for _, pair := range [][2]*peer{{d.alice, d.bob}, {d.bob, d.alice}} {
		from, to := pair[0], pair[1]
		item := roster.Item{JID: to.s.JID().Bare(), Name: strings.ToUpper(to.name[:1]) + to.name[1:], Groups: []string{"Friends"}}
		if err := from.roster.Set(ctx, item); err != nil {
			return err
		}
		if err := from.pres.Subscribe(ctx, item.JID); err != nil {
			return err
		}
		d.say(from.name+" → "+to.name, "subscribe (roster name %q, group %q)", item.Name, item.Groups[0])
		err := waitFor(ctx, func() bool {
			it, ok := from.roster.Item(item.JID)
			return ok && (it.Subscription == roster.SubTo || it.Subscription == roster.SubBoth)
		})
		if err != nil {
			return fmt.Errorf("%s never approved %s: %w", to.name, from.name, err)
		}
		d.say(to.name+" → "+from.name, "subscribed (%s's policy: %s)", to.name, to.pres.Policy())
	}
	for _, pair := range [][2]*peer{{d.alice, d.bob}, {d.bob, d.alice}} {
		err := waitFor(ctx, func() bool {
			it, ok := pair[0].roster.Item(pair[1].s.JID().Bare())
			return ok && it.Subscription == roster.SubBoth
		})
		if err != nil {
			return fmt.Errorf("%s's roster never showed both: %w", pair[0].name, err)
		}
	}
	return nil
}

// showRosters prints each roster database (Net::XMPP's RosterDB).
func showRosters(ctx context.Context, d *demo) error {
	for _, p := range []*peer{d.alice, d.bob} {
		for it := range p.roster.All() {
			d.say(p.name+" roster", "%-28s name %q, subscription %s, groups %v", it.JID, it.Name, it.Subscription, it.Groups)
		}
	}
	return nil
}

// showPresence: once subscribed, each receives the other's presence
// (RFC 6121 §3.1.6 and §4.2); the presence database (Net::XMPP's
// PresenceDB) fills and is printed.
func showPresence(ctx context.Context, d *demo) error {
	for _, pair := range [][2]*peer{{d.alice, d.bob}, {d.bob, d.alice}} {
		from := pair[1].s.JID()
		if err := waitFor(ctx, func() bool { _, ok := pair[0].pres.DB().Query(from); return ok }); err != nil {
			return fmt.Errorf("%s's presence database never got %s: %w", pair[0].name, pair[1].name, err)
		}
		for full, pr := range pair[0].pres.DB().All() {
			d.say(pair[0].name+" presence", "%-28s show %s, status %q, priority %d", full, pr.Show(), pr.Status(""), pr.Priority())
		}
	}
	return nil
}

// offerOOB: alice offers bob a URL by jabber:iq:oob (XEP-0066 §3); bob's
// handler sees it and accepts, alice learns the outcome.
func offerOOB(ctx context.Context, d *demo) error {
	data := oob.Data{URL: "https://example.org/parley-demo.txt", Desc: "A file for Bob"}
	d.say("alice → bob", "oob offer %s (%q)", data.URL, data.Desc)
	res, err := oob.Send(ctx, d.alice.s, d.bob.s.JID(), data)
	if err != nil {
		return err
	}
	select {
	case o := <-d.bob.offers:
		d.say("bob", "got the offer of %s from %v and accepted it", o.Data.URL, o.From)
	case <-ctx.Done():
		return ctx.Err()
	}
	d.say("alice", "offer %s", res)
	return nil
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, cond func() bool) error {
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}
