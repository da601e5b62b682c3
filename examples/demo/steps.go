package main

import (
	"context"
	"fmt"
	"io"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/ext/presence"
	"parley.dev/xmpp/ext/roster"
	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/stanza"
)

// step is one thing the demo shows. To show more, write a function and add
// it to steps.
type step struct {
	name string
	run  func(ctx context.Context, d *demo) error
}

// steps run in order; each prints what happened.
var steps = []step{
	{"log in", logIn},
	{"subscriptions", subscribe},
	{"rosters", showRosters},
	{"presence databases", showPresence},
	{"directed presence", exchangePresence},
	{"messages", exchangeMessages},
	{"out-of-band data", offerOOB},
	{"software version", askVersion},
	{"ping", pingServer},
	{"log out", logOut},
}

// resource is the resource both accounts bind (RFC 6120 §7).
const resource = "parley-demo"

// demo is the state the steps share.
type demo struct {
	opts       *options
	out        io.Writer
	alice, bob *peer
}

// peer is one logged-in account and what its handlers received.
type peer struct {
	name     string
	s        *xmpp.Session
	messages chan stanza.Message  // chat messages, in order
	presence chan stanza.Presence // available and unavailable presence
	roster   *roster.Roster       // the roster database (RFC 6121 §2)
	pres     *presence.Manager    // presence database and subscriptions
	offers   chan *oob.Offer      // XEP-0066 offers received
}

// say prints one line: who did it (or "a → b") and what.
func (d *demo) say(who, what string, args ...any) {
	fmt.Fprintf(d.out, "%-18s %s\n", who, fmt.Sprintf(what, args...))
}

func (d *demo) close() {
	for _, p := range []*peer{d.alice, d.bob} {
		if p != nil {
			p.s.Close()
		}
	}
}

// connect logs one account in and installs the handlers the steps rely on.
func (d *demo) connect(ctx context.Context, l login) (*peer, error) {
	s, err := client.Dial(ctx, l.jid, &client.Config{
		Password:  l.password,
		Server:    d.opts.server,
		TLSConfig: d.opts.tls,
		Resource:  resource,
	})
	if err != nil {
		return nil, err
	}
	p := &peer{name: l.name, s: s, messages: make(chan stanza.Message, 16), presence: make(chan stanza.Presence, 16)}
	s.HandleMessage(stanza.MessageChat, func(_ context.Context, in *xmpp.Incoming) error {
		select {
		case p.messages <- *in.Message:
		default: // never block the Session's handlers
		}
		return xmpp.Handled
	})
	for _, typ := range []stanza.PresenceType{stanza.PresenceAvailable, stanza.PresenceUnavailable} {
		s.HandlePresence(typ, func(_ context.Context, in *xmpp.Incoming) error {
			select {
			case p.presence <- *in.Presence:
			default: // never block the Session's handlers
			}
			return nil // the presence extension sees it too
		})
	}
	// client.Dial added the disco (XEP-0030) and ping (XEP-0199)
	// responders; answer XEP-0092 version requests too, keep the roster
	// and presence databases, approve every subscription request and
	// accept every out-of-band offer.
	p.roster = roster.New(nil)
	p.pres = presence.New(&presence.Config{Policy: presence.AcceptAll})
	p.offers = make(chan *oob.Offer, 4)
	accept := func(o *oob.Offer) {
		o.Accept(context.Background())
		select {
		case p.offers <- o:
		default:
		}
	}
	for _, e := range []xmpp.Extension{
		version.New(version.Info{Name: "Parley demo", Version: "0.1"}),
		p.roster, p.pres, oob.New(&oob.Config{OnOffer: accept}),
	} {
		if _, err := s.Add(e); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func logIn(ctx context.Context, d *demo) error {
	var err error
	if d.alice, err = d.connect(ctx, d.opts.accounts[0]); err != nil {
		return fmt.Errorf("alice: %w", err)
	}
	d.say("alice", "logged in as %v", d.alice.s.JID())
	if d.bob, err = d.connect(ctx, d.opts.accounts[1]); err != nil {
		return fmt.Errorf("bob: %w", err)
	}
	d.say("bob", "logged in as %v", d.bob.s.JID())
	return nil
}

// exchangePresence: each tells the other it is available, with directed
// presence (RFC 6121 §4.6), which needs no roster subscription.
func exchangePresence(ctx context.Context, d *demo) error {
	for _, pair := range [][2]*peer{{d.alice, d.bob}, {d.bob, d.alice}} {
		from, to := pair[0], pair[1]
		p := stanza.NewPresence(stanza.PresenceAvailable, to.s.JID())
		p.SetStatus("", "Trying Parley")
		if err := from.s.Send(ctx, p); err != nil {
			return err
		}
		got, err := receive(ctx, to.presence, func(p stanza.Presence) bool { return p.From.Equal(from.s.JID()) })
		if err != nil {
			return fmt.Errorf("%s never saw %s's presence: %w", to.name, from.name, err)
		}
		d.say(from.name+" → "+to.name, "presence available, status %q", got.Status(""))
	}
	return nil
}

// exchangeMessages: a chat message and its answer (RFC 6121 §5).
func exchangeMessages(ctx context.Context, d *demo) error {
	for _, m := range []struct {
		from, to *peer
		body     string
	}{
		{d.alice, d.bob, "Hello, Bob!"},
		{d.bob, d.alice, "Hi Alice, it works."},
	} {
		msg := stanza.NewMessage(stanza.MessageChat, m.to.s.JID())
		msg.AddBody("", m.body)
		if err := m.from.s.Send(ctx, msg); err != nil {
			return err
		}
		got, err := receive(ctx, m.to.messages, func(g stanza.Message) bool { return g.From.Equal(m.from.s.JID()) })
		if err != nil {
			return fmt.Errorf("%s never got %s's message: %w", m.to.name, m.from.name, err)
		}
		d.say(m.from.name+" → "+m.to.name, "message %q", got.Body(""))
	}
	return nil
}

// askVersion: alice asks bob's client which software it runs (XEP-0092),
// an IQ request answered by the version extension bob added.
func askVersion(ctx context.Context, d *demo) error {
	d.say("alice → bob", "iq get %s (which software do you run?)", version.NS)
	info, err := version.Get(ctx, d.alice.s, d.bob.s.JID())
	if err != nil {
		return err
	}
	d.say("bob → alice", "iq result: %s %s", info.Name, info.Version)
	return nil
}

// pingServer: alice pings her server (XEP-0199 §4.2).
func pingServer(ctx context.Context, d *demo) error {
	server := d.alice.s.JID().Domain()
	rtt, err := ping.Ping(ctx, d.alice.s, server)
	if err != nil {
		return err
	}
	d.say("alice → "+server.String(), "ping answered in %v", rtt.Round(10*time.Microsecond))
	return nil
}

// logOut: unavailable presence to each other, then close the streams.
func logOut(ctx context.Context, d *demo) error {
	if err := d.alice.s.Send(ctx, stanza.NewPresence(stanza.PresenceUnavailable, d.bob.s.JID())); err != nil {
		return err
	}
	aliceJID := d.alice.s.JID()
	if _, err := receive(ctx, d.bob.presence, func(p stanza.Presence) bool {
		return p.From.Equal(aliceJID) && p.Type == stanza.PresenceUnavailable
	}); err != nil {
		return fmt.Errorf("bob never saw alice leave: %w", err)
	}
	d.say("alice → bob", "presence unavailable")
	d.close()
	d.alice, d.bob = nil, nil
	d.say("alice, bob", "logged out")
	return nil
}

// receive waits for the first value on ch that keep accepts.
func receive[T any](ctx context.Context, ch <-chan T, keep func(T) bool) (T, error) {
	for {
		select {
		case v := <-ch:
			if keep(v) {
				return v, nil
			}
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
}
