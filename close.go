package xmpp

import (
	"time"

	"parley.dev/xmpp/xmlstream"
)

// Close ends the Session: it sends the closing stream tag (RFC 6120 §4.4),
// waits up to Config.CloseTimeout for the peer's, closes the transport and
// stops reconnecting. It waits for the reader to stop; Done is closed once a
// handler that is still running has returned. Stanzas still in the outbound
// queue stay there: PurgeQueue returns them. Close is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.state == StateClosed || s.closing {
		s.mu.Unlock()
		s.waitReader()
		return nil
	}
	s.closing = true
	st := s.st
	if st != nil && !s.sentEnd {
		s.sentEnd = true // nothing is appended after the closing tag
		s.setWriteDeadline(st, time.Now().Add(s.cfg.CloseTimeout))
		// The final <a/> is counted once the wait for the flusher is
		// over: the reader may handle more stanzas meanwhile.
		b := s.takeWrites(nil)
		b = xmlstream.AppendClose(s.smFinalAck(b))
		s.writeTaken(st, b)
	}
	closed := s.closedCh
	s.mu.Unlock()

	s.cancel() // stops a reconnect in progress
	if st != nil && !s.cfg.Manual && !s.peerClosed.Load() {
		t := time.NewTimer(s.cfg.CloseTimeout)
		select {
		case <-closed:
		case <-t.C:
		}
		t.Stop()
	}
	if st != nil {
		st.Conn.Close()
	}
	if s.cfg.Manual || st == nil {
		s.end(ErrClosed)
	}
	s.waitReader()
	return nil
}

// waitReader waits for the reader goroutine to finish.
func (s *Session) waitReader() {
	s.wg.Wait()
}

// signalClosed wakes a Close waiting for the peer's closing tag.
func (s *Session) signalClosed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closedCh:
	default:
		close(s.closedCh)
	}
}

// end marks the Session over with err (the first cause wins), fails pending
// requests, stops the dispatcher and reports StatusClosed.
func (s *Session) end(err error) {
	s.mu.Lock()
	if s.state == StateClosed {
		s.mu.Unlock()
		return
	}
	s.state = StateClosed
	if s.err == nil {
		s.err = err
	}
	st := s.st
	s.st = nil
	s.dropWrites()
	final := s.err
	s.releaseWriteGuard()
	s.mu.Unlock()
	if st != nil {
		st.Conn.Close()
	}
	s.cancel()
	s.failPending(final)
	s.trace.Emit(Event{Status: StatusClosed, Err: final})
	s.stopDispatcher()
}
