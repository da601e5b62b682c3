package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

// nsHints is XEP-0334's namespace: every message and reply carries
// <no-store/> so that Prosody's mod_mam does not archive them.
const nsHints = "urn:xmpp:hints"

// impl is one component library: connect to the component port and echo
// every chat message back to its sender, calling m.answered after each
// reply is handed to the library.
type impl struct {
	key, name, how string
	serve          func(ctx context.Context, env *xmppraw.Env, m *meter) (close func() error, err error)
}

func impls() []impl {
	return []impl{parleyImpl(), gosrcImpl(), melliumImpl()}
}

// meter snapshots the process's CPU time when the warm-up replies are
// done and again after n more, then closes done.
type meter struct {
	warm, n int64
	count   atomic.Int64
	mu      sync.Mutex
	c0, c1  time.Duration
	t0, t1  time.Time
	done    chan struct{}
}

func newMeter(warm, n int) *meter {
	return &meter{warm: int64(warm), n: int64(n), done: make(chan struct{})}
}

func (m *meter) answered() {
	switch k := m.count.Add(1); k {
	case m.warm:
		m.mu.Lock()
		m.c0, m.t0 = cpuTime(), time.Now()
		m.mu.Unlock()
	case m.warm + m.n:
		m.mu.Lock()
		m.c1, m.t1 = cpuTime(), time.Now()
		m.mu.Unlock()
		close(m.done)
	}
}
