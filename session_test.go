package xmpp

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func newTestSession(t *testing.T, cfg *Config) (*Session, *pipeConnector, *peer) {
	t.Helper()
	c := newPipeConnector(t)
	s, err := NewSession(context.Background(), c, cfg)
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c, c.nextPeer(t)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func pingIQ(to string) stanza.IQ {
	iq := stanza.IQ{Type: stanza.IQGet}
	if to != "" {
		iq.To = jid.MustParse(to)
	}
	iq.El = xmlstream.New("", "iq")
	iq.El.AppendChild(xmlstream.New("urn:xmpp:ping", "ping"))
	return iq
}

func TestSendIQBlock(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	done := make(chan error, 1)
	var got stanza.IQ
	go func() {
		var err error
		got, err = s.SendIQ(ctxT(t), pingIQ("localhost"))
		done <- err
	}()
	req := p.next()
	if req.Name.Local != "iq" || req.Get("type") != "get" || req.Get("to") != "localhost" {
		t.Fatalf("request = %v", req)
	}
	if req.Child("urn:xmpp:ping", "ping") == nil {
		t.Fatalf("request lost its payload: %v", req)
	}
	p.reply(req.Get("id"), `<iq type='result' id='{ID}' from='localhost'/>`)
	if err := <-done; err != nil {
		t.Fatalf("SendIQ: %v", err)
	}
	if got.Type != stanza.IQResult || got.ID != req.Get("id") {
		t.Fatalf("reply = %+v", got)
	}
}

func TestSendIQErrorReply(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	done := make(chan error, 1)
	go func() {
		_, err := s.SendIQ(ctxT(t), pingIQ("bob@localhost/x"))
		done <- err
	}()
	req := p.next()
	p.reply(req.Get("id"), `<iq type='error' id='{ID}' from='bob@localhost/x'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	err := <-done
	if !errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) {
		t.Fatalf("err = %v, want item-not-found", err)
	}
}

func TestSendIQAsync(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	pend, err := s.SendIQAsync(ctxT(t), pingIQ(""))
	if err != nil {
		t.Fatal(err)
	}
	req := p.next()
	if pend.Received() {
		t.Fatal("Received before the reply")
	}
	if _, _, ok := pend.Get(); ok {
		t.Fatal("Get ok before the reply")
	}
	p.reply(req.Get("id"), `<iq type='result' id='{ID}'/>`)
	reply, err := pend.Wait(ctxT(t))
	if err != nil || reply.ID != pend.ID() {
		t.Fatalf("Wait = %+v, %v", reply, err)
	}
	if !pend.Received() {
		t.Fatal("Received false after the reply")
	}
	if r, err, ok := pend.Get(); !ok || err != nil || r.ID != pend.ID() {
		t.Fatalf("Get = %+v %v %v", r, err, ok)
	}
}

func TestSendIQPassthru(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	got := make(chan *Incoming, 1)
	id, err := s.SendIQPassthru(ctxT(t), pingIQ("localhost"), func(ctx context.Context, in *Incoming) error {
		got <- in
		return Handled
	})
	if err != nil {
		t.Fatal(err)
	}
	req := p.next()
	if req.Get("id") != id {
		t.Fatalf("sent id %q, returned %q", req.Get("id"), id)
	}
	p.reply(id, `<iq type='result' id='{ID}' from='localhost'/>`)
	select {
	case in := <-got:
		if in.IQ.ID != id || in.IQ.Type != stanza.IQResult {
			t.Fatalf("handler got %+v", in.IQ)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("one-shot handler not called")
	}
	// The handler was one-shot: a second stanza with the id goes elsewhere.
	var again atomic.Int32
	s.HandleStanza(stanza.KindIQ, func(ctx context.Context, in *Incoming) error { again.Add(1); return nil })
	p.reply(id, `<iq type='result' id='{ID}' from='localhost'/>`)
	waitFor(t, func() bool { return again.Load() == 1 })
}

func TestSpoofedIQRepliesIgnored(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	pend, err := s.SendIQAsync(ctxT(t), pingIQ("bob@localhost/x"))
	if err != nil {
		t.Fatal(err)
	}
	req := p.next()
	id := req.Get("id")
	var untracked atomic.Int32
	s.HandleStanza(stanza.KindIQ, func(ctx context.Context, in *Incoming) error { untracked.Add(1); return Handled })
	p.reply(id, `<iq type='result' id='{ID}' from='mallory@localhost/x'/>`)                // wrong from
	p.reply(id, `<iq type='result' id='{ID}'/>`)                                           // no from, but to was bob
	p.reply(id, `<iq type='set' id='{ID}' from='bob@localhost/x'><query xmlns='x'/></iq>`) // wrong type
	p.reply("other", `<iq type='result' id='{ID}' from='bob@localhost/x'/>`)               // unknown id
	waitFor(t, func() bool { return untracked.Load() == 4 })
	if pend.Received() {
		t.Fatal("a spoofed reply resolved the request")
	}
	p.reply(id, `<iq type='result' id='{ID}' from='bob@localhost/x'/>`)
	if _, err := pend.Wait(ctxT(t)); err != nil {
		t.Fatalf("genuine reply: %v", err)
	}
}

func TestUnhandledIQGetsServiceUnavailable(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	_ = s
	p.send(`<iq type='get' id='q1' from='bob@localhost/x'><query xmlns='urn:example:unknown'/></iq>`)
	e := p.next()
	if e.Get("type") != "error" || e.Get("id") != "q1" || e.Get("to") != "bob@localhost/x" {
		t.Fatalf("reply = %v", e)
	}
	se, ok := stanza.ErrorFromElement(e.Child("", "error"))
	if !ok || se.Condition != stanza.ServiceUnavailable || se.Type != stanza.Cancel {
		t.Fatalf("error = %+v", se)
	}
	// Error and result IQs are never answered; the next thing the peer sees
	// is the reply to a second request.
	p.send(`<iq type='error' id='q2' from='bob@localhost/x'><error type='cancel'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	p.send(`<iq type='result' id='q3' from='bob@localhost/x'/>`)
	p.send(`<iq type='set' id='q4' from='bob@localhost/x'><query xmlns='urn:example:unknown'/></iq>`)
	if e := p.next(); e.Get("id") != "q4" {
		t.Fatalf("answered %v, want only q4", e)
	}
}

func TestHandlerChainParcelAndHandled(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var mu sync.Mutex
	var trail []string
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		mu.Lock()
		trail = append(trail, "first")
		mu.Unlock()
		in.Parcel = "from-first"
		return nil
	})
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		mu.Lock()
		trail = append(trail, "second:"+in.Parcel.(string))
		mu.Unlock()
		return Handled
	})
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		mu.Lock()
		trail = append(trail, "third")
		mu.Unlock()
		return nil
	})
	done := make(chan struct{})
	s.HandleDirect(xmlstream.MustCompile("/message[@id='end']"), func(ctx context.Context, in *Incoming) error {
		close(done)
		return Handled
	})
	p.send(`<message type='chat' from='bob@localhost/x' id='m1'><body>hi</body></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='end'/>`)
	<-done
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(trail, ","); got != "first,second:from-first" {
		t.Fatalf("chain ran %q", got)
	}
}

func TestHandlerPanicRecovered(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var calls atomic.Int32
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		if calls.Add(1) == 1 {
			panic("boom")
		}
		return nil
	})
	p.send(`<message from='bob@localhost/x' id='a'><body>1</body></message>`)
	p.send(`<message from='bob@localhost/x' id='b'><body>2</body></message>`)
	waitFor(t, func() bool { return calls.Load() == 2 })
	if s.State() != StateReady {
		t.Fatalf("state %v after a panicking handler", s.State())
	}
}

func TestHandlerSendsAndWaitsForIQ(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	result := make(chan error, 1)
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		_, err := s.SendIQ(ctx, pingIQ("localhost"))
		result <- err
		return nil
	})
	p.send(`<message from='bob@localhost/x' id='a'><body>ping the server</body></message>`)
	req := p.next()
	p.reply(req.Get("id"), `<iq type='result' id='{ID}' from='localhost'/>`)
	select {
	case err := <-result:
		if err != nil {
			t.Fatalf("SendIQ inside a handler: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deadlock: a handler waiting for an IQ never got its reply")
	}
}

func TestHandlersRunInStanzaOrder(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var mu sync.Mutex
	var ids []string
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		mu.Lock()
		ids = append(ids, in.Message.ID)
		mu.Unlock()
		return nil
	})
	var want []string
	var b strings.Builder
	for i := range 200 {
		id := "m" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + itoa3(i)
		want = append(want, id)
		b.WriteString(`<message from='bob@localhost/x' id='` + id + `'/>`)
	}
	p.send(b.String())
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(ids) == len(want) })
	mu.Lock()
	defer mu.Unlock()
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("handler %d saw %q, want %q", i, ids[i], want[i])
		}
	}
}

func itoa3(i int) string {
	return string([]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)})
}

func TestRemoveHandler(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var a, b atomic.Int32
	remove := s.HandleMessage("", func(ctx context.Context, in *Incoming) error { a.Add(1); return nil })
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error { b.Add(1); return nil })
	p.send(`<message from='bob@localhost/x' id='1'/>`)
	waitFor(t, func() bool { return b.Load() == 1 })
	remove()
	p.send(`<message from='bob@localhost/x' id='2'/>`)
	waitFor(t, func() bool { return b.Load() == 2 })
	if a.Load() != 1 {
		t.Fatalf("removed handler ran %d times, want 1", a.Load())
	}
}

func TestStreamErrorEndsSession(t *testing.T) {
	s, c, p := newTestSession(t, &Config{Reconnect: &Backoff{Min: time.Millisecond}})
	p.send(`<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text></stream:error></stream:stream>`)
	<-s.Done()
	var se stanza.StreamError
	if !errors.As(s.Err(), &se) || se.Condition != stanza.StreamConflict {
		t.Fatalf("Err = %v, want conflict", s.Err())
	}
	if c.calls != 1 {
		t.Fatalf("reconnected %d times after conflict", c.calls-1)
	}
	if err := s.Send(ctxT(t), stanza.Message{}); !errors.As(err, &se) {
		t.Fatalf("Send after the end = %v, want the ending error", err)
	}
}

func TestReconnectDeliversQueuedStanzas(t *testing.T) {
	var events []Status
	var emu sync.Mutex
	cfg := &Config{Reconnect: &Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond}, OnEvent: func(e Event) {
		emu.Lock()
		events = append(events, e.Status)
		emu.Unlock()
	}}
	s, c, p := newTestSession(t, cfg)
	c.mu.Lock()
	c.fail = []error{errors.New("refused"), errors.New("refused again")}
	c.mu.Unlock()
	// Hold the connector back until the stanza is queued.
	p.conn.Close()
	waitFor(t, func() bool { return s.State() != StateReady })
	if err := s.Send(ctxT(t), stanza.Message{To: jid.MustParse("bob@localhost"), ID: "queued"}); err != nil {
		t.Fatalf("Send while disconnected: %v", err)
	}
	p2 := c.nextPeer(t)
	e := p2.next()
	if e.Get("id") != "queued" {
		t.Fatalf("after reconnect got %v, want the queued message", e)
	}
	// The queue is flushed before StatusReady is reported: wait for it.
	joined := func() string {
		emu.Lock()
		defer emu.Unlock()
		j := ""
		for _, st := range events {
			j += st.String() + " "
		}
		return j
	}
	want := "disconnected reconnecting reconnecting reconnecting ready"
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(joined(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("events: %s", joined())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestQueueFullIsAnError(t *testing.T) {
	s, c, p := newTestSession(t, &Config{QueueSize: 2, Reconnect: &Backoff{Min: time.Hour}})
	_ = c
	p.conn.Close()
	waitFor(t, func() bool { return s.State() == StateDisconnected })
	for i := range 2 {
		if err := s.Send(ctxT(t), stanza.Message{ID: itoa3(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Send(ctxT(t), stanza.Message{ID: "3"}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("third send = %v, want ErrQueueFull", err)
	}
	if q := s.PurgeQueue(); len(q) != 2 || q[0].Get("id") != "000" {
		t.Fatalf("PurgeQueue = %v", q)
	}
}

func TestCloseLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	c := newPipeConnector(t)
	s, err := NewSession(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := c.nextPeer(t)
	p.send(`<message from='bob@localhost/x' id='a'/>`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	<-s.Done()
	if !errors.Is(s.Err(), ErrClosed) {
		t.Fatalf("Err after Close = %v", s.Err())
	}
	p.conn.Close()
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func TestPeerCloseAnswered(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	p.send(`</stream:stream>`)
	select {
	case <-p.end:
	case <-time.After(10 * time.Second):
		t.Fatal("peer's close was not answered with ours")
	}
	<-s.Done()
}

func TestSendRawValidates(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	if err := s.SendRaw(ctxT(t), `<message to='bob@localhost'><body>a</message>`); err == nil {
		t.Fatal("malformed raw XML accepted")
	}
	if err := s.SendRaw(ctxT(t), `<message to='bob@localhost' id='raw'><body>ok &amp; fine</body></message>`); err != nil {
		t.Fatal(err)
	}
	e := p.next()
	if e.Get("id") != "raw" || e.ChildText("", "body") != "ok & fine" {
		t.Fatalf("raw send produced %v", e)
	}
}

func TestTraceRedacts(t *testing.T) {
	var mu sync.Mutex
	var sent strings.Builder
	s, _, p := newTestSession(t, &Config{OnSend: func(b []byte) { mu.Lock(); sent.Write(b); mu.Unlock() }})
	s.SendRaw(ctxT(t), `<iq type='set' id='r'><query xmlns='jabber:iq:register'><username>a</username><password>hunter2</password></query></iq>`)
	p.next()
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(sent.String(), "hunter2") || !strings.Contains(sent.String(), "[redacted]") {
		t.Fatalf("trace = %s", sent.String())
	}
}

func TestEveryStopsWithSession(t *testing.T) {
	s, _, _ := newTestSession(t, nil)
	var n atomic.Int32
	s.Every(time.Millisecond, func(ctx context.Context) { n.Add(1) })
	waitFor(t, func() bool { return n.Load() >= 3 })
	s.Close()
	after := n.Load()
	time.Sleep(20 * time.Millisecond)
	if n.Load() > after+1 {
		t.Fatalf("timer kept running after Close: %d → %d", after, n.Load())
	}
}

func TestProcessManual(t *testing.T) {
	c := newPipeConnector(t)
	s, err := NewSession(context.Background(), c, &Config{Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := c.nextPeer(t)
	var got atomic.Int32
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error { got.Add(1); return nil })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	prog, err := s.Process(ctx)
	cancel()
	if prog != NoData || err != nil {
		t.Fatalf("idle Process = %v, %v", prog, err)
	}
	go p.send(`<message from='bob@localhost/x' id='a'/>`)
	prog, err = s.Process(ctxT(t))
	if prog != Data || err != nil || got.Load() != 1 {
		t.Fatalf("Process = %v, %v, handled %d", prog, err, got.Load())
	}
	go p.conn.Close()
	prog, _ = s.Process(ctxT(t))
	if prog != Closed {
		t.Fatalf("Process after the peer left = %v", prog)
	}
}

// waitFor polls cond until it holds, failing after 10 s.
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDisconnectReconnects(t *testing.T) {
	var causes []error
	var mu sync.Mutex
	cfg := &Config{Reconnect: &Backoff{Min: time.Millisecond}, OnEvent: func(e Event) {
		if e.Status == StatusDisconnected {
			mu.Lock()
			causes = append(causes, e.Err)
			mu.Unlock()
		}
	}}
	s, c, _ := newTestSession(t, cfg)
	dead := errors.New("keepalive: no answer")
	s.Disconnect(dead)
	p2 := c.nextPeer(t)
	if err := s.Send(ctxT(t), stanza.Message{ID: "after"}); err != nil {
		t.Fatal(err)
	}
	if e := p2.next(); e.Get("id") != "after" {
		t.Fatalf("got %v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(causes) != 1 || !errors.Is(causes[0], dead) {
		t.Fatalf("disconnect causes = %v", causes)
	}
}

type redirectingConnector struct {
	*pipeConnector
	mu    sync.Mutex
	hosts []string
}

func (r *redirectingConnector) Redirect(hostport string) {
	r.mu.Lock()
	r.hosts = append(r.hosts, hostport)
	r.mu.Unlock()
}

func TestReconnectOnRequest(t *testing.T) {
	c := &redirectingConnector{pipeConnector: newPipeConnector(t)}
	var events eventLog
	s, err := NewSession(ctxT(t), c, &Config{OnEvent: events.add}) // no automatic reconnection
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c.nextPeer(t)
	if err := s.Reconnect("10.0.0.9:5222"); err != nil {
		t.Fatal(err)
	}
	p2 := c.nextPeer(t)
	waitFor(t, func() bool { return s.State() == StateReady })
	if err := s.Send(ctxT(t), stanza.Message{ID: "after"}); err != nil {
		t.Fatal(err)
	}
	if e := p2.next(); e.Get("id") != "after" {
		t.Fatalf("got %v", e)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hosts) != 1 || c.hosts[0] != "10.0.0.9:5222" {
		t.Fatalf("redirects = %v", c.hosts)
	}
	if ev, ok := events.find(StatusDisconnected); !ok || !errors.Is(ev.Err, ErrReconnectRequested) {
		t.Fatalf("disconnect event %+v", ev)
	}
}

// TestEveryStreamErrorCondition: each of the 25 stream error conditions of
// RFC 6120 §4.9.3 received on a live stream reaches the application as a
// stanza.StreamError with its condition and text; conflict, not-authorized,
// host-gone and host-unknown end the Session without a reconnect (and so
// does see-other-host here: this Connector cannot be redirected), every
// other condition is followed by a reconnect.
func TestEveryStreamErrorCondition(t *testing.T) {
	ends := map[stanza.StreamCondition]bool{
		stanza.StreamConflict: true, stanza.StreamNotAuthorized: true,
		stanza.StreamHostGone: true, stanza.StreamHostUnknown: true, stanza.StreamSeeOtherHost: true,
	}
	conds := []stanza.StreamCondition{
		stanza.StreamBadFormat, stanza.StreamBadNamespacePrefix, stanza.StreamConflict, stanza.StreamConnectionTimeout,
		stanza.StreamHostGone, stanza.StreamHostUnknown, stanza.StreamImproperAddressing, stanza.StreamInternalServerError,
		stanza.StreamInvalidFrom, stanza.StreamInvalidNamespace, stanza.StreamInvalidXML, stanza.StreamNotAuthorized,
		stanza.StreamNotWellFormed, stanza.StreamPolicyViolation, stanza.StreamRemoteConnectionFailed, stanza.StreamReset,
		stanza.StreamResourceConstraint, stanza.StreamRestrictedXML, stanza.StreamSeeOtherHost, stanza.StreamSystemShutdown,
		stanza.StreamUndefinedCondition, stanza.StreamUnsupportedEncoding, stanza.StreamUnsupportedFeature,
		stanza.StreamUnsupportedStanzaType, stanza.StreamUnsupportedVersion,
	}
	if len(conds) != 25 {
		t.Fatalf("%d conditions listed, RFC 6120 §4.9.3 has 25", len(conds))
	}
	for _, cond := range conds {
		t.Run(string(cond), func(t *testing.T) {
			causes := make(chan error, 4)
			cfg := &Config{Reconnect: &Backoff{Min: time.Millisecond, Max: time.Millisecond}, OnEvent: func(e Event) {
				if e.Status == StatusDisconnected {
					causes <- e.Err
				}
			}}
			s, c, p := newTestSession(t, cfg)
			body := ""
			if cond == stanza.StreamSeeOtherHost {
				body = "other.localhost:5222"
			}
			p.send(`<stream:error><` + string(cond) + ` xmlns='urn:ietf:params:xml:ns:xmpp-streams'>` + body + `</` + string(cond) +
				`><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>why: ` + string(cond) + `</text></stream:error></stream:stream>`)
			var got error
			if ends[cond] {
				select {
				case <-s.Done():
				case <-time.After(10 * time.Second):
					t.Fatal("the Session did not end")
				}
				got = s.Err()
				c.mu.Lock()
				calls := c.calls
				c.mu.Unlock()
				if calls != 1 {
					t.Errorf("connected %d times, want no reconnect", calls)
				}
			} else {
				c.nextPeer(t) // the reconnect
				select {
				case got = <-causes:
				case <-time.After(10 * time.Second):
					t.Fatal("no StatusDisconnected event")
				}
				if s.Err() != nil {
					t.Errorf("the Session ended: %v", s.Err())
				}
			}
			var se stanza.StreamError
			if !errors.As(got, &se) || se.Condition != cond || se.Text != "why: "+string(cond) {
				t.Fatalf("cause %v (%#v), want a stream error %s with its text", got, se, cond)
			}
			if got := IsPermanent(got); got != (ends[cond] && cond != stanza.StreamSeeOtherHost) {
				t.Errorf("IsPermanent = %v", got)
			}
		})
	}
}

// TestRequestedReconnectQueues: while a reconnect asked for with Reconnect
// runs, on a Session without automatic reconnection, Send queues (as it
// does during an automatic one) instead of failing, and the new stream
// delivers what was queued.
func TestRequestedReconnectQueues(t *testing.T) {
	c := newPipeConnector(t)
	s, err := NewSession(ctxT(t), c, nil) // no Config.Reconnect
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c.nextPeer(t)
	hold := make(chan struct{})
	c.mu.Lock()
	c.hold = hold
	c.mu.Unlock()
	if err := s.Reconnect(""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return s.State() != StateReady })
	if err := s.Send(ctxT(t), stanza.Message{To: jid.MustParse("bob@localhost"), ID: "during"}); err != nil {
		t.Fatalf("Send during a requested reconnect: %v", err)
	}
	close(hold)
	p2 := c.nextPeer(t)
	if e := p2.next(); e.Get("id") != "during" {
		t.Fatalf("after the reconnect got %v, want the queued message", e)
	}
	// The request is over once that stream is up: a later drop ends the
	// Session (no Config.Reconnect), and Send says why.
	waitFor(t, func() bool { return s.State() == StateReady })
	p2.conn.Close()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a drop after the requested reconnect was reconnected")
	}
	if err := s.Send(ctxT(t), stanza.Message{ID: "after"}); err == nil {
		t.Fatal("Send after the Session ended succeeded")
	}
}

// TestSendIQRefusesNonRequests: only get and set wait for an answer (RFC
// 6120 §8.2.3); a result or error sent to be waited for is refused before
// anything is written.
func TestSendIQRefusesNonRequests(t *testing.T) {
	s, _, _ := newTestSession(t, nil)
	for _, typ := range []stanza.IQType{stanza.IQResult, stanza.IQError, ""} {
		iq := stanza.NewIQ(typ, jid.MustParse("localhost"), nil)
		if _, err := s.SendIQ(ctxT(t), iq); !errors.Is(err, ErrNotRequest) {
			t.Errorf("SendIQ of type %q: %v, want ErrNotRequest", typ, err)
		}
		if _, err := s.SendIQPassthru(ctxT(t), iq, nil); !errors.Is(err, ErrNotRequest) {
			t.Errorf("SendIQPassthru of type %q: %v, want ErrNotRequest", typ, err)
		}
	}
	s.imu.Lock()
	defer s.imu.Unlock()
	if len(s.pending) != 0 {
		t.Errorf("%d requests left pending", len(s.pending))
	}
}
