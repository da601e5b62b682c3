package xmpp

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Stream management in the Session (XEP-0198). Everything here runs with
// s.mu held; events are returned to the caller to emit after unlocking.

// smStart runs when a new stream is attached, before the queue is flushed:
// it completes a resumption (ack what the server handled, resend the exact
// unacknowledged tail once, in order) or, when resumption failed, hands the
// unacknowledged stanzas back to the application; then it enables stream
// management on a fresh session when the server offers it.
func (s *Session) smStart(st *Stream) (evs []Event, failPending bool) {
	sm := &s.sm
	had := sm.existed || sm.sent.len() > 0 || st.SM != nil
	if st.SM != nil && st.SM.Resumed {
		s.smAck(st.SM.H, true)
		tail := sm.sent.take()
		// The server counted H stanzas on the old stream (§5): the tail
		// resent now follows that count, whatever the last <a/> said.
		sm.outH = st.SM.H
		sm.sent.ns = st.Namespace
		sm.sinceReq = 0
		sm.reqAt = time.Time{}
		sm.tracking, sm.enabled, sm.existed = true, true, false
		sm.stats.Resumptions++
		for i := range tail.len() {
			s.resendLocked(st, tail.item(i), tail.ns)
		}
		s.smRequest(st)
		evs = append(evs, Event{Status: StatusResumed, JID: st.JID, StreamID: sm.id})
		return evs, false
	}
	if had {
		if st.SM != nil && st.SM.HasH {
			s.smAck(st.SM.H, true)
		}
		if st.SM != nil {
			sm.stats.Failed++
		}
		n := sm.sent.len()
		kept, err := sm.sent.elements(sm.sent.ns)
		if err != nil {
			s.trace.Logger().Error("xmpp: stanzas kept for stream management could not be handed back", "err", err)
		}
		sm.handback = append(sm.handback, kept...)
		cause := ErrNotResumable
		if st.SM != nil && st.SM.Failed != nil {
			cause = st.SM.Failed
		}
		evs = append(evs, Event{Status: StatusResumeFailed, Err: cause, Unacked: n})
		failPending = sm.resumable
	}
	cfg := sm.cfg
	*sm = smState{cfg: cfg, handback: sm.handback, stats: sm.stats}
	if cfg.Disable || st.Features == nil || st.Features.Child(NSSM, "sm") == nil {
		return evs, failPending
	}
	enable := xmlstream.New(NSSM, "enable")
	if !cfg.NoResume {
		enable.SetAttr("resume", "true")
	}
	if err := s.writeNonza(st, enable); err == nil {
		sm.tracking = true // the server counts what follows <enable/>
		sm.sent.ns = st.Namespace
		// The answer is due like an ack's (AckTimeout): until it comes,
		// stanzas wait in the queue (smHolding).
		sm.reqAt = time.Now()
		s.smArmAt(st, sm.reqAt)
	}
	return evs, failPending
}

// smHolding reports whether stanzas must wait for the server's answer to
// <enable/>. A stanza written before <enabled/> arrives would be counted by
// the server, but if the stream broke first the client would have no
// session to resume (no id): the stanza could neither be resent safely nor
// known to be lost, and handing it back to the application would deliver
// it twice when the server had in fact routed it. Held in the queue, it is
// written after <enabled/> (or <failed/>), or on the next stream. s.mu is
// held.
func (s *Session) smHolding() bool {
	return s.sm.tracking && !s.sm.enabled
}

// handleSM processes a stream management nonza from the server.
func (s *Session) handleSM(st *Stream, e *xmlstream.Element) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm := &s.sm
	switch e.Name.Local {
	case "enabled":
		if !sm.tracking || sm.enabled {
			return nil, smStreamError(stanza.StreamUnsupportedStanzaType, "unexpected <enabled/>")
		}
		sm.enabled = true
		sm.inH = 0
		sm.id = strings.Clone(e.Get("id")) // not the whole <enabled/>: it stays while the session lives
		r := e.Get("resume")
		sm.resumable = (r == "true" || r == "1") && sm.id != ""
		sm.location = strings.Clone(e.Get("location"))
		sm.reqAt = time.Time{} // <enable/> answered
		s.flushQueue(st)
		s.smArm(st)
		return []Event{{Status: StatusSMEnabled, StreamID: sm.id}}, nil
	case "failed":
		// The answer to <enable/>: no stream management on this stream.
		// What was sent meanwhile went out normally.
		if sm.tracking && !sm.enabled {
			sm.tracking = false
			sm.reqAt = time.Time{}
			sm.sent.reset()
			s.flushQueue(st) // held for the answer: they go out untracked
			return nil, nil
		}
		return nil, smStreamError(stanza.StreamUnsupportedStanzaType, "unexpected <failed/>")
	case "r":
		if !sm.enabled {
			return nil, smStreamError(stanza.StreamUnsupportedStanzaType, "<r/> before stream management was enabled")
		}
		// XEP-0198 §4 asks for an answer, not an immediate one: the <a/>
		// rides on the next write, or goes alone at ackAt (smCheck); with
		// a negative AckDelay, at the end of the read batch (smFlushAck).
		// Either way one <a/> answers every <r/> that came before it.
		if !sm.ackDue {
			sm.ackDue = true
			if sm.cfg.AckDelay > 0 {
				sm.ackAt = time.Now().Add(sm.cfg.AckDelay)
				s.smArm(st)
			}
		}
		return nil, nil
	case "a":
		if !sm.enabled {
			return nil, smStreamError(stanza.StreamUnsupportedStanzaType, "<a/> before stream management was enabled")
		}
		h, err := strconv.ParseUint(e.Get("h"), 10, 32)
		if err != nil {
			return nil, smStreamError(stanza.StreamInvalidXML, fmt.Sprintf("<a/> with an invalid h %q", e.Get("h")))
		}
		if !s.smAck(uint32(h), false) {
			se := smStreamError(stanza.StreamUndefinedCondition, "handled count too high")
			se.App = xmlstream.New(NSSM, "handled-count-too-high").
				SetAttr("h", strconv.FormatUint(h, 10)).
				SetAttr("send-count", strconv.FormatUint(uint64(sm.outH), 10))
			return nil, se
		}
		sm.reqAt = time.Time{}
		s.smArm(st)
		return nil, nil
	}
	return nil, nil
}

func smStreamError(c stanza.StreamCondition, text string) stanza.StreamError {
	return stanza.StreamError{Condition: c, Text: text}
}

// smAck drops the stanzas the server's h acknowledges. It reports false,
// changing nothing, when h acknowledges more than was sent (XEP-0198 §4,
// handled-count-too-high) or less than was acknowledged before. lenient
// (the h of <resumed/> or <failed/>, §5) takes what it can instead: an h
// too high acknowledges everything kept, and an h below an earlier one
// acknowledges nothing, so that what is kept is resent or handed back
// rather than dropped unseen.
func (s *Session) smAck(h uint32, lenient bool) bool {
	sm := &s.sm
	kept := uint32(sm.sent.len())
	base := sm.outH - kept // h of the oldest kept stanza
	n := h - base          // modulo 2^32 (§4: counters wrap)
	if n > kept {
		if !lenient {
			return false
		}
		n = kept
		if int32(h-base) < 0 { // behind: more than 2^31 back is read as behind, not ahead
			n = 0
		}
	}
	sm.sent.drop(int(n))
	sm.stats.Acked += uint64(n)
	return true
}

// smSent counts a stanza written on a tracked stream, whose bytes the
// caller added to sm.sent; requested tells that an <r/> went out in the
// same write.
func (s *Session) smSent(st *Stream, requested bool) {
	sm := &s.sm
	sm.outH++
	sm.stats.Sent++
	sm.sinceReq++
	sm.lastSend = time.Now()
	if requested {
		sm.reqAt = sm.lastSend
		sm.sinceReq = 0
	}
	s.smArmAt(st, sm.lastSend)
}

// smRequest sends <r/> unless one is outstanding.
func (s *Session) smRequest(st *Stream) {
	sm := &s.sm
	if !sm.enabled || !sm.reqAt.IsZero() {
		return
	}
	if s.writeNonza(st, xmlstream.New(NSSM, "r")) == nil {
		sm.reqAt = time.Now()
		sm.sinceReq = 0
	}
}

// smArm schedules the next ack check: an unanswered <r/>, stanzas waiting
// for an ack, or a silent server.
func (s *Session) smArm(st *Stream) {
	s.smArmAt(st, time.Now())
}

// smArmAt is smArm when the caller has just read the clock.
func (s *Session) smArmAt(st *Stream, now time.Time) {
	sm := &s.sm
	if !sm.tracking || s.st != st {
		return
	}
	next := now.Add(sm.cfg.KeepAlive)
	if last := s.lastRecv(); !last.IsZero() {
		next = last.Add(sm.cfg.KeepAlive)
	}
	if !sm.reqAt.IsZero() {
		next = minTime(next, sm.reqAt.Add(sm.cfg.AckTimeout))
	} else if sm.sent.len() > 0 {
		next = minTime(next, sm.lastSend.Add(sm.cfg.AckAfter))
	}
	if sm.ackDue && !sm.ackAt.IsZero() {
		next = minTime(next, sm.ackAt)
	}
	d := max(next.Sub(now), time.Millisecond)
	if sm.timer != nil && sm.timerFor == st {
		// One timer per stream: move it only when the next check is due
		// sooner than the one scheduled (which re-arms when it fires).
		if !sm.timerAt.IsZero() && !next.Before(sm.timerAt) {
			return
		}
		sm.timer.Reset(d)
		sm.timerAt = next
		return
	}
	if sm.timer != nil {
		sm.timer.Stop()
	}
	sm.timer = time.AfterFunc(d, func() { s.smCheck(st) })
	sm.timerFor, sm.timerAt = st, next
}

// smCheck runs on the timer: it writes a delayed <a/> that nothing carried,
// declares the link dead when an <r/> went unanswered for AckTimeout, and
// otherwise requests an ack when one is due.
func (s *Session) smCheck(st *Stream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm := &s.sm
	if s.st != st || !sm.tracking {
		return
	}
	sm.timerAt = time.Time{} // fired: the next smArm schedules afresh
	now := time.Now()
	if sm.ackDue && !sm.ackAt.IsZero() && !now.Before(sm.ackAt) {
		s.smWriteAck(st)
	}
	if !sm.reqAt.IsZero() {
		if now.Sub(sm.reqAt) >= sm.cfg.AckTimeout {
			if s.dropCause == nil {
				s.dropCause = ErrLinkDead
			}
			st.Conn.Close()
			return
		}
	} else if sm.sent.len() > 0 && now.Sub(sm.lastSend) >= sm.cfg.AckAfter {
		s.smRequest(st)
	} else if now.Sub(s.lastRecv()) >= sm.cfg.KeepAlive {
		s.smRequest(st)
	}
	s.smArm(st)
}

// smFlushAck answers the ack requests of the batch just handled when
// AckDelay is negative (answer at once); otherwise the answer waits.
func (s *Session) smFlushAck(st *Stream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.sm.ackDue || s.sm.cfg.AckDelay >= 0 || s.st != st {
		return
	}
	s.smWriteAck(st)
}

// smWriteAck writes the <a/> now (XEP-0198 §4). s.mu is held.
func (s *Session) smWriteAck(st *Stream) {
	s.sm.ackDue, s.sm.ackAt = false, time.Time{}
	if s.writable(st) {
		s.wbuf = s.smAppendAck(s.wbuf)
		s.queueWrite(context.Background(), st)
	}
}

// smAppendAck appends <a h='…'/> with the current inbound count (XEP-0198
// §4) to b. s.mu is held.
func (s *Session) smAppendAck(b []byte) []byte {
	b = append(b, "<a xmlns='"+NSSM+"' h='"...)
	b = strconv.AppendUint(b, uint64(s.sm.inH), 10)
	return append(b, "'/>"...)
}

// smTakeAck appends the pending <a/>, if any, to b: the answer rides in a
// write that happens anyway. s.mu is held.
func (s *Session) smTakeAck(b []byte) []byte {
	if !s.sm.ackDue {
		return b
	}
	s.sm.ackDue, s.sm.ackAt = false, time.Time{}
	return s.smAppendAck(b)
}

// smWantsRequest reports whether the stanza about to be written should
// carry an ack request in the same write (AckEvery reached).
func (s *Session) smWantsRequest() bool {
	sm := &s.sm
	return sm.enabled && sm.reqAt.IsZero() && sm.sinceReq+1 >= sm.cfg.AckEvery
}

// smFinalAck appends to b, for a clean close, an <a/> telling the server
// how many stanzas were handled (XEP-0198 §4: an <a/> may be sent at any
// time), so that it does not treat them as undelivered and send them
// again, as offline messages or to another resource. s.mu is held.
func (s *Session) smFinalAck(b []byte) []byte {
	if !s.sm.enabled {
		return b
	}
	s.sm.ackDue, s.sm.ackAt = false, time.Time{}
	return s.smAppendAck(b)
}

// smStop stops the timer when a stream ends.
func (s *Session) smStop() {
	if s.sm.timer != nil {
		s.sm.timer.Stop()
		s.sm.timer = nil
	}
	s.sm.existed = s.sm.existed || s.sm.enabled
	s.sm.enabled = false
	s.sm.ackDue, s.sm.ackAt = false, time.Time{} // the next stream's server asks again
	s.sm.tracking = false
}

// smResumeRequest returns what to ask the next Connect to resume, or nil.
func (s *Session) smResumeRequest() *SMRequest {
	if !s.sm.resumable || s.sm.id == "" {
		return nil
	}
	return &SMRequest{PrevID: s.sm.id, H: s.sm.inH, Location: s.sm.location}
}

// smCount counts one inbound stanza as handled.
func (s *Session) smCount() {
	s.mu.Lock()
	if s.sm.enabled {
		s.sm.inH++
	}
	s.mu.Unlock()
}

// writeNonza writes a stream-level element (not counted, not kept), with a
// pending <a/> in front of it. s.mu is held.
func (s *Session) writeNonza(st *Stream, e *xmlstream.Element) error {
	if !s.writable(st) {
		return net.ErrClosed
	}
	b := s.smTakeAck(s.wbuf)
	s.wbuf = xmlstream.AppendElement(b, e, st.Namespace)
	return s.queueWrite(context.Background(), st)
}

// writable reports whether elements may still be written to st: it is the
// current stream and our closing tag has not been written. s.mu is held.
func (s *Session) writable(st *Stream) bool {
	return s.st == st && !s.sentEnd
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
