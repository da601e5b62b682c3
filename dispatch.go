package xmpp

import (
	"context"
	"errors"
	"runtime/debug"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// enqueue hands e to the dispatcher goroutine, starting it if it is idle.
// When Config.DispatchQueue stanzas are waiting, the reader waits here, which
// stops reading from the transport (back-pressure instead of unbounded
// memory). IQ replies never come here: the reader resolves them itself, so a
// handler waiting for a reply is never stuck behind this queue. For that the
// reader must keep reading, so while an IQ request is pending the queue may
// hold up to twice DispatchQueue stanzas (see Config.DispatchQueue).
func (s *Session) enqueue(e *xmlstream.Element) {
	s.dmu.Lock()
	for s.dispatchFull() && s.ctx.Err() == nil {
		s.dwaiting = true
		s.dcond.Wait()
		s.dwaiting = false
	}
	if s.ctx.Err() != nil {
		s.dmu.Unlock()
		return
	}
	s.dq = append(s.dq, e)
	if !s.drunning {
		s.drunning = true
		go s.dispatcher()
	}
	s.dmu.Unlock()
}

// dispatchFull reports whether the reader must wait for the dispatcher
// before queueing another stanza. s.dmu is held.
func (s *Session) dispatchFull() bool {
	n, max := len(s.dq), s.cfg.DispatchQueue
	if n < max {
		return false
	}
	if n >= 2*max {
		return true
	}
	// A request is waiting for its reply, maybe in a handler that holds up
	// the queue: read on, or the reply would never be read.
	s.imu.Lock()
	waiting := len(s.pending) > 0
	s.imu.Unlock()
	return !waiting
}

// wakeReader lets a reader waiting for room in the dispatch queue look
// again: an IQ request became pending.
func (s *Session) wakeReader() {
	s.dmu.Lock()
	if s.dwaiting {
		s.dcond.Broadcast()
	}
	s.dmu.Unlock()
}

// dispatcher runs handlers for queued stanzas, one at a time and in order,
// and exits when the queue is empty: an idle Session has no dispatcher.
func (s *Session) dispatcher() {
	for {
		s.dmu.Lock()
		if len(s.dq) == 0 || s.ctx.Err() != nil {
			s.dq = nil
			s.drunning = false
			over := s.ctx.Err() != nil && s.stateIs(StateClosed)
			s.dcond.Broadcast()
			s.dmu.Unlock()
			if over {
				s.closeDone()
			}
			return
		}
		e := s.dq[0]
		s.dq[0] = nil
		s.dq = s.dq[1:]
		s.dcond.Broadcast()
		s.dmu.Unlock()
		s.dispatch(e)
	}
}

// stopDispatcher drops stanzas still waiting for handlers and closes Done
// once no handler runs.
func (s *Session) stopDispatcher() {
	s.dmu.Lock()
	s.dq = nil
	running := s.drunning
	s.dcond.Broadcast()
	s.dmu.Unlock()
	if !running {
		s.closeDone()
	}
}

func (s *Session) closeDone() {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

func (s *Session) stateIs(st State) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == st
}

// dispatch runs the handler chain for one stanza and answers an IQ get or set
// that no handler took with service-unavailable (RFC 6120 §8.4).
func (s *Session) dispatch(e *xmlstream.Element) {
	in, decodeErr := s.newIncoming(e)
	chain := s.mux.chain(s.chainBuf[:0], in, decodeErr == nil)
	s.chainBuf = chain // dispatch runs on one goroutine at a time
	defer clear(chain)
	handled := false
	for _, h := range chain {
		err := s.call(h, in)
		if err == nil {
			continue
		}
		if errors.Is(err, Handled) {
			handled = true
			break
		}
		var se stanza.Error
		if in.Kind == stanza.KindIQ && errors.As(err, &se) && !in.replied && isRequest(e) {
			in.ReplyError(s.ctx, se)
			handled = true
			break
		}
		s.trace.Logger().Warn("xmpp: handler failed", "err", err, "stanza", e.Name.Local, "id", e.Get("id"))
	}
	if in.Kind != stanza.KindIQ || !isRequest(e) || handled || in.replied {
		return
	}
	cond := stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
	if decodeErr != nil {
		var se stanza.Error
		if errors.As(decodeErr, &se) {
			cond = se
		} else {
			cond = stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest}
		}
	}
	s.replyError(s.ctx, e, cond)
}

func isRequest(e *xmlstream.Element) bool {
	t := e.Get("type")
	return t == "get" || t == "set"
}

// call runs one handler, turning a panic into a logged error so the stream
// survives a faulty handler.
func (s *Session) call(h *entry, in *Incoming) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.trace.Logger().Error("xmpp: handler panicked", "panic", r, "stack", string(debug.Stack()))
			err = errHandlerPanic
		}
	}()
	if h.once {
		if !s.mux.remove(h) {
			return nil // another goroutine's dispatch already ran it
		}
	}
	return h.fn(s.ctx, in)
}

var errHandlerPanic = errors.New("xmpp: handler panicked")

// ErrNotIQ is Incoming.Reply's error for a stanza that is not an IQ.
var ErrNotIQ = errors.New("xmpp: only an IQ can be answered with a result")

// Incoming is what a handler receives: the stanza, raw and typed, and the
// parcel left by the previous handler of the chain.
//
// Exactly one of Message, Presence and IQ is non-nil, by Kind (none for a
// nonza). The typed value is read once per stanza and shared by the
// handlers of its chain; it and Element stay valid after the handler
// returns, so a handler may keep them (or the whole Incoming) for later.
type Incoming struct {
	Session *Session
	// Element is the stanza as received (after any transport envelope was
	// removed). Handlers must not keep it past their return if they modify it.
	Element *xmlstream.Element
	Kind    stanza.Kind
	replied bool
	// The typed stanza: the one of Kind is set, the others are nil.
	Message  *stanza.Message
	Presence *stanza.Presence
	IQ       *stanza.IQ
	// Parcel is whatever the previous handler of the chain stored here
	// (Jabber::Connection's parcel); nil for the first.
	Parcel any
}

// The Incoming of a stanza and its typed value are one allocation.
type (
	incomingMessage struct {
		in Incoming
		v  stanza.Message
	}
	incomingPresence struct {
		in Incoming
		v  stanza.Presence
	}
	incomingIQ struct {
		in Incoming
		v  stanza.IQ
	}
)

// newIncoming returns the Incoming of e with its typed stanza, and the
// error reading the typed stanza gave (a malformed address, say: RFC 6120
// §8.3.3.8); the typed stanza then still holds the header fields that
// could be read, so that the stanza can be answered.
func (s *Session) newIncoming(e *xmlstream.Element) (*Incoming, error) {
	kind := stanza.KindOf(e)
	var in *Incoming
	var err error
	switch kind {
	case stanza.KindMessage:
		x := &incomingMessage{}
		x.v, err = stanza.MessageFromElement(e)
		x.in.Message = &x.v
		in = &x.in
	case stanza.KindPresence:
		x := &incomingPresence{}
		x.v, err = stanza.PresenceFromElement(e)
		x.in.Presence = &x.v
		in = &x.in
	case stanza.KindIQ:
		x := &incomingIQ{}
		x.v, err = stanza.IQFromElement(e)
		x.in.IQ = &x.v
		in = &x.in
	default:
		in = &Incoming{}
	}
	in.Session, in.Element, in.Kind = s, e, kind
	return in, err
}

// Reply answers an IQ get or set with a result carrying payload (which may
// be nil) (RFC 6120 §8.2.3). Only an IQ can be answered so: for another
// stanza Reply sends nothing and returns ErrNotIQ.
func (in *Incoming) Reply(ctx context.Context, payload *xmlstream.Element) error {
	if in.IQ == nil {
		return ErrNotIQ
	}
	in.replied = true
	return in.Session.SendElement(ctx, in.IQ.Result(payload).Element())
}

// ReplyError answers an IQ get or set with an error (RFC 6120 §8.3).
func (in *Incoming) ReplyError(ctx context.Context, e stanza.Error) error {
	in.replied = true
	return in.Session.replyError(ctx, in.Element, e)
}

// replyError sends the error reply to the request element req. Error stanzas
// are never answered (RFC 6120 §8.3.1).
func (s *Session) replyError(ctx context.Context, req *xmlstream.Element, e stanza.Error) error {
	if req.Get("type") == "error" {
		return nil
	}
	reply := xmlstream.New("", req.Name.Local) // in the stream's namespace
	reply.SetAttr("type", "error")
	if id := req.Get("id"); id != "" {
		reply.SetAttr("id", id)
	}
	if from := req.Get("from"); from != "" {
		reply.SetAttr("to", from)
	}
	if to := req.Get("to"); to != "" {
		reply.SetAttr("from", to)
	}
	reply.AppendChild(e.Element())
	return s.SendElement(ctx, reply)
}
