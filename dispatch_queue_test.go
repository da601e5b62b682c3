package xmpp

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sendEach writes each message on its own (net.Pipe: a Write returns once
// the Session's reader has read it) from a goroutine, counting the writes
// that went through.
func sendEach(p *peer, msgs []string, written *atomic.Int32) {
	go func() {
		for _, m := range msgs {
			if _, err := p.conn.Write([]byte(m)); err != nil {
				return
			}
			written.Add(1)
		}
	}()
}

func chatMessages(ids ...string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, `<message from='bob@localhost/x' type='chat' id='`+id+`'><body>x</body></message>`)
	}
	return out
}

// TestDispatchQueueBackPressure: with handlers held up, the reader stops
// reading once DispatchQueue stanzas wait (the peer's writes stop going
// through), and every stanza is handled, in order, once the handler goes on.
func TestDispatchQueueBackPressure(t *testing.T) {
	s, _, p := newTestSession(t, &Config{DispatchQueue: 2})
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) }) // before Close, even on failure
	var mu sync.Mutex
	var seen []string
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		<-release
		mu.Lock()
		seen = append(seen, in.Message.ID)
		mu.Unlock()
		return nil
	})
	var ids []string
	for i := range 10 {
		ids = append(ids, "m"+strconv.Itoa(i))
	}
	var written atomic.Int32
	sendEach(p, chatMessages(ids...), &written)
	// One in the handler, two queued, one read and waiting for room.
	waitFor(t, func() bool { return written.Load() >= 4 })
	time.Sleep(100 * time.Millisecond) // room for the reader to read on, if it wrongly did
	if n := written.Load(); n != 4 {
		t.Fatalf("%d messages read with the handler held and a queue of 2, want 4", n)
	}
	once.Do(func() { close(release) })
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == len(ids) })
	mu.Lock()
	defer mu.Unlock()
	for i := range ids {
		if seen[i] != ids[i] {
			t.Fatalf("handled %v, want %v", seen, ids)
		}
	}
}

// TestHandlerWaitsForIQBehindFullQueue: a handler waiting for an IQ reply
// gets it although more stanzas than DispatchQueue arrived before the reply
// (the reader reads on while a request is pending), and the stanzas that
// waited are handled afterwards, in order.
func TestHandlerWaitsForIQBehindFullQueue(t *testing.T) {
	s, _, p := newTestSession(t, &Config{DispatchQueue: 2})
	result := make(chan error, 1)
	var mu sync.Mutex
	var seen []string
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		mu.Lock()
		seen = append(seen, in.Message.ID)
		mu.Unlock()
		if in.Message.ID == "first" {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, err := s.SendIQ(ctx, pingIQ("localhost"))
			result <- err
		}
		return nil
	})
	p.send(chatMessages("first")[0])
	req := p.next()
	// Three stanzas before the reply: one more than the queue holds.
	msgs := append(chatMessages("a", "b", "c"), `<iq type='result' id='`+req.Get("id")+`' from='localhost'/>`)
	var written atomic.Int32
	sendEach(p, msgs, &written)
	if err := <-result; err != nil {
		t.Fatalf("SendIQ in a handler behind a full dispatch queue: %v (peer writes through: %d of %d)", err, written.Load(), len(msgs))
	}
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 4 })
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"first", "a", "b", "c"}; !slices.Equal(seen, want) {
		t.Fatalf("handled %v, want %v", seen, want)
	}
}

// TestPendingIQReadOnIsBounded: while a request is pending the reader reads
// on only up to twice DispatchQueue: beyond that, back-pressure again.
func TestPendingIQReadOnIsBounded(t *testing.T) {
	s, _, p := newTestSession(t, &Config{DispatchQueue: 2})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // before Close, even on failure
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		<-release
		return nil
	})
	pend, err := s.SendIQAsync(ctxT(t), pingIQ("localhost"))
	if err != nil {
		t.Fatal(err)
	}
	defer pend.Cancel()
	p.next()
	var written atomic.Int32
	sendEach(p, chatMessages("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), &written)
	// One in the handler, four queued, one read and waiting for room.
	waitFor(t, func() bool { return written.Load() >= 6 })
	time.Sleep(100 * time.Millisecond)
	if n := written.Load(); n != 6 {
		t.Fatalf("%d messages read with a request pending and a queue of 2, want 6", n)
	}
}
