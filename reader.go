package xmpp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"syscall"
	"time"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// errPeerClosed is the cause when the peer ends the stream cleanly.
var errPeerClosed = errors.New("xmpp: peer closed the stream")

// run is the reader goroutine: it reads the current stream until it ends,
// then reconnects (when configured) or ends the Session.
func (s *Session) run(st *Stream) {
	defer s.wg.Done()
	for st != nil {
		cause := s.readStream(st)
		st = s.streamEnded(st, cause)
	}
}

// readStream reads and handles st until it fails or ends; it returns why.
//
// The bytes are read straight into the decoder's buffer (Decoder.Room),
// which the decoder gives back to a shared pool whenever it has consumed
// everything. On a TLS connection the reader waits for the next record in a
// small read into the Session's own peek buffer while nothing is buffered:
// crypto/tls decrypts the whole record into its own buffer, so an idle
// Session holds no decoder buffer at all, and a record that does not fit
// in the peek buffer is read on into Room without another system call. A
// record of one small stanza (most chat traffic) takes one read, not two.
// On other connections a small read would add system calls per stanza, so
// the reader waits in the read into Room, holding the decoder's buffer.
//
// On a TLS socket, a wait that lasts waits on outside crypto/tls, so that
// the reader's stack can shrink while the Session is idle (idlewait.go).
func (s *Session) readStream(st *Stream) error {
	tc, peek := st.Conn.(*tls.Conn)
	var rc syscall.RawConn
	if peek {
		rc = idleWaiter(tc)
	}
	// Whether the next wait is shallow: for the first waits of a stream
	// (a new session often goes quiet after the burst that follows its
	// negotiation) and after a long one.
	shallowFirst, long := shallowWaits, false
	for {
		if err := s.drainDecoder(st); err != nil {
			return err
		}
		s.smFlushAck(st)
		var n int
		var err error
		if peek && st.Decoder.Buffered() == 0 {
			if rc == nil {
				n, err = st.Conn.Read(s.peek[:])
			} else {
				start := time.Now()
				if shallowFirst > 0 || long {
					shallowFirst--
					n, err = shallowRead(tc, rc, s.peek[:])
				} else {
					n, err = st.Conn.Read(s.peek[:])
				}
				long = time.Since(start) >= time.Duration(idleWaitAfter.Load())
			}
			if n > 0 {
				st.Decoder.Feed(s.peek[:n])
			}
		} else {
			n, err = st.Conn.Read(st.Decoder.Room())
			st.Decoder.Commit(n)
		}
		if n > 0 {
			s.recvAt.Store(time.Now().UnixNano())
		}
		if err != nil {
			if derr := s.drainDecoder(st); derr != nil {
				return derr
			}
			return err
		}
	}
}

// drainDecoder handles every event the decoder can produce from what it has.
func (s *Session) drainDecoder(st *Stream) error {
	for {
		ev, err := st.Decoder.Next()
		if err != nil {
			if se, ok := stanza.FromDecodeError(err); ok {
				s.sendStreamError(st, se)
			}
			return err
		}
		switch ev.Kind {
		case xmlstream.EventNone:
			return nil
		case xmlstream.EventStreamEnd:
			s.peerClosed.Store(true)
			return errPeerClosed
		case xmlstream.EventElement:
			if err := s.handleElement(st, ev.Element, s.inline); err != nil {
				return err
			}
		}
	}
}

// handleElement routes one top-level element: stream errors end the stream,
// IQ replies resolve pending requests, the rest goes to the handlers (inline
// when the session is pumped by Process).
func (s *Session) handleElement(st *Stream, e *xmlstream.Element, inline bool) error {
	if e.Name.Space == xmlstream.NSStream && e.Name.Local == "error" {
		se, _ := stanza.StreamErrorFromElement(e)
		return se
	}
	if e.Name.Space == NSSM {
		evs, err := s.handleSM(st, e)
		s.emit(evs)
		if se, ok := err.(stanza.StreamError); ok {
			s.sendStreamError(st, se)
		}
		return err
	}
	if st.Unwrap != nil {
		u, err := st.Unwrap(e)
		if err != nil {
			return err
		}
		if u == nil {
			return nil
		}
		e = u
	}
	if stanza.KindOf(e) != stanza.KindNonza {
		s.smCount()
	}
	if st.Accept != nil && !st.Accept(e) {
		s.trace.Logger().Debug("xmpp: dropping a stanza not addressed to this stream", "stanza", e.Name.Local, "to", e.Get("to"))
		return nil
	}
	if stanza.KindOf(e) == stanza.KindIQ {
		switch e.Get("type") {
		case "result", "error":
			if s.resolve(e) {
				return nil
			}
		}
	}
	if inline {
		s.dispatch(e)
		return nil
	}
	s.enqueue(e)
	return nil
}

// streamEnded tears down st after it ended with cause and returns the next
// stream, or nil when the Session is over.
func (s *Session) streamEnded(st *Stream, cause error) *Stream {
	s.mu.Lock()
	if s.peerClosed.Load() && !s.sentEnd && !s.closing {
		// RFC 6120 §4.4: answer the peer's closing tag with ours, after
		// what still waits to be written. st stays the current stream
		// until then: takeWrites may wait for the flusher's write, which
		// then goes on with what waits behind it (with no current stream
		// it would drop those bytes). sentEnd keeps anything new out.
		s.sentEnd = true
		s.setWriteDeadline(st, time.Now().Add(time.Second))
		b := s.takeWrites(nil)
		b = xmlstream.AppendClose(s.smFinalAck(b))
		s.writeTaken(st, b)
	}
	closing := s.closing
	if s.st == st {
		s.st = nil
	}
	if s.dropCause != nil {
		cause = s.dropCause
		s.dropCause = nil
	}
	s.dropWrites()
	s.sentEnd = false
	if !closing {
		s.state = StateDisconnected
	}
	resume := s.smResumeRequest()
	s.smStop()
	s.releaseWriteGuard()
	s.trace.sm = resume
	s.mu.Unlock()
	st.Conn.Close()
	s.signalClosed()
	if closing {
		s.end(ErrClosed)
		return nil
	}
	if cause == io.EOF {
		cause = io.ErrUnexpectedEOF
	}
	if resume == nil {
		// Without resumption the replies can no longer arrive.
		s.failPending(fmt.Errorf("%w: %w", ErrDisconnected, cause))
	} else if r, ok := s.conn.(Redirector); ok && resume.Location != "" {
		r.Redirect(resume.Location) // XEP-0198 §5: the preferred location
	}
	s.trace.Emit(Event{Status: StatusDisconnected, Err: cause})
	s.trace.Logger().Info("xmpp: stream ended", "cause", cause)
	if s.stayedUp(cause) {
		s.redirects = 0
	}
	next := s.reconnect(cause)
	if next == nil {
		return nil
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		next.Conn.Close()
		s.end(ErrClosed)
		return nil
	}
	s.closedCh = make(chan struct{})
	evs, stale := s.attach(next)
	s.mu.Unlock()
	if stale != nil {
		s.failPendingExcept(fmt.Errorf("%w: stream management resumption failed", ErrDisconnected), stale.keep)
	}
	s.emit(evs)
	return next
}

// reconnect waits and retries per Config.Reconnect; it ends the Session and
// returns nil when it gives up or must not retry. A see-other-host cause,
// from the dropped stream or from a failed attempt, is followed with the
// delay and limit of followRedirect instead of the plain back-off.
func (s *Session) reconnect(cause error) *Stream {
	b := s.cfg.Reconnect
	s.mu.Lock()
	if s.forceReconnect && b == nil {
		b = (&Config{Reconnect: &Backoff{MaxAttempts: 1}}).withDefaults().Reconnect
		b.Min = time.Millisecond
	}
	s.mu.Unlock()
	if b == nil || IsPermanent(cause) {
		s.end(cause)
		return nil
	}
	delay := b.Min
	for attempt := 1; ; attempt++ {
		if b.MaxAttempts > 0 && attempt > b.MaxAttempts {
			s.end(cause)
			return nil
		}
		ev := Event{Status: StatusReconnecting, Attempt: attempt, Delay: jitter(delay), Err: cause}
		if host, ok := seeOtherHost(cause); ok {
			wait, err := s.followRedirect(host, cause, b)
			if err != nil {
				s.end(err)
				return nil
			}
			ev.Delay, ev.Addr = wait, host
		}
		s.trace.Emit(ev)
		if !sleepCtx(s.ctx, ev.Delay) {
			s.end(ErrClosed)
			return nil
		}
		st, err := s.conn.Connect(s.ctx, s.trace)
		if err == nil {
			return st
		}
		if s.ctx.Err() != nil {
			// Close cancelled the attempt: its error is not a cause to
			// report, nor to retry.
			s.end(ErrClosed)
			return nil
		}
		cause = err
		if IsPermanent(err) {
			s.end(err)
			return nil
		}
		delay = min(time.Duration(float64(delay)*b.Factor), b.Max)
	}
}

// jitter spreads d over [d/2, d) so that many clients cut off together do
// not come back together.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// sendStreamError tells the peer why we are ending the stream (RFC 6120
// §4.9.1.1) and closes our side.
func (s *Session) sendStreamError(st *Stream, se stanza.StreamError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != st || s.sentEnd {
		return
	}
	s.sentEnd = true
	s.setWriteDeadline(st, time.Now().Add(time.Second))
	b := s.takeWrites(xmlstream.AppendClose(se.AppendXML(nil)))
	s.writeTaken(st, b)
}
