package xmpp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
)

// Session-level tests of the reconnection back-off (Config.Reconnect,
// RFC 6120 §3.3): the delays the StatusReconnecting events report, how
// MaxAttempts ends the Session, and Close while the Session waits or
// connects. The assertions are on Event.Delay, which is what the Session
// then waits, never on wall-clock time.

// jitterRange reports whether the reported delay got is a jittered d: in
// [d/2, d) (Backoff). An unjittered d is out of the range.
func jitterRange(got, d time.Duration) bool {
	return got >= d/2 && got < d
}

// failures returns n distinct Connect errors.
func failures(n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = fmt.Errorf("connect refused #%d", i+1)
	}
	return errs
}

// TestBackoffGrowsAndCaps: after a drop, with a Connector that fails five
// times, the six attempts report delays drawn from [d/2, d) where d starts
// at Min, is multiplied by Factor after each failure and is capped at Max;
// each event carries its attempt number and the cause of the wait (the
// drop, then each failed Connect). MaxAttempts 0 keeps trying, and the
// sixth attempt brings the stream back.
func TestBackoffGrowsAndCaps(t *testing.T) {
	var events eventLog
	cfg := &Config{
		Reconnect: &Backoff{Min: time.Millisecond, Factor: 3, Max: 10 * time.Millisecond},
		OnEvent:   events.add,
	}
	s, c, p := newTestSession(t, cfg)
	errs := failures(5)
	c.mu.Lock()
	c.fail = append([]error(nil), errs...)
	c.mu.Unlock()
	p.conn.Close()
	c.nextPeer(t) // the sixth attempt connects
	waitFor(t, func() bool { return s.State() == StateReady })

	ms := time.Millisecond
	want := []time.Duration{1 * ms, 3 * ms, 9 * ms, 10 * ms, 10 * ms, 10 * ms}
	got := events.reconnecting()
	if len(got) != len(want) {
		t.Fatalf("%d reconnecting events, want %d: %+v", len(got), len(want), got)
	}
	for i, e := range got {
		if e.Attempt != i+1 {
			t.Errorf("event %d: Attempt %d, want %d", i, e.Attempt, i+1)
		}
		if !jitterRange(e.Delay, want[i]) {
			t.Errorf("attempt %d: Delay %v, want in [%v, %v)", e.Attempt, e.Delay, want[i]/2, want[i])
		}
		wantErr := io.ErrUnexpectedEOF // the dropped stream
		if i > 0 {
			wantErr = errs[i-1] // the Connect that failed before this wait
		}
		if !errors.Is(e.Err, wantErr) {
			t.Errorf("attempt %d: Err %v, want %v", e.Attempt, e.Err, wantErr)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls != 1+len(want) {
		t.Errorf("Connect called %d times, want %d", c.calls, 1+len(want))
	}
}

// TestBackoffMaxAttemptsEndsSession: with MaxAttempts 3 and a Connector
// that keeps failing, the Session makes exactly three attempts and then
// ends with the last attempt's error: Err, the StatusClosed event and a
// later Send all carry it.
func TestBackoffMaxAttemptsEndsSession(t *testing.T) {
	var events eventLog
	cfg := &Config{
		Reconnect: &Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond, MaxAttempts: 3},
		OnEvent:   events.add,
	}
	s, c, p := newTestSession(t, cfg)
	errs := failures(3)
	c.mu.Lock()
	// A fourth attempt would connect, and the Session would not end.
	c.fail = append([]error(nil), errs...)
	c.mu.Unlock()
	p.conn.Close()
	waitDone(t, s)

	last := errs[len(errs)-1]
	if err := s.Err(); !errors.Is(err, last) {
		t.Fatalf("Err = %v, want the last attempt's %v", err, last)
	}
	if s.State() != StateClosed {
		t.Errorf("State = %v, want closed", s.State())
	}
	if ev, ok := events.find(StatusClosed); !ok || !errors.Is(ev.Err, last) {
		t.Errorf("StatusClosed event %+v (found %v), want Err %v", ev, ok, last)
	}
	if got := events.reconnecting(); len(got) != 3 || got[2].Attempt != 3 {
		t.Errorf("reconnecting events %+v, want attempts 1 to 3", got)
	}
	c.mu.Lock()
	calls := c.calls
	c.mu.Unlock()
	if calls != 4 {
		t.Errorf("Connect called %d times, want 1 + MaxAttempts = 4", calls)
	}
	if err := s.Send(ctxT(t), pingIQ("localhost")); !errors.Is(err, last) {
		t.Errorf("Send after the end = %v, want %v", err, last)
	}
}

// TestBackoffDefaults: zero and out-of-range fields take the documented
// defaults (Min 500 ms, Max 60 s, Factor 2, MaxAttempts 0), a Session
// waits a jittered 500 ms before its first attempt, and the caller's
// Backoff is left as it was.
func TestBackoffDefaults(t *testing.T) {
	for i, tc := range []struct {
		in, want Backoff
	}{
		{Backoff{}, Backoff{Min: 500 * time.Millisecond, Max: 60 * time.Second, Factor: 2}},
		{Backoff{Min: -1, Max: -1, Factor: 0.5}, Backoff{Min: 500 * time.Millisecond, Max: 60 * time.Second, Factor: 2}},
		{Backoff{Min: 1, Max: 2, Factor: 1, MaxAttempts: 7}, Backoff{Min: 1, Max: 2, Factor: 1, MaxAttempts: 7}},
	} {
		if got := tc.in.withDefaults(); got != tc.want {
			t.Errorf("%d: %+v.withDefaults() = %+v, want %+v", i, tc.in, got, tc.want)
		}
	}

	var events eventLog
	b := &Backoff{}
	s, c, p := newTestSession(t, &Config{Reconnect: b, OnEvent: events.add})
	p.conn.Close()
	waitFor(t, func() bool { return len(events.reconnecting()) == 1 })
	if d := events.reconnecting()[0].Delay; !jitterRange(d, 500*time.Millisecond) {
		t.Errorf("first Delay %v, want in [250ms, 500ms)", d)
	}
	if *b != (Backoff{}) {
		t.Errorf("the caller's Backoff was changed to %+v", *b)
	}
	s.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls != 1 {
		t.Errorf("Connect called %d times, want no attempt after Close", c.calls)
	}
}

// blockingConnector is a pipeConnector whose Connect, once block is set,
// reports on entered and then waits for its ctx: a server that accepts the
// connection and never negotiates.
type blockingConnector struct {
	*pipeConnector
	block   chan struct{} // closed: Connect blocks from now on
	entered chan struct{}
}

func (b *blockingConnector) Connect(ctx context.Context, tr *Trace) (*Stream, error) {
	select {
	case <-b.block:
		b.entered <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	default:
		return b.pipeConnector.Connect(ctx, tr)
	}
}

// TestCloseDuringBackoff: a Session whose stream dropped returns from Close
// without waiting out its back-off (an hour here) or a Connect that hangs,
// ends with ErrClosed (not the cancelled attempt's error), reports no
// further attempt, and leaves no goroutine behind.
func TestCloseDuringBackoff(t *testing.T) {
	for _, tc := range []struct {
		name  string
		b     Backoff
		hangs bool // Connect hangs instead of the wait being long
	}{
		{name: "waiting", b: Backoff{Min: time.Hour}},
		{name: "connecting", b: Backoff{Min: time.Millisecond}, hangs: true},
		// Close cancels the last attempt allowed: ErrClosed still wins
		// over that attempt's error (the cancelled ctx's).
		{name: "last-attempt", b: Backoff{Min: time.Millisecond, MaxAttempts: 1}, hangs: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			var events eventLog
			c := &blockingConnector{pipeConnector: newPipeConnector(t), block: make(chan struct{}), entered: make(chan struct{}, 1)}
			s, err := NewSession(ctxT(t), c, &Config{Reconnect: &tc.b, OnEvent: events.add})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			p := c.nextPeer(t)
			if tc.hangs {
				close(c.block)
			}
			p.conn.Close()
			waitFor(t, func() bool { return len(events.reconnecting()) == 1 })
			if tc.hangs {
				select {
				case <-c.entered:
				case <-time.After(10 * time.Second):
					t.Fatal("no reconnect attempt")
				}
			}

			closed := make(chan error, 1)
			go func() { closed <- s.Close() }()
			select {
			case err := <-closed:
				if err != nil {
					t.Fatalf("Close: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Close waited for the back-off")
			}
			waitDone(t, s)
			if !errors.Is(s.Err(), ErrClosed) {
				t.Errorf("Err = %v, want ErrClosed", s.Err())
			}
			if ev, ok := events.find(StatusClosed); !ok || !errors.Is(ev.Err, ErrClosed) {
				t.Errorf("StatusClosed event %+v (found %v)", ev, ok)
			}
			if n := len(events.reconnecting()); n != 1 {
				t.Errorf("%d reconnecting events, want 1", n)
			}
			c.mu.Lock()
			calls := c.calls
			c.mu.Unlock()
			if calls != 1 { // the blocked Connect never reaches the pipeConnector
				t.Errorf("pipeConnector.Connect called %d times, want 1", calls)
			}
			waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
		})
	}
}
