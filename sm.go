package xmpp

import (
	"errors"
	"time"

	"parley.dev/xmpp/xmlstream"
)

// NSSM is the stream management namespace (XEP-0198 §2).
const NSSM = "urn:xmpp:sm:3"

// StreamManagement tunes XEP-0198 stream management. A nil pointer in
// Config means every default: stream management is enabled, with
// resumption, whenever the server offers urn:xmpp:sm:3.
//
// Between <enable/> and the server's answer (§3) stanzas wait in the
// outbound queue (Session.Queued counts them): one written in that window
// and lost with the stream could be neither resumed (no id yet) nor known
// to be undelivered. They are written after <enabled/>, untracked after
// <failed/>, or on the next stream; an answer missing for AckTimeout is a
// dead link, like an unanswered <r/>.
type StreamManagement struct {
	// Disable turns stream management off. Default false.
	Disable bool
	// NoResume asks for acks only, without resumption (XEP-0198 §3).
	// Default false: resumption is requested.
	NoResume bool
	// AckEvery requests an ack (<r/>) after this many unacknowledged
	// stanzas. Default 5.
	AckEvery int
	// AckAfter requests an ack when stanzas have been waiting this long
	// without one. Default 1 s.
	AckAfter time.Duration
	// AckTimeout is how long an <r/> may go unanswered before the link is
	// declared dead, closed and resumed (XEP-0198 §4 and §5). Default 20 s.
	AckTimeout time.Duration
	// KeepAlive sends an <r/> after this much silence from the server, so a
	// half-open TCP connection is found within KeepAlive + AckTimeout.
	// Default 60 s.
	KeepAlive time.Duration
	// MaxUnacked bounds the stanzas kept until acknowledged; sending more
	// fails with ErrQueueFull. Default 10000.
	MaxUnacked int
	// AckDelay is how long the answer (<a/>) to the server's ack request
	// (<r/>) may wait. XEP-0198 §4 requires an answer, not an immediate
	// one: a pending answer rides in the same write as the next outgoing
	// stanza or <r/>, and is written on its own only when nothing is sent
	// within AckDelay. Servers such as Prosody send no new <r/> while one
	// is unanswered, so under a stream of inbound stanzas one <a/> answers
	// for many of them instead of one write per stanza. The <a/> carries
	// the count at the time it is written (§4: h is the last handled
	// stanza). Default 10 ms; a negative value answers at once, at the end
	// of each read batch.
	AckDelay time.Duration
}

// defaultAckDelay is StreamManagement.AckDelay's default: far below any
// server's ack timeout, long enough to cover many inbound stanzas.
const defaultAckDelay = 10 * time.Millisecond

func (c *StreamManagement) withDefaults() StreamManagement {
	var out StreamManagement
	if c != nil {
		out = *c
	}
	if out.AckEvery <= 0 {
		out.AckEvery = 5
	}
	if out.AckAfter <= 0 {
		out.AckAfter = time.Second
	}
	if out.AckTimeout <= 0 {
		out.AckTimeout = 20 * time.Second
	}
	if out.KeepAlive <= 0 {
		out.KeepAlive = 60 * time.Second
	}
	if out.MaxUnacked <= 0 {
		out.MaxUnacked = 10000
	}
	if out.AckDelay == 0 {
		out.AckDelay = defaultAckDelay
	}
	return out
}

// ErrLinkDead is the cause when an ack request went unanswered for
// StreamManagement.AckTimeout.
var ErrLinkDead = errors.New("xmpp: no answer to an ack request: link dead")

// SMRequest is what the Session asks a Connector to do about stream
// management on the next connection: resume PrevID (XEP-0198 §5) instead
// of binding a new resource. A Connector gets it from Trace.StreamManagement.
type SMRequest struct {
	PrevID   string
	H        uint32 // stanzas handled from the previous stream
	Location string // preferred host:port from <enabled location/>, or ""
}

// SMResult is what a Connector reports in Stream.SM about a resumption it
// attempted.
type SMResult struct {
	// Resumed is true when the server answered <resumed/>: the stream
	// continues the previous session, no resource was bound.
	Resumed bool
	// H is the server's count of stanzas it handled (from <resumed/> or
	// <failed/>); HasH tells whether <failed/> carried one.
	H    uint32
	HasH bool
	// Failed is the reason resumption failed (the <failed/> condition).
	Failed error
}

// SMStats are stream management counters for monitoring.
type SMStats struct {
	Enabled     bool   // acks are running on the current stream
	Resumable   bool   // the server agreed to resumption
	ID          string // the resumption id
	Sent        uint64 // stanzas sent while tracked, over the Session's life
	Acked       uint64 // stanzas the server acknowledged
	Pending     int    // sent but not yet acknowledged
	Handled     uint32 // inbound stanzas counted on the current session (h)
	Resumptions int    // successful resumptions
	Failed      int    // failed resumption attempts
}

// smState is the stream management state. Guarded by Session.mu.
type smState struct {
	cfg       StreamManagement
	tracking  bool   // <enable/> written: count and keep outbound stanzas
	enabled   bool   // <enabled/> received
	existed   bool   // a stream management session ran on an earlier stream
	resumable bool   // the server allows resumption of id
	id        string // resumption id
	location  string
	ackDue    bool      // an <r/> waits for its <a/>
	ackAt     time.Time // when the <a/> must be written at the latest
	inH       uint32    // inbound stanzas handled
	outH      uint32    // outbound stanzas counted (the server's h when all acked)
	sent      sentLog   // stanzas outH-sent.len() .. outH-1, oldest first
	sinceReq  int       // stanzas sent since the last <r/>
	reqAt     time.Time // when the outstanding <r/> was sent; zero if none
	lastSend  time.Time
	lastRecv  time.Time
	timer     *time.Timer
	timerFor  *Stream              // the stream timer checks
	timerAt   time.Time            // when timer fires; zero when not scheduled
	handback  []*xmlstream.Element // unacked stanzas of a session that could not be resumed
	stats     SMStats
}

// StreamManagement returns the resumption request for the next Connect, or
// nil when there is nothing to resume. Connectors that support XEP-0198
// resumption call it after authentication.
func (t *Trace) StreamManagement() *SMRequest {
	if t == nil {
		return nil
	}
	return t.sm
}

// SMStats returns the stream management counters.
func (s *Session) SMStats() SMStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.sm.stats
	st.Enabled = s.sm.enabled
	st.Resumable = s.sm.resumable
	st.ID = s.sm.id
	st.Pending = s.sm.sent.len()
	st.Handled = s.sm.inH
	return st
}

// Unacknowledged removes and returns the stanzas that were sent on a
// session that could not be resumed and were never acknowledged
// (StatusResumeFailed reports them). The application decides: send them
// again with SendElement, or drop them. Nothing is resent or dropped
// without it. The Session keeps sent stanzas in wire form, so these are
// equal (Element.Equal) to what was sent, not the same pointers, and their
// names carry the stream's content namespace where the originals may have
// left it empty.
func (s *Session) Unacknowledged() []*xmlstream.Element {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sm.handback
	s.sm.handback = nil
	return out
}
