package xmpp

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// Lazy answers to the server's ack requests (StreamManagement.AckDelay,
// XEP-0198 §4).

// lazySM requests nothing on its own and answers <r/> only when something
// else is written (or after an hour).
var lazySM = &StreamManagement{AckEvery: 1 << 30, AckAfter: time.Hour, AckTimeout: time.Hour, KeepAlive: time.Hour, AckDelay: time.Hour}

// writeLog records the Session's writes, one chunk per Write.
type writeLog struct {
	mu     sync.Mutex
	chunks [][]byte
}

func (l *writeLog) add(b []byte) {
	l.mu.Lock()
	l.chunks = append(l.chunks, bytes.Clone(b))
	l.mu.Unlock()
}

// with returns the writes that contain every one of subs.
func (l *writeLog) with(subs ...string) (n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
next:
	for _, c := range l.chunks {
		for _, s := range subs {
			if !bytes.Contains(c, []byte(s)) {
				continue next
			}
		}
		n++
	}
	return n
}

// inbound sends the peer's message id followed by an <r/>, and waits until
// the Session has counted it.
func inbound(t *testing.T, s *Session, p *peer, id string, h uint32) {
	t.Helper()
	p.send(`<message from='bob@localhost/x' type='chat' id='` + id + `'/><r xmlns='urn:xmpp:sm:3'/>`)
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.sm.inH == h && s.sm.ackDue
	})
}

func TestSMAckWaitsForTheWindow(t *testing.T) {
	const delay = 20 * time.Millisecond
	sm := *quietSM
	sm.AckDelay = delay
	_, _, p, _ := smSession(t, &sm, nil)
	start := time.Now()
	p.send(`<message from='bob@localhost/x' id='1'/><message from='bob@localhost/x' id='2'/><r xmlns='urn:xmpp:sm:3'/>`)
	a := p.next() // nothing else is written: the timer sends it
	if a.Name.Space != NSSM || a.Name.Local != "a" || a.Get("h") != "2" {
		t.Fatalf("answer = %v, want <a h='2'/>", a)
	}
	// Timers never fire early, so this bound holds however loaded the
	// machine is: the answer waited instead of going out at once.
	if el := time.Since(start); el < delay {
		t.Fatalf("<a/> after %v, want it held for AckDelay %v", el, delay)
	}
}

func TestSMAckAnswersRequestsOfTheWindowOnce(t *testing.T) {
	s, _, p, _ := smSession(t, lazySM, nil)
	inbound(t, s, p, "1", 1)
	inbound(t, s, p, "2", 2)
	inbound(t, s, p, "3", 3)
	sendMsgs(t, s, "out1", "out2")
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "3" {
		t.Fatalf("first element = %v, want one <a h='3'/> for the three <r/>", a)
	}
	expectIDs(t, p, "out1", "out2") // no second <a/>
	if st := s.SMStats(); st.Handled != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSMAckRidesOnAStanza(t *testing.T) {
	w := &writeLog{}
	s, _, p, _ := smSessionConfig(t, &Config{SM: lazySM, OnSend: w.add}, nil)
	inbound(t, s, p, "1", 1)
	if n := w.with("<a "); n != 0 {
		t.Fatalf("%d writes with an <a/> before anything was sent, want the answer held", n)
	}
	sendMsgs(t, s, "out1")
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "1" {
		t.Fatalf("got %v, want <a h='1'/>", a)
	}
	expectIDs(t, p, "out1")
	if n := w.with("<a ", "id='out1'"); n != 1 {
		t.Fatalf("%d writes carry both the <a/> and the message, want 1", n)
	}
	// The next request is answered by the next write again, with the new count.
	inbound(t, s, p, "2", 2)
	sendMsgs(t, s, "out2")
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "2" {
		t.Fatalf("got %v, want <a h='2'/>", a)
	}
	expectIDs(t, p, "out2")
}

func TestSMAckRidesOnARequest(t *testing.T) {
	sm := *lazySM
	sm.AckEvery = 1
	w := &writeLog{}
	s, _, p, _ := smSessionConfig(t, &Config{SM: &sm, OnSend: w.add}, nil)
	inbound(t, s, p, "1", 1)
	sendMsgs(t, s, "out1")
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "1" {
		t.Fatalf("got %v, want <a h='1'/>", a)
	}
	expectIDs(t, p, "out1")
	if r := p.next(); r.Name.Local != "r" {
		t.Fatalf("got %v, want <r/>", r)
	}
	if n := w.with("<a ", "id='out1'", "<r "); n != 1 {
		t.Fatalf("%d writes carry the <a/>, the message and the <r/>, want 1", n)
	}
}

func TestSMAckNegativeDelayAnswersAtOnce(t *testing.T) {
	sm := *lazySM
	sm.AckDelay = -1
	_, _, p, _ := smSession(t, &sm, nil)
	p.send(`<message from='bob@localhost/x' id='1'/><r xmlns='urn:xmpp:sm:3'/>`)
	// Nothing is sent and the timers are an hour away: only an immediate
	// answer arrives.
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "1" {
		t.Fatalf("got %v, want <a h='1'/>", a)
	}
}

func TestSMAckPendingAtCloseIsWrittenOnce(t *testing.T) {
	s, _, p, _ := smSession(t, lazySM, nil)
	inbound(t, s, p, "1", 1)
	go s.Close()
	if a := p.next(); a.Name.Local != "a" || a.Get("h") != "1" {
		t.Fatalf("got %v, want the final <a h='1'/>", a)
	}
	select {
	case e, ok := <-p.els:
		if ok {
			t.Fatalf("after the final <a/> got %v, want the end of the stream", e)
		}
	case <-p.end:
	case <-time.After(10 * time.Second):
		t.Fatal("stream not closed")
	}
}
