package xmpp

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

const smFeatures = `<stream:features xmlns:stream='http://etherx.jabber.org/streams'><sm xmlns='urn:xmpp:sm:3'/></stream:features>`

// quietSM never requests acks on its own: tests drive every <r/>.
var quietSM = &StreamManagement{AckEvery: 1 << 30, AckAfter: time.Hour, AckTimeout: time.Hour, KeepAlive: time.Hour}

type eventLog struct {
	mu  sync.Mutex
	evs []Event
}

func (l *eventLog) add(e Event) { l.mu.Lock(); l.evs = append(l.evs, e); l.mu.Unlock() }
func (l *eventLog) find(st Status) (Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.evs {
		if e.Status == st {
			return e, true
		}
	}
	return Event{}, false
}

// smSession returns a session with stream management enabled by the peer.
func smSession(t *testing.T, sm *StreamManagement, resume func(*SMRequest) *SMResult) (*Session, *pipeConnector, *peer, *eventLog) {
	t.Helper()
	return smSessionConfig(t, &Config{SM: sm}, resume)
}

// smSessionConfig is smSession with more of the Config set by the caller
// (OnEvent and Reconnect are the test's).
func smSessionConfig(t testing.TB, cfg *Config, resume func(*SMRequest) *SMResult) (*Session, *pipeConnector, *peer, *eventLog) {
	t.Helper()
	log := &eventLog{}
	c := newPipeConnector(t)
	c.features = smFeatures
	c.resume = resume
	cfg.OnEvent = log.add
	cfg.Reconnect = &Backoff{Min: time.Millisecond, Max: time.Millisecond}
	s, err := NewSession(ctxT(t), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := c.nextPeer(t)
	en := p.next()
	if en.Name.Space != NSSM || en.Name.Local != "enable" || en.Get("resume") != "true" {
		t.Fatalf("first element = %v, want <enable resume='true'/>", en)
	}
	p.send(`<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>`)
	waitFor(t, func() bool { return s.SMStats().Enabled })
	return s, c, p, log
}

func sendMsgs(t *testing.T, s *Session, ids ...string) {
	t.Helper()
	for _, id := range ids {
		m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("bob@localhost"))
		m.ID = id
		if err := s.Send(ctxT(t), m); err != nil {
			t.Fatal(err)
		}
	}
}

func expectIDs(t *testing.T, p *peer, ids ...string) {
	t.Helper()
	for _, id := range ids {
		e := p.next()
		if e.Get("id") != id {
			t.Fatalf("got %v, want the message %s", e, id)
		}
	}
}

func TestSMRequestsAckEveryN(t *testing.T) {
	s, _, p, _ := smSession(t, &StreamManagement{AckEvery: 3, AckAfter: time.Hour, AckTimeout: time.Hour, KeepAlive: time.Hour}, nil)
	sendMsgs(t, s, "m1", "m2", "m3")
	expectIDs(t, p, "m1", "m2", "m3")
	if r := p.next(); r.Name.Space != NSSM || r.Name.Local != "r" {
		t.Fatalf("after 3 stanzas got %v, want <r/>", r)
	}
	if st := s.SMStats(); st.Pending != 3 || st.Sent != 3 {
		t.Fatalf("stats %+v", st)
	}
	p.send(`<a xmlns='urn:xmpp:sm:3' h='3'/>`)
	waitFor(t, func() bool { return s.SMStats().Pending == 0 })
	if st := s.SMStats(); st.Acked != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSMAnswersRequestsCountingStanzasOnly(t *testing.T) {
	_, _, p, _ := smSession(t, quietSM, nil)
	p.send(`<message from='bob@localhost/x' id='1'/><presence from='bob@localhost/x'/>` +
		`<iq type='result' id='zz' from='bob@localhost/x'/><r xmlns='urn:xmpp:sm:3'/>`)
	a := p.next()
	if a.Name.Local != "a" || a.Get("h") != "3" {
		t.Fatalf("answer = %v, want <a h='3'/> (three stanzas, nonzas not counted)", a)
	}
}

func TestSMCountersWrap(t *testing.T) {
	s, _, p, _ := smSession(t, quietSM, nil)
	s.mu.Lock()
	s.sm.inH = 1<<32 - 2
	s.sm.outH = 1<<32 - 1
	s.mu.Unlock()
	p.send(`<message from='bob@localhost/x' id='1'/><message from='bob@localhost/x' id='2'/><message from='bob@localhost/x' id='3'/><r xmlns='urn:xmpp:sm:3'/>`)
	if a := p.next(); a.Get("h") != "1" {
		t.Fatalf("inbound h after wrapping = %v, want 1", a)
	}
	sendMsgs(t, s, "w1", "w2", "w3")
	expectIDs(t, p, "w1", "w2", "w3")
	p.send(`<a xmlns='urn:xmpp:sm:3' h='2'/>`) // 2^32-1 + 3 mod 2^32
	waitFor(t, func() bool { return s.SMStats().Pending == 0 })
}

func TestSMHandledCountTooHigh(t *testing.T) {
	s, _, p, _ := smSession(t, quietSM, nil)
	sendMsgs(t, s, "m1", "m2")
	expectIDs(t, p, "m1", "m2")
	p.send(`<a xmlns='urn:xmpp:sm:3' h='9'/>`)
	e := p.next()
	se, ok := stanza.StreamErrorFromElement(e)
	if !ok || se.App == nil || se.App.Name.Local != "handled-count-too-high" || se.App.Get("h") != "9" || se.App.Get("send-count") != "2" {
		t.Fatalf("got %v, want a handled-count-too-high stream error", e)
	}
}

func TestSMMalformedAndEarlyAcks(t *testing.T) {
	for name, xml := range map[string]string{
		"malformed": `<a xmlns='urn:xmpp:sm:3' h='many'/>`,
		"negative":  `<a xmlns='urn:xmpp:sm:3' h='-1'/>`,
	} {
		t.Run(name, func(t *testing.T) {
			s, _, p, _ := smSession(t, quietSM, nil)
			sendMsgs(t, s, "m1")
			expectIDs(t, p, "m1")
			p.send(xml)
			if e := p.next(); e.Name.Local != "error" || e.Name.Space != xmlstream.NSStream {
				t.Fatalf("got %v, want a stream error", e)
			}
			if got := s.SMStats().Pending; got != 1 {
				// The state is not corrupted: the stanza is still kept.
				t.Fatalf("pending = %d after a bad ack", got)
			}
		})
	}
	t.Run("early", func(t *testing.T) {
		s, _, p := newTestSession(t, nil)
		p.send(`<a xmlns='urn:xmpp:sm:3' h='1'/>`)
		if e := p.next(); e.Name.Local != "error" {
			t.Fatalf("got %v, want a stream error", e)
		}
		<-s.Done()
	})
}

// The server acknowledged 2 of 4 before the link dropped: after <resumed
// h='2'/> exactly m3 and m4 are sent again, once and in order, then what
// was queued meanwhile.
func TestSMResumeResendsExactTail(t *testing.T) {
	s, c, p, log := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{Resumed: true, H: 2}
	})
	p.send(`<message from='bob@localhost/x' id='in1'/><message from='bob@localhost/x' id='in2'/>`)
	sendMsgs(t, s, "m1", "m2", "m3", "m4")
	expectIDs(t, p, "m1", "m2", "m3", "m4")
	p.send(`<a xmlns='urn:xmpp:sm:3' h='1'/>`)
	waitFor(t, func() bool { return s.SMStats().Pending == 3 })
	pend, err := s.SendIQAsync(ctxT(t), pingIQ("localhost"))
	if err != nil {
		t.Fatal(err)
	}
	req := p.next()
	p.conn.Close()
	p2 := c.nextPeer(t)
	expectIDs(t, p2, "m3", "m4", req.Get("id"))
	if r := p2.next(); r.Name.Local != "r" {
		t.Fatalf("after the resent tail got %v, want an ack request", r)
	}
	waitFor(t, func() bool { _, ok := log.find(StatusResumed); return ok })
	c.mu.Lock()
	got := c.requests
	c.mu.Unlock()
	if len(got) != 1 || got[0].PrevID != "sm-1" || got[0].H != 2 {
		t.Fatalf("resume requests = %+v, want previd sm-1 h 2", got)
	}
	if st := s.SMStats(); st.Resumptions != 1 || st.Pending != 3 {
		t.Fatalf("stats %+v", st)
	}
	// The IQ sent before the drop survived the resumption.
	p2.reply(req.Get("id"), `<iq type='result' id='{ID}' from='localhost'/>`)
	if _, err := pend.Wait(ctxT(t)); err != nil {
		t.Fatalf("IQ across resumption: %v", err)
	}
	// Nothing else was resent: the next element is a new one.
	sendMsgs(t, s, "m5")
	expectIDs(t, p2, "m5")
}

// A server whose <resumed/> h is below the h of an earlier <a/> has lost
// count of stanzas it acknowledged (XEP-0198 §5 wants the count of those
// handled on the old stream). Those cannot be resent any more, but the
// ones still kept must be: none of them is acknowledged by that h. They
// were once all dropped unseen (h - base wrapped around and was clamped),
// a silent loss.
func TestSMResumedBelowAnEarlierAckResendsTheTail(t *testing.T) {
	s, c, p, _ := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{Resumed: true, H: 1}
	})
	sendFourAckThreeCut(t, s, p)
	p2 := c.nextPeer(t)
	expectIDs(t, p2, "m4")
	if r := p2.next(); r.Name.Local != "r" {
		t.Fatalf("after the resent tail got %v, want an ack request", r)
	}
	// The count goes on from the server's h: m4 is its 2nd stanza, m5 its
	// 3rd, and h='3' acknowledges both without a handled-count-too-high.
	sendMsgs(t, s, "m5")
	expectIDs(t, p2, "m5")
	p2.send(`<a xmlns='urn:xmpp:sm:3' h='3'/>`)
	waitFor(t, func() bool { return s.SMStats().Pending == 0 })
	sendMsgs(t, s, "m6")
	expectIDs(t, p2, "m6")
}

// The same on a failed resumption: an h below an earlier ack hands back
// every stanza still kept.
func TestSMFailedBelowAnEarlierAckHandsBackTheTail(t *testing.T) {
	s, c, p, log := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{H: 1, HasH: true, Failed: ErrResumeFailed}
	})
	sendFourAckThreeCut(t, s, p)
	p2 := c.nextPeer(t)
	if e := p2.next(); e.Name.Local != "enable" {
		t.Fatalf("new session starts with %v, want <enable/>", e)
	}
	waitFor(t, func() bool { _, ok := log.find(StatusResumeFailed); return ok })
	if back := s.Unacknowledged(); len(back) != 1 || back[0].Get("id") != "m4" {
		t.Fatalf("Unacknowledged = %v, want m4", back)
	}
}

func TestSMResumeFailedHandsBack(t *testing.T) {
	s, c, p, log := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{H: 1, HasH: true, Failed: ErrResumeFailed}
	})
	sendMsgs(t, s, "m1", "m2", "m3")
	expectIDs(t, p, "m1", "m2", "m3")
	pend, _ := s.SendIQAsync(ctxT(t), pingIQ("localhost"))
	p.next()
	p.conn.Close()
	p2 := c.nextPeer(t)
	if e := p2.next(); e.Name.Local != "enable" {
		t.Fatalf("new session starts with %v, want <enable/>", e)
	}
	waitFor(t, func() bool { _, ok := log.find(StatusResumeFailed); return ok })
	ev, _ := log.find(StatusResumeFailed)
	if ev.Unacked != 3 { // m2, m3 and the IQ; m1 was acknowledged by h=1
		t.Fatalf("handed back %d, want 3", ev.Unacked)
	}
	back := s.Unacknowledged()
	if len(back) != 3 || back[0].Get("id") != "m2" || back[1].Get("id") != "m3" {
		t.Fatalf("Unacknowledged = %v", back)
	}
	if len(s.Unacknowledged()) != 0 {
		t.Fatal("Unacknowledged returned the stanzas twice")
	}
	if _, err := pend.Wait(ctxT(t)); !errors.Is(err, ErrDisconnected) {
		t.Fatalf("pending IQ after a failed resumption: %v", err)
	}
	if st := s.SMStats(); st.Failed != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSMUnansweredRequestDeclaresLinkDead(t *testing.T) {
	s, c, p, log := smSession(t, &StreamManagement{AckEvery: 1, AckAfter: time.Hour, AckTimeout: 50 * time.Millisecond, KeepAlive: time.Hour},
		func(req *SMRequest) *SMResult { return &SMResult{Resumed: true, H: req.H} })
	sendMsgs(t, s, "m1")
	expectIDs(t, p, "m1")
	if r := p.next(); r.Name.Local != "r" {
		t.Fatalf("got %v, want <r/>", r)
	}
	// The peer never answers: the link is declared dead and resumed.
	p2 := c.nextPeer(t)
	expectIDs(t, p2, "m1")
	waitFor(t, func() bool { _, ok := log.find(StatusResumed); return ok })
	ev, ok := log.find(StatusDisconnected)
	if !ok || !errors.Is(ev.Err, ErrLinkDead) {
		t.Fatalf("disconnect event %+v", ev)
	}
}

// An IQ sent while the stream is down waits in the queue; when resumption
// then fails, only the requests that were in flight on the dropped stream
// fail: the queued one is sent on the new stream and gets its reply.
func TestSMQueuedIQSurvivesFailedResumption(t *testing.T) {
	s, c, p, _ := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{Failed: ErrResumeFailed}
	})
	inFlight, _ := s.SendIQAsync(ctxT(t), pingIQ("localhost"))
	p.next()
	hold := make(chan struct{})
	c.mu.Lock()
	c.hold = hold
	c.mu.Unlock()
	p.conn.Close()
	waitFor(t, func() bool { return s.State() == StateDisconnected })
	queued, err := s.SendIQAsync(ctxT(t), pingIQ("localhost"))
	if err != nil {
		t.Fatal(err)
	}
	close(hold)
	p2 := c.nextPeer(t)
	if e := p2.next(); e.Name.Local != "enable" {
		t.Fatalf("got %v, want <enable/>", e)
	}
	p2.send(`<enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/>`) // the queue waits for it
	req := p2.next()
	if req.Get("id") != queued.ID() {
		t.Fatalf("got %v, want the queued IQ", req)
	}
	p2.reply(req.Get("id"), `<iq type='result' id='{ID}' from='localhost'/>`)
	if _, err := queued.Wait(ctxT(t)); err != nil {
		t.Fatalf("the queued IQ: %v", err)
	}
	if _, err := inFlight.Wait(ctxT(t)); !errors.Is(err, ErrDisconnected) {
		t.Fatalf("the IQ in flight on the dropped stream: %v", err)
	}
}

// A clean close acknowledges what was handled, so the server does not send
// those stanzas again (as offline messages) after the session ends.
func TestSMCloseSendsFinalAck(t *testing.T) {
	s, _, p, _ := smSession(t, quietSM, nil)
	p.send(`<message from='bob@localhost/x' id='1'/><message from='bob@localhost/x' id='2'/>`)
	waitFor(t, func() bool { return s.SMStats().Handled == 2 })
	go s.Close()
	a := p.next()
	if a.Name.Space != NSSM || a.Name.Local != "a" || a.Get("h") != "2" {
		t.Fatalf("before closing got %v, want <a h='2'/>", a)
	}
	select {
	case <-p.end:
	case <-time.After(10 * time.Second):
		t.Fatal("no closing tag after the final ack")
	}
}

// smVariety is a set of stanzas whose encodings exercise the sent log:
// escaping, xml:lang, foreign namespaces, a decoded stanza with unknown
// attributes, presence and IQ, sent through Send and SendElement.
func smVariety(t *testing.T) []Stanza {
	t.Helper()
	bob := jid.MustParse("bob@localhost/x")
	m := stanza.NewMessage(stanza.MessageChat, bob)
	m.ID = "v1"
	m.AddBody("", "a <b> & 'c' \"d\" ü 日本")
	m.AddBody("de", "hallo")
	m.AddPayload(xmlstream.New("urn:xmpp:hints", "no-store"))
	decoded, err := xmlstream.Parse([]byte(`<message xmlns='jabber:client' to='bob@localhost' id='v2' extra='x'><body>hi</body><x xmlns='urn:a' xmlns:p='urn:p'><p:y p:z='1'/></x></message>`), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	dm, _ := stanza.MessageFromElement(decoded)
	pres := stanza.Presence{To: bob, ID: "v3"}
	pres.SetStatus("", "out")
	iq := stanza.IQ{Type: stanza.IQSet, To: bob, ID: "v4"}
	iq.El = xmlstream.New("", "iq")
	iq.El.AppendChild(xmlstream.New("urn:example", "q").SetAttr("k", "v"))
	return []Stanza{m, dm, pres, iq}
}

// TestSMResentBytesAreTheWrittenBytes checks that a resumption resends, for
// every kind of stanza and both send paths, exactly the bytes first written
// for it.
func TestSMResentBytesAreTheWrittenBytes(t *testing.T) {
	var mu sync.Mutex
	var writes [][]byte
	cfg := &Config{SM: quietSM, OnSend: func(b []byte) {
		mu.Lock()
		writes = append(writes, bytes.Clone(b))
		mu.Unlock()
	}}
	s, c, p, log := smSessionConfig(t, cfg, func(req *SMRequest) *SMResult {
		return &SMResult{Resumed: true, H: 0}
	})
	variety := smVariety(t)
	mu.Lock()
	writes = nil
	mu.Unlock()
	sendVariety(t, s, p, variety)
	mu.Lock()
	first := writes
	writes = nil
	mu.Unlock()
	if len(first) != len(variety) {
		t.Fatalf("%d writes for %d stanzas", len(first), len(variety))
	}
	p.conn.Close()
	p2 := c.nextPeer(t)
	for range variety {
		p2.next()
	}
	waitFor(t, func() bool { _, ok := log.find(StatusResumed); return ok })
	mu.Lock()
	again := bytes.Join(writes, nil)
	mu.Unlock()
	want := bytes.Join(first, nil)
	if !bytes.HasPrefix(again, want) {
		t.Fatalf("resent %q\nwant  %q", again, want)
	}
}

// TestSMHandBackEqualsSent checks that the stanzas handed back after a
// failed resumption are equal to those sent, whichever path sent them.
func TestSMHandBackEqualsSent(t *testing.T) {
	s, c, p, log := smSession(t, quietSM, func(req *SMRequest) *SMResult {
		return &SMResult{Failed: ErrResumeFailed}
	})
	variety := smVariety(t)
	sendVariety(t, s, p, variety)
	p.conn.Close()
	c.nextPeer(t)
	waitFor(t, func() bool { _, ok := log.find(StatusResumeFailed); return ok })
	back := s.Unacknowledged()
	if len(back) != len(variety) {
		t.Fatalf("handed back %d stanzas, want %d", len(back), len(variety))
	}
	for i, st := range variety {
		want := st.Element().Copy()
		inheritSpace(want, "jabber:client")
		if !back[i].Equal(want) {
			t.Errorf("stanza %d handed back as %s, sent as %s", i, back[i], want)
		}
	}
}

// inheritSpace gives every element of e's tree without a namespace the one
// it is encoded in: its parent's (the stream's, for e).
func inheritSpace(e *xmlstream.Element, parent string) {
	if e.Name.Space == "" {
		e.Name.Space = parent
	}
	for c := range e.Children() {
		inheritSpace(c, e.Name.Space)
	}
}

// sendVariety sends the stanzas alternately through Send and SendElement,
// each read by the peer before the next.
func sendVariety(t *testing.T, s *Session, p *peer, variety []Stanza) {
	t.Helper()
	for i, st := range variety {
		var err error
		if i%2 == 0 {
			err = s.Send(ctxT(t), st)
		} else {
			err = s.SendElement(ctxT(t), st.Element())
		}
		if err != nil {
			t.Fatal(err)
		}
		p.next()
	}
}

// Stanzas sent while <enable/> is unanswered wait for the answer: a stream
// that breaks first leaves nothing in doubt (nothing to hand back, nothing
// the server might have routed twice); they go out, once, after the next
// stream's <enabled/>.
func TestSMHoldsStanzasUntilEnabled(t *testing.T) {
	c := newPipeConnector(t)
	c.features = smFeatures
	log := &eventLog{}
	s, err := NewSession(ctxT(t), c, &Config{SM: quietSM, OnEvent: log.add, Reconnect: &Backoff{Min: time.Millisecond, Max: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := c.nextPeer(t)
	if e := p.next(); e.Name.Local != "enable" {
		t.Fatalf("got %v, want <enable/>", e)
	}
	sendMsgs(t, s, "m1", "m2")
	if n := s.Queued(); n != 2 {
		t.Fatalf("%d stanzas wait for <enabled/>, want 2", n)
	}
	p.conn.Close() // before <enabled/>: no session to resume
	p2 := c.nextPeer(t)
	if e := p2.next(); e.Name.Local != "enable" {
		t.Fatalf("got %v on the new stream, want <enable/>", e)
	}
	sendMsgs(t, s, "m3")
	p2.send(`<enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/>`)
	expectIDs(t, p2, "m1", "m2", "m3")
	if _, failed := log.find(StatusResumeFailed); failed {
		t.Fatal("a resumption failure was reported for a session that never started")
	}
	if back := s.Unacknowledged(); len(back) != 0 {
		t.Fatalf("handed back %d stanzas; none was ever written", len(back))
	}
	if st := s.SMStats(); st.Pending != 3 || st.Sent != 3 {
		t.Fatalf("stats %+v, want 3 sent and pending", st)
	}
	sendMsgs(t, s, "m4") // enabled: straight out
	expectIDs(t, p2, "m4")
}

// A <failed/> answer to <enable/> releases the held stanzas untracked.
func TestSMEnableFailedReleasesHeldStanzas(t *testing.T) {
	c := newPipeConnector(t)
	c.features = smFeatures
	s, err := NewSession(ctxT(t), c, &Config{SM: quietSM})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := c.nextPeer(t)
	p.next() // <enable/>
	sendMsgs(t, s, "m1")
	p.send(`<failed xmlns='urn:xmpp:sm:3'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>`)
	expectIDs(t, p, "m1")
	waitFor(t, func() bool { return s.Queued() == 0 })
	if st := s.SMStats(); st.Enabled || st.Pending != 0 {
		t.Fatalf("stats %+v after <failed/>", st)
	}
}

// A server that never answers <enable/> is a dead link after AckTimeout,
// like an unanswered <r/>: the held stanzas go out on the next stream.
func TestSMUnansweredEnableDeclaresLinkDead(t *testing.T) {
	c := newPipeConnector(t)
	c.features = smFeatures
	log := &eventLog{}
	sm := &StreamManagement{AckEvery: 1 << 30, AckAfter: time.Hour, AckTimeout: 50 * time.Millisecond, KeepAlive: time.Hour}
	s, err := NewSession(ctxT(t), c, &Config{SM: sm, OnEvent: log.add, Reconnect: &Backoff{Min: time.Millisecond, Max: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := c.nextPeer(t)
	p.next() // <enable/>, never answered
	sendMsgs(t, s, "m1")
	p2 := c.nextPeer(t)
	waitFor(t, func() bool {
		ev, ok := log.find(StatusDisconnected)
		return ok && errors.Is(ev.Err, ErrLinkDead)
	})
	if e := p2.next(); e.Name.Local != "enable" {
		t.Fatalf("got %v on the new stream, want <enable/>", e)
	}
	p2.send(`<enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/>`)
	expectIDs(t, p2, "m1")
}

// sendFourAckThreeCut sends m1..m4, has the server acknowledge three and
// cuts the stream: m4 is the one stanza kept.
func sendFourAckThreeCut(t *testing.T, s *Session, p *peer) {
	t.Helper()
	sendMsgs(t, s, "m1", "m2", "m3", "m4")
	expectIDs(t, p, "m1", "m2", "m3", "m4")
	p.send(`<a xmlns='urn:xmpp:sm:3' h='3'/>`)
	waitFor(t, func() bool { return s.SMStats().Pending == 1 })
	p.conn.Close()
}
