package xmpp

import (
	"context"
	"errors"
	"net"
	"os"
	"time"
)

// Progress is what one Process call achieved (Net::XMPP's Process returns
// 1, 0 or undef for the same three cases).
type Progress uint8

const (
	NoData Progress = iota // nothing arrived before ctx ended
	Data                   // data arrived and was handled
	Closed                 // the stream or the Session is over
)

// Process reads what the transport has, within ctx, and handles it; for
// sessions created with Config.Manual, whose owner pumps them from its own
// loop (a GUI, a game loop). Handlers run inside Process. A ctx without
// deadline waits until data arrives. In manual mode a dropped stream is not
// reconnected: Process returns Closed with the cause, and Err tells it too.
func (s *Session) Process(ctx context.Context) (Progress, error) {
	if !s.cfg.Manual {
		return Closed, errors.New("xmpp: Process needs Config.Manual")
	}
	s.mu.Lock()
	st := s.st
	s.mu.Unlock()
	if st == nil {
		return Closed, s.Err()
	}
	if err := s.drainInline(st); err != nil {
		return s.processEnd(st, err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Time{}
	}
	st.Conn.SetReadDeadline(deadline)
	stop := interruptOn(ctx, st.Conn.SetReadDeadline)
	n, err := st.Conn.Read(st.Decoder.Room())
	st.Decoder.Commit(n)
	stop()
	if n > 0 {
		if derr := s.drainInline(st); derr != nil {
			return s.processEnd(st, derr)
		}
		s.smFlushAck(st)
	}
	if err != nil {
		var ne net.Error
		if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			if n > 0 {
				return Data, nil
			}
			return NoData, nil
		}
		return s.processEnd(st, err)
	}
	return Data, nil
}

// drainInline is drainDecoder with handlers run in the caller's goroutine.
func (s *Session) drainInline(st *Stream) error {
	s.inline = true
	defer func() { s.inline = false }()
	return s.drainDecoder(st)
}

func (s *Session) processEnd(st *Stream, cause error) (Progress, error) {
	s.mu.Lock()
	closing := s.closing
	if s.st == st {
		s.st = nil
		s.dropWrites()
	}
	s.mu.Unlock()
	st.Conn.Close()
	if closing {
		cause = ErrClosed
	}
	s.trace.Emit(Event{Status: StatusDisconnected, Err: cause})
	s.end(cause)
	return Closed, cause
}
