package integration

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/stanza"
)

// TestNoGoroutineLeftAfterClose counts goroutines before and after two
// sessions per server are used and closed: with a timer running, a request
// still waiting for its reply, a handler blocked in its ctx and reconnection
// enabled. The test is not parallel: while it runs the parallel tests are
// paused, so the count is this test's alone.
func TestNoGoroutineLeftAfterClose(t *testing.T) {
	for _, name := range servers() {
		testenv.Server(t, name) // skip before counting, not in the middle
	}
	before := runtime.NumGoroutine()
	t.Run("sessions", func(t *testing.T) {
		for _, name := range servers() {
			srv := testenv.Server(t, name)
			cfg := &xmpp.Config{Reconnect: &xmpp.Backoff{Min: time.Second}}
			alice, bob := login(t, srv, cfg), login(t, srv, cfg)
			alice.available(t)
			ctx := testCtx(t)

			ticks := make(chan struct{}, 1)
			alice.s.Every(time.Millisecond, func(context.Context) {
				select {
				case ticks <- struct{}{}:
				default:
				}
			})
			<-ticks

			blocked := make(chan struct{})
			bob.s.HandleIQ(stanza.IQGet, nsSleepy, func(ctx context.Context, in *xmpp.Incoming) error {
				close(blocked)
				<-ctx.Done() // released by Close
				return ctx.Err()
			})
			p, err := alice.s.SendIQAsync(ctx, newIQ(stanza.IQGet, bob.s.JID(), nsSleepy, "q"))
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-blocked:
			case <-ctx.Done():
				t.Fatal("bob's handler never ran")
			}
			alice.s.Close()
			if _, err := p.Wait(ctx); err == nil {
				t.Error("a request pending at Close got no error")
			}
			bob.s.Close()
			for _, s := range []*xmpp.Session{alice.s, bob.s} {
				select {
				case <-s.Done():
				case <-ctx.Done():
					t.Fatal("Done not closed after Close")
				}
				if err := s.Err(); !errors.Is(err, xmpp.ErrClosed) {
					t.Errorf("Err after Close = %v, want ErrClosed", err)
				}
			}
		}
	})

	// Goroutines end asynchronously (a timer callback that was already
	// running, the runtime's own): poll until the count is back, and show
	// what is left if it never is.
	deadline := time.Now().Add(testTimeout)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			var ours []string
			for _, g := range strings.Split(string(buf), "\n\n") {
				if strings.Contains(g, "parley.dev/xmpp") && !strings.Contains(g, "testing.(*T).Parallel") {
					ours = append(ours, g)
				}
			}
			t.Fatalf("%d goroutines after Close, %d before; left over:\n%s",
				runtime.NumGoroutine(), before, strings.Join(ours, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
