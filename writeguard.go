package xmpp

import (
	"context"
	"net"
	"sync"
	"time"
)

// writeGuard bounds the Session's writes without per-write cost: it keeps
// the write deadline it last set on the stream (so a stream of writes does
// not set one each time), and it keeps one watcher on the last ctx a write
// used (so that a blocked write returns when that ctx ends) instead of
// registering and removing one per write.
type writeGuard struct {
	// Guarded by Session.mu (the write path).
	conn     net.Conn        // the transport deadline and watcher are for
	deadline time.Time       // the write deadline set on conn; zero: unknown
	watched  context.Context // the ctx unhook stops watching
	unhook   func() bool
	onDone   func() // Session.interruptWrite, made once

	// Guarded by mu, which the watcher takes without Session.mu: the write
	// in progress.
	mu          sync.Mutex
	active      context.Context // ctx of the write in progress; nil between writes
	activeConn  net.Conn        // the transport it writes to
	interrupted bool            // the watcher set a past deadline on conn
}

// beginWrite prepares one write to st under ctx. s.mu is held.
//
// The deadline is ctx's when it has one. Otherwise a write may block for
// Config.WriteTimeout: the deadline is set again only when less than half
// of that is left (or more than all of it, from an earlier ctx), so each
// write gets between WriteTimeout/2 and WriteTimeout.
func (s *Session) beginWrite(ctx context.Context, st *Stream) {
	w := &s.wguard
	if w.conn != st.Conn {
		s.releaseWriteGuard()
		w.conn = st.Conn
	}
	if d, ok := ctx.Deadline(); ok {
		if !d.Equal(w.deadline) {
			w.deadline = d
			st.Conn.SetWriteDeadline(d)
		}
	} else {
		now := time.Now()
		left := w.deadline.Sub(now)
		if left < s.cfg.WriteTimeout/2 || left > s.cfg.WriteTimeout {
			w.deadline = now.Add(s.cfg.WriteTimeout)
			st.Conn.SetWriteDeadline(w.deadline)
		}
	}
	if ctx.Done() == nil {
		return // context.Background and its like never end
	}
	if w.watched != ctx {
		if w.unhook != nil {
			w.unhook()
		}
		if w.onDone == nil {
			w.onDone = s.interruptWrite
		}
		w.watched = ctx
		w.unhook = context.AfterFunc(ctx, w.onDone)
	}
	w.mu.Lock()
	w.active, w.activeConn = ctx, st.Conn
	w.mu.Unlock()
}

// endWrite ends the write beginWrite prepared. s.mu is held.
func (s *Session) endWrite() {
	w := &s.wguard
	if w.watched == nil {
		return
	}
	w.mu.Lock()
	w.active, w.activeConn = nil, nil
	if w.interrupted {
		w.interrupted = false
		w.deadline = time.Time{} // a past one was set: set it again next time
	}
	w.mu.Unlock()
	if w.watched.Err() != nil { // ended: its watcher has run
		w.watched, w.unhook = nil, nil
	}
}

// interruptWrite runs when the watched ctx ends: a write under that ctx in
// progress returns at once. Other writes are left alone.
func (s *Session) interruptWrite() {
	w := &s.wguard
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.active != nil && w.active.Err() != nil {
		w.activeConn.SetWriteDeadline(time.Unix(1, 0))
		w.interrupted = true
	}
}

// setWriteDeadline sets a deadline for a write outside the write path
// (closing tags, stream errors). s.mu is held.
func (s *Session) setWriteDeadline(st *Stream, d time.Time) {
	st.Conn.SetWriteDeadline(d)
	if s.wguard.conn == st.Conn {
		s.wguard.deadline = d
	}
}

// releaseWriteGuard forgets the stream's deadline and stops watching the
// last ctx (which may live much longer than the Session). s.mu is held.
func (s *Session) releaseWriteGuard() {
	w := &s.wguard
	if w.unhook != nil {
		w.unhook()
	}
	w.watched, w.unhook = nil, nil
	w.conn, w.deadline = nil, time.Time{}
}
