package xmpp

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// silentSession returns a Session over an in-memory pipe whose server end
// reads only when the test does, so that writes block.
func silentSession(t *testing.T, cfg *Config) (*Session, net.Conn) {
	t.Helper()
	s, server, _ := countingSession(t, cfg)
	return s, server
}

func chat(id string) stanza.Message {
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("bob@localhost"))
	m.ID = id
	return m
}

// readSome reads from the server end until n bytes or more arrived.
func readSome(t *testing.T, server net.Conn, n int) {
	t.Helper()
	buf := make([]byte, 4096)
	for got := 0; got < n; {
		k, err := server.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got += k
	}
}

// The write guard bounds the writes a caller makes itself: in manual mode
// (Config.Manual) Send writes in the caller's goroutine. Other sessions
// write behind their callers (writer_test.go).

func TestBlockedSendReturnsWhenCtxEnds(t *testing.T) {
	s, server := silentSession(t, &Config{Manual: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, chat("m1")) }()
	// One byte read: the write is under way and blocked on the rest.
	if _, err := server.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Send returned nil after its ctx ended mid-write")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a blocked Send did not return when its ctx ended")
	}
}

func TestEndedCtxDoesNotClobberLaterWrites(t *testing.T) {
	s, server := silentSession(t, nil)
	go io.Copy(io.Discard, server)
	ctx1, cancel1 := context.WithCancel(context.Background())
	if err := s.Send(ctx1, chat("m1")); err != nil {
		t.Fatal(err)
	}
	cancel1() // its watcher runs with no write in progress
	for _, ctx := range []context.Context{context.Background(), ctxT(t), context.Background()} {
		if err := s.Send(ctx, chat("m2")); err != nil {
			t.Fatalf("Send after an earlier ctx ended: %v", err)
		}
	}
}

func TestBlockedSendTimesOut(t *testing.T) {
	s, server := silentSession(t, &Config{WriteTimeout: 50 * time.Millisecond, Manual: true})
	go func() {
		// Read the first stanza only; the second blocks until WriteTimeout.
		readSome(t, server, len(chat("m1").AppendXML(nil)))
	}()
	if err := s.Send(context.Background(), chat("m1")); err != nil {
		t.Fatal(err)
	}
	err := s.Send(context.Background(), chat("m2"))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
		t.Fatalf("blocked Send = %v, want a timeout", err)
	}
}

func TestWriteDeadlineRenewedAfterIdle(t *testing.T) {
	const timeout = 40 * time.Millisecond
	s, server := silentSession(t, &Config{WriteTimeout: timeout})
	go io.Copy(io.Discard, server)
	if err := s.Send(context.Background(), chat("m1")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(timeout + timeout/2) // the first write's deadline has passed
	if err := s.Send(context.Background(), chat("m2")); err != nil {
		t.Fatalf("Send after the previous deadline passed: %v", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
