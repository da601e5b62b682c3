package xmpp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// stressServer hands out in-memory streams whose peer reads slowly, in
// chunks of random size, and checks what arrives: well-formed elements,
// nothing after the client's closing tag. With sm it offers stream
// management, answers <enable/> and <r/>, and resumes every session it is
// asked to with its exact count of handled messages (XEP-0198 h, kept across
// resumptions), so that every message sent must arrive exactly once.
type stressServer struct {
	t  testing.TB
	sm bool

	mu      sync.Mutex
	h       uint32   // messages handled since <enable/>
	got     []string // ids of the messages handled, in order, over all streams
	cur     *stressPeer
	streams int
	errs    []string
}

type stressPeer struct {
	srv    *stressServer
	n      int
	conn   net.Conn
	done   chan struct{}
	out    chan string
	closed bool // the server sent its closing tag; guarded by srv.mu
}

func (v *stressServer) fail(format string, args ...any) {
	v.mu.Lock()
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
	v.mu.Unlock()
}

func (v *stressServer) Connect(ctx context.Context, tr *Trace) (*Stream, error) {
	v.mu.Lock()
	prev := v.cur
	v.mu.Unlock()
	if prev != nil {
		// The count of the old stream is final once its peer stopped.
		prev.conn.Close()
		select {
		case <-prev.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	client, server := net.Pipe()
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(peerHeader))
	ev, err := dec.Next()
	if err != nil {
		return nil, err
	}
	st := &Stream{Conn: tr.Conn(client), Decoder: dec, Header: ev.Header, JID: jid.MustParse("alice@localhost/test"), Namespace: "jabber:client"}
	v.mu.Lock()
	v.streams++
	p := &stressPeer{srv: v, n: v.streams, conn: server, done: make(chan struct{}), out: make(chan string, 4096)}
	v.cur = p
	if v.sm {
		f, _ := xmlstream.Parse([]byte(smFeatures), "", nil)
		st.Features = f
		if req := tr.StreamManagement(); req != nil {
			st.SM = &SMResult{Resumed: true, H: v.h}
		}
	}
	v.mu.Unlock()
	go p.read()
	go func() {
		for b := range p.out {
			p.conn.Write([]byte(b))
		}
	}()
	return st, nil
}

func (v *stressServer) breakStream() {
	v.mu.Lock()
	p := v.cur
	v.mu.Unlock()
	if p != nil {
		p.conn.Close()
	}
}

// closeStream sends the server's closing tag (RFC 6120 §4.4): the client
// answers with what still waits to be written and its own.
func (v *stressServer) closeStream() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if p := v.cur; p != nil && !p.closed {
		p.closed = true
		p.out <- `</stream:stream>`
	}
}

func (p *stressPeer) read() {
	v := p.srv
	defer close(p.done)
	defer func() {
		v.mu.Lock()
		p.closed = true // nothing more to send
		close(p.out)
		v.mu.Unlock()
	}()
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	if ev, err := dec.Next(); err != nil || ev.Kind != xmlstream.EventStreamStart {
		v.fail("peer header: %v", err)
		return
	}
	ended := false
	buf := make([]byte, 8192)
	for {
		n, err := p.conn.Read(buf[:1+rand.IntN(len(buf))])
		if n > 0 && ended {
			v.fail("stream %d: %.120q… after the client's closing tag", p.n, buf[:n])
		}
		dec.Feed(buf[:n])
		for {
			ev, derr := dec.Next()
			if derr != nil {
				v.fail("stream %d: %v", p.n, derr)
				return
			}
			if ev.Kind == xmlstream.EventNone {
				break
			}
			if ev.Kind == xmlstream.EventStreamEnd {
				ended = true
				v.mu.Lock()
				if !p.closed {
					p.closed = true
					p.out <- `</stream:stream>`
				}
				v.mu.Unlock()
				continue
			}
			if ev.Kind != xmlstream.EventElement {
				continue
			}
			e := ev.Element
			v.mu.Lock()
			switch {
			case e.Name.Local == "message":
				v.h++
				v.got = append(v.got, e.Get("id"))
			case e.Name.Space == NSSM && e.Name.Local == "enable":
				v.h = 0
				p.out <- `<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>`
			case e.Name.Space == NSSM && e.Name.Local == "r":
				p.out <- `<a xmlns='urn:xmpp:sm:3' h='` + strconv.FormatUint(uint64(v.h), 10) + `'/>`
			}
			v.mu.Unlock()
		}
		if err != nil {
			return
		}
		if rand.IntN(4) == 0 {
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
		}
	}
}

// stressSend runs senders goroutines, each sending n messages in order (even
// ones with Send, odd ones with SendElement), while the stream is broken
// every so often, from both sides; it returns the ids whose send returned
// nil and those whose send failed.
func stressSend(t *testing.T, s *Session, v *stressServer, senders, n int) (ok, failed map[string]bool) {
	ok, failed = make(map[string]bool), make(map[string]bool)
	var mu sync.Mutex
	errKinds := map[string]int{}
	defer func() { t.Logf("send errors: %v", errKinds) }()
	stop := make(chan struct{})
	breaker := make(chan struct{})
	go func() {
		defer close(breaker)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(1+rand.IntN(15)) * time.Millisecond):
			}
			switch i % 3 {
			case 0:
				s.Disconnect(errors.New("test: dropped by the client"))
			case 1:
				v.breakStream()
			case 2:
				v.closeStream()
			}
		}
	}()
	body := strings.Repeat("x", 700)
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range n {
				id := fmt.Sprintf("g%d-%d", g, i)
				m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("bob@localhost"))
				m.ID = id
				if i%4 == 0 {
					m.AddBody("", body)
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+rand.IntN(40))*time.Millisecond)
				var err error
				if g%2 == 0 {
					err = s.Send(ctx, m)
				} else {
					err = s.SendElement(ctx, m.Element())
				}
				cancel()
				mu.Lock()
				if err == nil {
					ok[id] = true
				} else {
					failed[id] = true
					errKinds[err.Error()]++
				}
				mu.Unlock()
				if rand.IntN(4) == 0 {
					time.Sleep(time.Duration(rand.IntN(1000)) * time.Microsecond)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	<-breaker
	return ok, failed
}

// checkOrder fails when one sender's messages arrived out of order or twice.
func checkOrder(t *testing.T, got []string) {
	t.Helper()
	last := map[string]int{}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("%s arrived twice", id)
		}
		seen[id] = true
		g, i, _ := strings.Cut(id, "-")
		k, _ := strconv.Atoi(i)
		if prev, ok := last[g]; ok && k <= prev {
			t.Errorf("%s arrived after %s-%d", id, g, prev)
		}
		last[g] = k
	}
}

func (v *stressServer) snapshot() ([]string, []string, int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.got...), append([]string(nil), v.errs...), v.streams
}

// Many senders while streams break and stream management resumes them:
// every message whose Send returned nil arrives exactly once, in each
// sender's order; none whose Send failed arrives.
func TestStressWriteBehindResume(t *testing.T) {
	v := &stressServer{t: t, sm: true}
	s, err := NewSession(ctxT(t), v, &Config{
		SM:        &StreamManagement{AckEvery: 3, AckDelay: time.Millisecond},
		Reconnect: &Backoff{Min: time.Millisecond, Max: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ok, failed := stressSend(t, s, v, 8, 2000)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, _, _ := v.snapshot()
		arrived := 0
		for _, id := range got {
			if ok[id] {
				arrived++
			}
		}
		if arrived >= len(ok) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d of %d sent messages arrived", arrived, len(ok))
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Close()
	got, errs, streams := v.snapshot()
	for _, e := range errs {
		t.Error(e)
	}
	checkOrder(t, got)
	seen := map[string]bool{}
	for _, id := range got {
		seen[id] = true
		if failed[id] {
			t.Errorf("%s arrived though its send failed", id)
		}
	}
	missing := 0
	for id := range ok {
		if !seen[id] {
			missing++
			if missing < 10 {
				t.Errorf("%s was sent and never arrived", id)
			}
		}
	}
	t.Logf("%d sent, %d failed, %d streams, %d missing", len(ok), len(failed), streams, missing)
}

// The same without stream management: what is lost with a stream may be
// lost, but nothing arrives twice, out of order, malformed, or after the
// closing tag, and none whose Send failed arrives.
func TestStressWriteBehindReconnect(t *testing.T) {
	v := &stressServer{t: t}
	s, err := NewSession(ctxT(t), v, &Config{
		SM:        &StreamManagement{Disable: true},
		Reconnect: &Backoff{Min: time.Millisecond, Max: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	ok, failed := stressSend(t, s, v, 8, 2000)
	// Whatever was lost with a stream, Flush does not wait for it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if err := s.Flush(ctx); errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Flush: %v", err)
	}
	cancel()
	s.Close()
	got, errs, streams := v.snapshot()
	for _, e := range errs {
		t.Error(e)
	}
	checkOrder(t, got)
	for _, id := range got {
		if failed[id] {
			t.Errorf("%s arrived though its send failed", id)
		}
		if !ok[id] && !failed[id] {
			t.Errorf("%s arrived and was never sent", id)
		}
	}
	t.Logf("%d sent, %d failed, %d arrived, %d streams", len(ok), len(failed), len(got), streams)
}

// Close while senders keep sending and the ack timer runs: nothing reaches
// the peer after our closing tag or malformed, Close returns, and no
// goroutine is left.
func TestStressCloseDuringSends(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		v := &stressServer{t: t, sm: true}
		s, err := NewSession(ctxT(t), v, &Config{
			SM:           &StreamManagement{AckEvery: 2, AckAfter: time.Millisecond, AckDelay: time.Microsecond},
			Reconnect:    &Backoff{Min: time.Millisecond, Max: time.Millisecond},
			CloseTimeout: time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				for i := 0; ; i++ {
					m := chat(fmt.Sprintf("g%d-%d", g, i))
					if i%3 == 0 {
						m.AddBody("", strings.Repeat("y", 3000))
					}
					var err error
					if g%2 == 0 {
						err = s.Send(ctx, m)
					} else {
						err = s.SendElement(ctx, m.Element())
					}
					if errors.Is(err, ErrClosed) || ctx.Err() != nil || err != nil && s.State() == StateClosed {
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
		if rand.IntN(2) == 0 {
			v.closeStream()
		}
		done := make(chan struct{})
		go func() { s.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			buf := make([]byte, 1<<20)
			t.Fatalf("Close did not return:\n%s", buf[:runtime.Stack(buf, true)])
		}
		wg.Wait()
		v.breakStream()
		_, errs, _ := v.snapshot()
		for _, e := range errs {
			t.Error(e)
		}
		got, _, _ := v.snapshot()
		checkOrder(t, got)
	}
	waitGoroutines(t, before)
}
