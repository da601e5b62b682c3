package xmpp

import (
	"context"
	"errors"
	"sync"
)

// The Session writes behind its callers. Send encodes a stanza into
// Session.wbuf and returns; a flusher goroutine, which exists only while
// bytes wait, writes everything that gathered since its last write in one
// write (one TLS record, one system call). A caller sending faster than the
// transport takes the bytes, or many callers at once, thus share writes
// instead of paying one each: on loopback the kernel's delivery of a write
// costs about as much as a TLS client's own work per message (issue 4 §7,
// docs/PERFORMANCE.md), and a burst of 32 messages left in about one write
// instead of 32.
//
// Order is kept because every write takes the bytes in the order they
// were appended, and only one write runs at a time: the flusher's, or a
// synchronous one (the closing tag, a stream error, manual mode), which
// first waits for the flusher's write to end and then writes what waits
// ahead of its own bytes.
//
// A write that fails breaks the stream, as before; the reader then ends
// it. A Send that returned nil before that has handed its stanza to the
// stream: with stream management (XEP-0198) the stanza is kept until the
// server acknowledges it and is resent on resumption; without it, like
// the bytes in the kernel's socket buffer, it may be lost with the stream.

// writeBehindLimit bounds the bytes waiting for the flusher: past it, Send
// waits (as long as its ctx allows) until the flusher took them, so a
// transport that does not keep up slows the senders down instead of
// growing the buffer.
const writeBehindLimit = 32 << 10

// keepWriteBuf is the largest write buffer kept for the next burst; a
// larger one, left by a big stanza, is dropped after its write so an idle
// session does not keep it.
const keepWriteBuf = 64 << 10

// writer is the write-behind state, made at the first write. Guarded by
// Session.mu.
type writer struct {
	spare   []byte    // the buffer not in use, swapped with Session.wbuf by the flusher
	running bool      // a flusher goroutine exists
	busy    bool      // the flusher is writing bytes it took from Session.wbuf
	cond    sync.Cond // L is &Session.mu; broadcast when busy ends and when wbuf is taken

	// For Flush: bytes taken from wbuf and bytes done with (written, or
	// lost with their stream), counted since the Session began; the last
	// loss and the done counts around the bytes it lost.
	taken, done      uint64
	lost             error
	lostFrom, lostTo uint64
}

func (s *Session) writerLocked() *writer {
	if s.w == nil {
		s.w = &writer{}
		s.w.cond.L = &s.mu
	}
	return s.w
}

// queueWrite makes the bytes in s.wbuf, whole elements for st, leave: by
// the flusher, or at once under ctx in manual mode (which starts no
// goroutine). s.mu is held.
func (s *Session) queueWrite(ctx context.Context, st *Stream) error {
	if s.cfg.Manual {
		b := s.takeWrites(nil)
		s.beginWrite(ctx, st)
		err := s.writeTaken(st, b)
		s.endWrite()
		if err != nil {
			st.Conn.Close()
		}
		return err
	}
	w := s.writerLocked()
	if !w.running {
		w.running = true
		s.wg.Add(1)
		go s.flush()
	}
	return nil
}

// flush is the flusher goroutine: it writes what gathered in s.wbuf until
// nothing is left.
func (s *Session) flush() {
	defer s.wg.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.w
	for len(s.wbuf) > 0 && s.st != nil {
		st := s.st
		b := s.wbuf
		s.wbuf, w.spare = w.spare[:0], nil
		w.taken += uint64(len(b))
		w.busy = true
		w.cond.Broadcast() // room for waiting senders
		// Background: the write is bounded by Config.WriteTimeout, not by
		// the ctx of whichever Send appended first. Once our closing tag
		// waits behind it (sentEnd), the deadline its writer set (Close's
		// CloseTimeout, a second for a stream error) bounds it instead:
		// beginWrite would move it to WriteTimeout.
		if !s.sentEnd {
			s.beginWrite(context.Background(), st)
		}
		s.mu.Unlock()
		_, err := st.Conn.Write(b)
		s.mu.Lock()
		if err != nil {
			// The stream breaks: the reader ends it, with this cause.
			if s.st == st && s.dropCause == nil {
				s.dropCause = err
			}
			st.Conn.Close()
			w.lose(err, len(b))
		} else {
			w.done += uint64(len(b))
		}
		w.busy = false
		w.cond.Broadcast()
		if cap(b) <= keepWriteBuf {
			w.spare = b[:0]
		}
	}
	// Bytes left without a stream belonged to one that ended: lost with
	// it, which Flush must hear of.
	s.dropWrites()
	w.running = false
	w.cond.Broadcast()
}

// takeWrites waits until no flusher write is in progress and returns the
// bytes waiting in s.wbuf followed by tail, for the caller to write at
// once (with writeTaken). s.mu is held; it is released while waiting, so the
// caller checks the Session's state afterwards.
func (s *Session) takeWrites(tail []byte) []byte {
	if w := s.w; w != nil {
		for w.busy {
			w.cond.Wait()
		}
	}
	b := append(s.wbuf, tail...)
	s.wbuf = nil
	return b
}

// writeTaken writes b, which takeWrites returned, to st at once and gives
// the buffer back; Flush hears of a failure. s.mu is held.
func (s *Session) writeTaken(st *Stream, b []byte) error {
	_, err := st.Conn.Write(b)
	if s.wbuf == nil && cap(b) <= keepWriteBuf {
		s.wbuf = b[:0]
	}
	if w := s.w; w != nil {
		w.taken += uint64(len(b))
		if err != nil {
			w.lose(err, len(b))
		} else {
			w.done += uint64(len(b))
		}
		w.cond.Broadcast()
	}
	return err
}

// errStreamGone is what Flush reports for bytes whose stream ended before
// they were written.
var errStreamGone = errors.New("xmpp: the stream ended before everything sent was written")

// dropWrites forgets the bytes waiting for a stream that ended. s.mu is
// held.
func (s *Session) dropWrites() {
	if w := s.w; w != nil {
		if n := len(s.wbuf); n > 0 {
			w.taken += uint64(n)
			w.lose(errStreamGone, n)
		}
		w.cond.Broadcast()
	}
	s.wbuf = s.wbuf[:0]
}

// lose counts n bytes taken as done but lost with err; losses that follow
// one another make one (the first error stays).
func (w *writer) lose(err error, n int) {
	if w.lost == nil || w.lostTo != w.done {
		w.lost, w.lostFrom = err, w.done
	}
	w.done += uint64(n)
	w.lostTo = w.done
}

// Flush waits until everything the Session was given to send before the
// call has been written to the transport, or ctx ends: for a program that
// must know its stanzas left (before it exits without Close, say). Written
// is not received: an IQ round trip, or stream management's
// acknowledgements (XEP-0198), tell that. Flush returns the write's error
// when a write of those bytes failed or their stream ended first, and does
// not wait for stanzas queued while the Session reconnects.
func (s *Session) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.w
	if w == nil {
		return nil // nothing was ever written behind a caller
	}
	from, target := w.done, w.taken+uint64(len(s.wbuf))
	var lost error
	check := func() { // some of these bytes were lost
		if w.lost != nil && w.lostFrom < target && w.lostTo > from {
			lost = w.lost
		}
	}
	if w.done < target {
		stop := context.AfterFunc(ctx, func() {
			s.mu.Lock()
			w.cond.Broadcast()
			s.mu.Unlock()
		})
		defer stop()
		for w.done < target {
			if err := ctx.Err(); err != nil {
				return err
			}
			w.cond.Wait()
			check()
		}
	}
	check()
	return lost
}

// roomLocked waits, while ctx allows, until the bytes waiting for the
// flusher are under writeBehindLimit. s.mu is held; it is released while
// waiting, so the caller checks the Session's state afterwards.
func (s *Session) roomLocked(ctx context.Context) error {
	w := s.w
	if w == nil || !w.running || len(s.wbuf) < writeBehindLimit {
		return nil
	}
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		w.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	for w.running && len(s.wbuf) >= writeBehindLimit {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.cond.Wait()
	}
	return nil
}
