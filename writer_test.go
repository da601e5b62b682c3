package xmpp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// countingConn counts the writes that reach the transport, and the bytes
// of those that returned.
type countingConn struct {
	net.Conn
	mu      sync.Mutex
	writes  int
	written []byte
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	c.written = append(c.written, p[:n]...)
	c.mu.Unlock()
	return n, err
}

// done returns the bytes of the writes that returned.
func (c *countingConn) done() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.written)
}

func (c *countingConn) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// countingSession is silentSession with the client's writes counted.
func countingSession(t *testing.T, cfg *Config) (*Session, net.Conn, *countingConn) {
	t.Helper()
	client, server := net.Pipe()
	cc := &countingConn{Conn: client}
	c := ConnectorFunc(func(ctx context.Context, tr *Trace) (*Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader))
		ev, err := dec.Next()
		if err != nil {
			return nil, err
		}
		return &Stream{Conn: cc, Decoder: dec, Header: ev.Header, JID: jid.MustParse("alice@localhost/test"), Namespace: "jabber:client"}, nil
	})
	s, err := NewSession(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); s.Close() })
	return s, server, cc
}

var messageID = regexp.MustCompile(`<message [^>]*id='([^']*)'`)

// ids returns the ids of the messages in b, in order.
func ids(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for _, m := range messageID.FindAllSubmatch(b, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// While a write is blocked, what Send is given gathers and leaves in one
// write, in order: a burst costs the transport a few writes, not one per
// stanza.
func TestSendCoalescesWrites(t *testing.T) {
	s, server, cc := countingSession(t, noSM())
	const n = 100
	for i := range n {
		if err := s.Send(ctxT(t), chat(fmt.Sprint("m", i))); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing was read yet: the first write is still blocked in the pipe.
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	for len(ids(t, got.Bytes())) < n {
		server.SetReadDeadline(time.Now().Add(10 * time.Second))
		k, err := server.Read(buf)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(ids(t, got.Bytes())), err)
		}
		got.Write(buf[:k])
	}
	for i, id := range ids(t, got.Bytes()) {
		if id != fmt.Sprint("m", i) {
			t.Fatalf("message %d has id %q: out of order", i, id)
		}
	}
	if w := cc.count(); w > 3 {
		t.Errorf("%d stanzas took %d writes, want at most 3 (the blocked first one, the rest gathered)", n, w)
	}
}

// Past writeBehindLimit a Send waits for the flusher, as long as its ctx
// allows; one whose ctx ends first fails and its stanza is never written.
func TestSendWaitsForRoomUntilCtxEnds(t *testing.T) {
	cfg := noSM()
	cfg.CloseTimeout = 100 * time.Millisecond
	s, server, _ := countingSession(t, cfg)
	accepted, bytesIn := 0, 0
	var err error
	// The flusher may take the first writeBehindLimit bytes at once, if it
	// starts late, and block on writing them: room for twice that and more.
	for bytesIn < 4*writeBehindLimit {
		m := chat(fmt.Sprint("m", accepted))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err = s.Send(ctx, m)
		cancel()
		if err != nil {
			break
		}
		accepted++
		bytesIn += len(m.AppendXML(nil))
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send into a transport that reads nothing: %v after %d stanzas, want a deadline error", err, accepted)
	}
	// The first write took some (it is blocked in the pipe); the rest wait
	// in the buffer, which holds writeBehindLimit bytes before Send waits.
	if bytesIn < writeBehindLimit {
		t.Errorf("Send waited after %d bytes, before the buffer held %d", bytesIn, writeBehindLimit)
	}
	// Read everything: exactly the accepted stanzas arrive.
	go func() { time.Sleep(50 * time.Millisecond); s.Close() }()
	all, _ := io.ReadAll(server)
	got := ids(t, all)
	if len(got) != accepted {
		t.Fatalf("%d stanzas written, want the %d accepted", len(got), accepted)
	}
	if !bytes.HasSuffix(all, []byte("</stream:stream>")) {
		t.Errorf("the stream does not end with the closing tag: %q", all[max(0, len(all)-40):])
	}
}

// A write the transport does not take within WriteTimeout breaks the
// stream: the Session ends with a timeout (it does not reconnect here),
// and later Sends fail with that error.
func TestStuckWriteBreaksStream(t *testing.T) {
	cfg := noSM()
	cfg.WriteTimeout = 50 * time.Millisecond
	s, _, _ := countingSession(t, cfg)
	if err := s.Send(ctxT(t), chat("m1")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a write nobody reads did not end the Session")
	}
	if err := s.Err(); !isTimeout(err) {
		t.Errorf("Session ended with %v, want a timeout", err)
	}
	if err := s.Send(ctxT(t), chat("m2")); err == nil {
		t.Error("Send after the stream broke returned nil")
	}
}

// Close writes what still waits before the closing tag, and no flusher is
// left behind.
func TestCloseWritesWaitingStanzasFirst(t *testing.T) {
	before := runtime.NumGoroutine()
	cfg := noSM()
	cfg.CloseTimeout = 100 * time.Millisecond
	s, server, _ := countingSession(t, cfg)
	for i := range 20 {
		if err := s.Send(ctxT(t), chat(fmt.Sprint("m", i))); err != nil {
			t.Fatal(err)
		}
	}
	read := make(chan []byte)
	go func() {
		time.Sleep(20 * time.Millisecond) // Close finds the stanzas waiting
		all, _ := io.ReadAll(server)
		read <- all
	}()
	s.Close()
	server.Close()
	all := <-read
	if got := ids(t, all); len(got) != 20 {
		t.Fatalf("%d stanzas before the close, want 20: %q", len(got), all)
	}
	if !bytes.HasSuffix(all, []byte("</stream:stream>")) {
		t.Errorf("the stream does not end with the closing tag: %q", all[max(0, len(all)-40):])
	}
	waitGoroutines(t, before)
}

// A Send whose ctx ends after it returned still has its stanza written:
// it was handed to the stream.
func TestSentStanzaOutlivesCtx(t *testing.T) {
	s, server, _ := countingSession(t, noSM())
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Send(ctx, chat("m1")); err != nil {
		t.Fatal(err)
	}
	cancel()
	server.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got bytes.Buffer
	buf := make([]byte, 4096)
	for len(ids(t, got.Bytes())) < 1 {
		k, err := server.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got.Write(buf[:k])
	}
}

func noSM() *Config { return &Config{SM: &StreamManagement{Disable: true}} }

// waitGoroutines waits until no more goroutines run than before.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Flush returns once what was sent before it is written: not before (its
// ctx ends first while nobody reads), and at once when nothing waits.
func TestFlushWaitsForTheWrite(t *testing.T) {
	s, server, cc := countingSession(t, noSM())
	if err := s.Flush(ctxT(t)); err != nil {
		t.Fatalf("Flush with nothing sent: %v", err)
	}
	for i := range 10 {
		if err := s.Send(ctxT(t), chat(fmt.Sprint("m", i))); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	err := s.Flush(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush while nobody reads = %v, want a deadline error", err)
	}
	go io.Copy(io.Discard, server)
	if err := s.Flush(ctxT(t)); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := len(ids(t, cc.done())); n != 10 {
		t.Errorf("Flush returned with %d of 10 stanzas written", n)
	}
}

// Flush reports a write of its bytes that failed: the peer went away while
// the write was blocked.
func TestFlushReportsALostWrite(t *testing.T) {
	s, server, _ := countingSession(t, noSM())
	if err := s.Send(ctxT(t), chat("m1")); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond) // Flush is waiting by then
		server.Close()
	}()
	if err := s.Flush(ctxT(t)); err == nil {
		t.Fatal("Flush of a write the peer never took = nil")
	}
}

// After our closing tag (here, after a stream error we sent) nothing more
// is written to the stream: a Send fails as when no stream is up.
func TestNothingWrittenAfterOurClosingTag(t *testing.T) {
	s, server, cc := countingSession(t, noSM())
	go io.Copy(io.Discard, server)
	s.mu.Lock()
	st := s.st
	s.mu.Unlock()
	s.sendStreamError(st, stanza.StreamError{Condition: stanza.StreamInternalServerError})
	if err := s.Send(ctxT(t), chat("late")); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Send after our stream error = %v, want ErrNotConnected", err)
	}
	if err := s.SendElement(ctxT(t), chat("late2").Element()); !errors.Is(err, ErrNotConnected) {
		t.Errorf("SendElement after our stream error = %v, want ErrNotConnected", err)
	}
	s.Flush(ctxT(t))
	if out := cc.done(); !bytes.HasSuffix(out, []byte("</stream:stream>")) {
		t.Errorf("the stream does not end with the closing tag: %q", out)
	}
}
