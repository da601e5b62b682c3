package ping_test

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/stanza"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPingPair(t *testing.T) {
	a, b := newPair(t)
	ctx := ctxT(t)
	// Without the extension: service-unavailable, but reachable.
	rtt, err := ping.Ping(ctx, b, a.JID())
	if !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) || rtt <= 0 {
		t.Errorf("no responder: rtt %v err %v", rtt, err)
	}
	remove, err := a.Add(ping.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Features(); len(got) != 1 || got[0] != ping.NS {
		t.Errorf("features %v", got)
	}
	rtt, err = ping.Ping(ctx, b, a.JID())
	if err != nil || rtt <= 0 {
		t.Errorf("ping: rtt %v err %v", rtt, err)
	}
	remove()
	if _, err := ping.Ping(ctx, b, a.JID()); err == nil {
		t.Error("removed responder still answers")
	}
}

type pingResult struct {
	rtt time.Duration
	err error
}

// An unanswered keepalive ping drops the link with ErrLinkDead; the
// Session reconnects and the keepalive goes on on the new stream.
func TestKeepaliveDeadLink(t *testing.T) {
	conn := xmpptest.NewConnector(t, "alice@localhost/test", "")
	events := make(chan xmpp.Event, 64)
	s, err := xmpp.NewSession(context.Background(), conn, &xmpp.Config{
		Reconnect:    &xmpp.Backoff{Min: time.Millisecond, Max: time.Millisecond},
		CloseTimeout: 50 * time.Millisecond, // the scripted peer never closes
		OnEvent: func(e xmpp.Event) {
			if e.Status == xmpp.StatusDisconnected {
				events <- e
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	results := make(chan pingResult, 16)
	_, err = s.Add(ping.New(&ping.Config{
		Interval: 5 * time.Millisecond,
		Timeout:  50 * time.Millisecond,
		OnPing:   func(rtt time.Duration, err error) { results <- pingResult{rtt, err} },
	}))
	if err != nil {
		t.Fatal(err)
	}

	p1 := conn.NextPeer()
	e := p1.Next()
	if e.Name.Local != "iq" || e.Get("to") != "localhost" || e.Child(ping.NS, "ping") == nil {
		t.Fatalf("keepalive sent %v", e)
	}
	// p1 never answers.
	select {
	case ev := <-events:
		if !errors.Is(ev.Err, ping.ErrLinkDead) {
			t.Fatalf("disconnected with %v, want ErrLinkDead", ev.Err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dead link not detected")
	}
	if r := <-results; !errors.Is(r.err, ping.ErrLinkDead) {
		t.Errorf("OnPing got %v", r.err)
	}

	p2 := conn.NextPeer()
	e = p2.Next()
	if e.Child(ping.NS, "ping") == nil {
		t.Fatalf("after reconnect the keepalive sent %v", e)
	}
	p2.Reply(e.Get("id"), `<iq type='result' id='{ID}' from='localhost'/>`)
	for r := range results {
		if r.err == nil {
			break // answered on the new link
		}
	}
	// An error answer proves the link too: no disconnect.
	e = p2.Next()
	p2.Reply(e.Get("id"), `<iq type='error' id='{ID}' from='localhost'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	for r := range results {
		if errors.Is(r.err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
			break
		}
		if errors.Is(r.err, ping.ErrLinkDead) {
			t.Fatal("an error answer was taken for a dead link")
		}
	}
}
