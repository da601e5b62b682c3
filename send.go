package xmpp

import (
	"context"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Stanza is anything that turns into a top-level element: stanza.Message,
// stanza.Presence and stanza.IQ do.
type Stanza interface {
	Element() *xmlstream.Element
}

// Send writes a typed stanza. It may be called from any goroutine, handlers
// included. While the Session is reconnecting the stanza waits in the
// outbound queue (or fails with ErrQueueFull); after the Session ended it
// fails with the error that ended it.
//
// Send returns once the stanza is encoded for the stream; the Session
// writes behind its callers, gathering what several Sends gave it while a
// write is in progress into one write (writer.go). ctx bounds the wait when
// more than 32 KiB already wait to be written; a write the transport does
// not take within Config.WriteTimeout breaks the stream (stream management
// then resends the stanza on resumption). Flush waits until what was sent
// is written; Close writes it before the closing tag. With Config.Manual,
// Send writes in the caller's goroutine and ctx bounds that write.
func (s *Session) Send(ctx context.Context, st Stanza) error {
	// The common stanzas are encoded straight into the write buffer when
	// nothing needs their element: no Outbound hook, no transport
	// envelope. Stream management keeps the bytes written (sentLog).
	var el *xmlstream.Element
	switch v := st.(type) {
	case stanza.Message:
		el = v.El
	case stanza.Presence:
		el = v.El
	case stanza.IQ:
		el = v.El
	default:
		return s.SendElement(ctx, st.Element())
	}
	if cur := s.lockDirect(ctx, el); cur != nil {
		defer s.mu.Unlock()
		b := s.smTakeAck(s.wbuf)
		return s.writeStanza(ctx, cur, st.(xmlAppender).AppendXML(b), len(b))
	}
	return s.SendElement(ctx, st.Element())
}

// xmlAppender is what the stanza types Send encodes directly implement.
type xmlAppender interface {
	AppendXML(dst []byte) []byte
}

// lockDirect locks s.mu and returns the current stream when a stanza whose
// children are in el can be encoded with its own AppendXML, which writes the
// same bytes as encoding its Element for the stream; otherwise it returns
// nil with s.mu unlocked, and the caller takes the element path (which also
// reports every error, a full stream management log included).
func (s *Session) lockDirect(ctx context.Context, el *xmlstream.Element) *Stream {
	if ctx.Err() != nil {
		return nil
	}
	s.mu.Lock()
	if s.roomLocked(ctx) != nil {
		s.mu.Unlock()
		return nil // the element path reports ctx's error
	}
	st := s.st
	switch {
	case st == nil, s.state == StateClosed, s.closing, s.sentEnd, s.outbound != nil, st.Wrap != nil, s.smHolding(),
		s.sm.tracking && s.sm.sent.len() >= s.sm.cfg.MaxUnacked,
		el != nil && el.Name.Space != "" && el.Name.Space != st.Namespace && stanza.IsStanzaNS(el.Name.Space):
		s.mu.Unlock()
		return nil
	}
	return st
}

// SendRaw validates xml as one restricted-XML element (xmlstream.Parse, in
// the stream's content namespace) and sends it. Nothing malformed reaches the
// wire.
func (s *Session) SendRaw(ctx context.Context, xml string) error {
	e, err := xmlstream.Parse([]byte(xml), s.contentNS(), nil)
	if err != nil {
		return err
	}
	return s.SendElement(ctx, e)
}

// contentNS returns the content namespace of the current or last stream.
func (s *Session) contentNS() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil && s.st.Namespace != "" {
		return s.st.Namespace
	}
	if s.ns != "" {
		return s.ns
	}
	return "jabber:client"
}

// SendElement writes e as a top-level element, with the queueing rules of
// Send. The Session does not modify e; the caller must not modify it until
// SendElement returns (or, when it was queued, until it is sent).
func (s *Session) SendElement(ctx context.Context, e *xmlstream.Element) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.roomLocked(ctx); err != nil {
		return err
	}
	if s.outbound != nil {
		var err error
		if e, err = s.outbound(e); err != nil {
			return err
		}
	}
	switch {
	case s.state == StateClosed || s.closing:
		if s.err != nil {
			return s.err
		}
		return ErrClosed
	// After our closing tag (a stream error we sent), the stream is as good
	// as gone: nothing more is written to it.
	case (s.st == nil || s.sentEnd) && s.cfg.Reconnect == nil && !s.forceReconnect:
		return ErrNotConnected
	case s.st == nil, s.sentEnd, s.smHolding() && stanza.KindOf(e) != stanza.KindNonza:
		if len(s.queue) >= s.cfg.QueueSize {
			return ErrQueueFull
		}
		s.queue = append(s.queue, e)
		return nil
	}
	return s.writeLocked(ctx, s.st, e)
}

// writeLocked encodes e for st and writes it. s.mu is held. A write that
// fails or times out breaks the stream (a partial element cannot be taken
// back): the transport is closed and the reader takes it from there.
func (s *Session) writeLocked(ctx context.Context, st *Stream, e *xmlstream.Element) error {
	if stanza.KindOf(e) == stanza.KindNonza {
		b := s.smTakeAck(s.wbuf) // a pending <a/> rides along (XEP-0198 §4)
		if st.Wrap != nil {
			b = st.Wrap(b, e)
		} else {
			b = xmlstream.AppendElement(b, e, st.Namespace)
		}
		return s.writeEncoded(ctx, st, b)
	}
	if s.sm.tracking && s.sm.sent.len() >= s.sm.cfg.MaxUnacked {
		return ErrQueueFull
	}
	b := s.smTakeAck(s.wbuf)
	if st.Wrap == nil {
		start := len(b)
		return s.writeStanza(ctx, st, xmlstream.AppendElement(b, e, st.Namespace), start)
	}
	// In an envelope: the log keeps the stanza itself, encoded apart.
	if s.sm.tracking {
		s.nbuf = xmlstream.AppendElement(s.nbuf[:0], e, st.Namespace)
		s.sm.sent.add(s.nbuf)
	}
	return s.writeTracked(ctx, st, st.Wrap(b, e))
}

// writeStanza writes b, which holds one stanza from b[start:] (after a
// piggybacked <a/>, if any). With stream management on, the stanza's bytes
// are kept until acknowledged. s.mu is held.
func (s *Session) writeStanza(ctx context.Context, st *Stream, b []byte, start int) error {
	if s.sm.tracking {
		s.sm.sent.add(b[start:])
	}
	return s.writeTracked(ctx, st, b)
}

// writeTracked writes b, whose stanza is already in the log when stream
// management is on, with an ack request appended when one is due. s.mu is
// held.
func (s *Session) writeTracked(ctx context.Context, st *Stream, b []byte) error {
	tracked := s.sm.tracking
	request := tracked && s.smWantsRequest()
	if request {
		b = append(b, "<r xmlns='"+NSSM+"'/>"...) // one write, one TLS record
	}
	err := s.writeEncoded(ctx, st, b)
	if tracked {
		// Kept until acknowledged: after a failed write it is resent on
		// resumption or handed back, so the caller's send succeeded.
		s.smSent(st, request)
		return nil
	}
	return err
}

// resendLocked writes again a stanza kept from the stream that was resumed
// (raw, encoded for the content namespace ns). s.mu is held.
func (s *Session) resendLocked(st *Stream, raw []byte, ns string) {
	if st.Wrap == nil && ns == st.Namespace {
		b := s.smTakeAck(s.wbuf)
		start := len(b)
		s.writeStanza(s.ctx, st, append(b, raw...), start)
		return
	}
	e, err := xmlstream.Parse(raw, ns, &unlimited)
	if err != nil {
		s.trace.Logger().Error("xmpp: a kept stanza does not parse; not resent", "err", err)
		return
	}
	s.writeLocked(s.ctx, st, e)
}

// writeEncoded makes b, s.wbuf with elements for st appended, leave
// (writer.go). s.mu is held.
func (s *Session) writeEncoded(ctx context.Context, st *Stream, b []byte) error {
	s.wbuf = b
	return s.queueWrite(ctx, st)
}

// PurgeQueue removes and returns the stanzas waiting for a stream
// (POE::Component::Jabber's purge_queue). After the Session ended it returns
// what was never sent, so nothing is lost silently.
func (s *Session) PurgeQueue() []*xmlstream.Element {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// Queued returns how many stanzas wait for a stream (or, on a new stream,
// for the server's answer to the stream management request).
func (s *Session) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}
