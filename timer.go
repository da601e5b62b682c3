package xmpp

import (
	"context"
	"sync"
	"time"
)

// Every runs f every d until the returned stop is called or the Session ends
// (Jabber::Connection's register_beat). Runs never overlap: the next one is
// scheduled d after the previous returned. f receives a ctx that is
// cancelled when the Session ends. No goroutine exists between runs.
func (s *Session) Every(d time.Duration, f func(ctx context.Context)) (stop func()) {
	var mu sync.Mutex
	stopped := false
	var t *time.Timer
	var tick func()
	tick = func() {
		if s.ctx.Err() != nil {
			return
		}
		f(s.ctx)
		mu.Lock()
		defer mu.Unlock()
		if !stopped && s.ctx.Err() == nil {
			t.Reset(d)
		}
	}
	mu.Lock()
	t = time.AfterFunc(d, tick)
	mu.Unlock()
	unhook := context.AfterFunc(s.ctx, func() { t.Stop() })
	return func() {
		mu.Lock()
		stopped = true
		t.Stop()
		mu.Unlock()
		unhook()
	}
}
