package xmpp

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"parley.dev/xmpp/stanza"
)

// Session-level tests of see-other-host (RFC 6120 §4.9.3.19): the limit on
// redirects in a row holds whether they come while connecting or on live
// streams, later redirects back off, and the count restarts only after a
// stream that stayed up normally. The Connector is the in-memory one with
// Redirect recorded (redirectingConnector); client/redirect_test.go follows
// redirects over TCP with the real client Connector.

// sohXML is the see-other-host stream error a server ends a stream with.
func sohXML(host string) string {
	return `<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>` + host + `</see-other-host></stream:error></stream:stream>`
}

// sohErr is a Connector's error for a see-other-host received while it
// negotiated.
func sohErr(host string) error {
	return fmt.Errorf("negotiating: %w", stanza.StreamError{Condition: stanza.StreamSeeOtherHost, Redirect: host})
}

// redirectConfig reconnects after 1 ms at first; the delays between
// redirects grow from there (and Max is far above anything a test waits).
func redirectConfig(max int, events *eventLog) *Config {
	return &Config{
		MaxRedirects: max,
		Reconnect:    &Backoff{Min: time.Millisecond, Max: time.Hour},
		OnEvent:      events.add,
	}
}

// newRedirectSession returns a Session over a redirectable connector,
// configured by redirectConfig(max), and the log of its events; the
// Session is closed when the test ends.
func newRedirectSession(t *testing.T, max int) (*redirectingConnector, *Session, *eventLog) {
	t.Helper()
	c := &redirectingConnector{pipeConnector: newPipeConnector(t)}
	events := &eventLog{}
	s, err := NewSession(ctxT(t), c, redirectConfig(max, events))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return c, s, events
}

// reconnecting returns the StatusReconnecting events, in order.
func (l *eventLog) reconnecting() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Event
	for _, e := range l.evs {
		if e.Status == StatusReconnecting {
			out = append(out, e)
		}
	}
	return out
}

// checkLoopError checks that err is the typed error of a redirect loop
// ended after max redirects, wrapping the see-other-host to last.
func checkLoopError(t *testing.T, err error, max int, last string) {
	t.Helper()
	var rl *RedirectLoopError
	if !errors.As(err, &rl) || !errors.Is(err, ErrRedirectLoop) {
		t.Fatalf("err = %v, want a *RedirectLoopError", err)
	}
	if rl.Redirects != max {
		t.Errorf("Redirects = %d, want %d", rl.Redirects, max)
	}
	var se stanza.StreamError
	if !errors.As(err, &se) || se.Condition != stanza.StreamSeeOtherHost || se.Redirect != last {
		t.Errorf("err = %v, want it to wrap see-other-host %s", err, last)
	}
	if !IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = false", err)
	}
}

// waitDone waits for the Session to end, failing after 10 s.
func waitDone(t *testing.T, s *Session) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the Session did not end; state %v", s.State())
	}
}

func (r *redirectingConnector) redirects() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.hosts)
}

func (c *pipeConnector) connects() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// TestRedirectLoopWhileConnecting: servers that answer every connection
// with see-other-host during negotiation make NewSession fail after
// MaxRedirects redirects, with the typed error, and nothing more is dialed.
func TestRedirectLoopWhileConnecting(t *testing.T) {
	c := &redirectingConnector{pipeConnector: newPipeConnector(t)}
	c.fail = []error{sohErr("b.example"), sohErr("a.example"), sohErr("b.example"), sohErr("a.example"), sohErr("b.example")}
	var events eventLog
	_, err := NewSession(ctxT(t), c, redirectConfig(3, &events))
	checkLoopError(t, err, 3, "a.example")
	if n := c.connects(); n != 4 {
		t.Errorf("%d connects, want 4 (the first and 3 redirects)", n)
	}
	if got := c.redirects(); !slices.Equal(got, []string{"b.example", "a.example", "b.example"}) {
		t.Errorf("redirected to %v", got)
	}
}

// TestRedirectLoopOnLiveStreams: servers that negotiate each stream and
// then send see-other-host on it are followed MaxRedirects times, the
// first at once and the later ones after a growing back-off; the next
// see-other-host ends the Session with the typed error, without another
// connect.
func TestRedirectLoopOnLiveStreams(t *testing.T) {
	c, s, events := newRedirectSession(t, 3)
	hosts := []string{"b.example:5222", "a.example:5222", "b.example:5222", "a.example:5222"}
	for _, h := range hosts {
		c.nextPeer(t).send(sohXML(h))
	}
	waitDone(t, s)
	checkLoopError(t, s.Err(), 3, hosts[3])
	if n := c.connects(); n != 4 {
		t.Errorf("%d connects, want 4 (the first and 3 redirects)", n)
	}
	if got := c.redirects(); !slices.Equal(got, hosts[:3]) {
		t.Errorf("redirected to %v, want %v", got, hosts[:3])
	}
	evs := events.reconnecting()
	if len(evs) != 3 {
		t.Fatalf("%d reconnecting events, want 3: %+v", len(evs), evs)
	}
	for i, e := range evs {
		if e.Addr != hosts[i] {
			t.Errorf("reconnect %d: Addr %q, want %q", i, e.Addr, hosts[i])
		}
	}
	// The first redirect is followed at once; the second waits the jittered
	// Min ([0.5, 1) ms), the third the jittered Min×Factor ([1, 2) ms).
	if evs[0].Delay != 0 || evs[1].Delay <= 0 || evs[2].Delay <= evs[1].Delay {
		t.Errorf("delays %v, %v, %v: want 0, then growing", evs[0].Delay, evs[1].Delay, evs[2].Delay)
	}
}

// TestRedirectsCountedAcrossSteps: redirects on a live stream and during
// negotiation count together.
func TestRedirectsCountedAcrossSteps(t *testing.T) {
	c, s, _ := newRedirectSession(t, 2)
	c.mu.Lock()
	c.fail = []error{sohErr("c.example")} // the second connect is redirected while negotiating
	c.mu.Unlock()
	c.nextPeer(t).send(sohXML("b.example"))
	c.nextPeer(t).send(sohXML("d.example"))
	waitDone(t, s)
	checkLoopError(t, s.Err(), 2, "d.example")
	if n := c.connects(); n != 3 {
		t.Errorf("%d connects, want 3", n)
	}
	if got := c.redirects(); !slices.Equal(got, []string{"b.example", "c.example"}) {
		t.Errorf("redirected to %v", got)
	}
}

// TestRedirectCountRestartsAfterNormalStream: a stream that ends for
// another reason than see-other-host (here the connection drops) restarts
// the count and the back-off: MaxRedirects more redirects are followed,
// the first of them at once.
func TestRedirectCountRestartsAfterNormalStream(t *testing.T) {
	c, s, events := newRedirectSession(t, 2)
	c.nextPeer(t).send(sohXML("h1"))
	c.nextPeer(t).send(sohXML("h2"))
	c.nextPeer(t).conn.Close() // this stream ends normally
	c.nextPeer(t).send(sohXML("h3"))
	c.nextPeer(t).send(sohXML("h4"))
	p := c.nextPeer(t) // a third redirect in a row would have ended the Session
	waitFor(t, func() bool { return s.State() == StateReady })
	p.send(sohXML("h5"))
	waitDone(t, s)
	checkLoopError(t, s.Err(), 2, "h5")
	if n := c.connects(); n != 6 {
		t.Errorf("%d connects, want 6", n)
	}
	var delays []time.Duration
	for _, e := range events.reconnecting() {
		if e.Addr == "h3" {
			delays = append(delays, e.Delay)
		}
	}
	if len(delays) != 1 || delays[0] != 0 {
		t.Errorf("redirect after the normal stream waited %v, want once and at once", delays)
	}
}

// TestRedirectCountRestartsAfterLongStream: a stream that lasted the
// back-off's Max before its see-other-host also restarts the count.
func TestRedirectCountRestartsAfterLongStream(t *testing.T) {
	c, s, _ := newRedirectSession(t, 1)
	for _, h := range []string{"h1", "h2", "h3"} {
		p := c.nextPeer(t)
		waitFor(t, func() bool { return s.State() == StateReady })
		s.mu.Lock()
		s.upAt = time.Now().Add(-2 * time.Hour) // up for longer than Max (1 h)
		s.mu.Unlock()
		p.send(sohXML(h))
	}
	p := c.nextPeer(t)
	waitFor(t, func() bool { return s.State() == StateReady })
	p.send(sohXML("h4")) // right after negotiation: the second in a row
	waitDone(t, s)
	checkLoopError(t, s.Err(), 1, "h4")
	if got := c.redirects(); !slices.Equal(got, []string{"h1", "h2", "h3"}) {
		t.Errorf("redirected to %v", got)
	}
}

// TestRedirectWithoutRedirector: a Connector that cannot be redirected
// gets the see-other-host error back from NewSession, after one connect.
func TestRedirectWithoutRedirector(t *testing.T) {
	c := newPipeConnector(t)
	c.fail = []error{sohErr("b.example")}
	_, err := NewSession(ctxT(t), c, nil)
	var se stanza.StreamError
	if !errors.As(err, &se) || se.Redirect != "b.example" || errors.Is(err, ErrRedirectLoop) {
		t.Fatalf("err = %v, want the see-other-host error", err)
	}
	if n := c.connects(); n != 1 {
		t.Errorf("%d connects, want 1", n)
	}
}
