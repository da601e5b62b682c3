package xmpp

import (
	"log/slog"
	"time"
)

// Config tunes a Session. A nil *Config means every default; the Session
// clones the Config before filling in defaults, so callers may reuse it.
type Config struct {
	// Logger receives the library's own logging. Default: nothing is logged
	// (the library never prints).
	Logger *slog.Logger

	// OnSend and OnReceive observe every raw chunk written to and read from
	// the transport, credentials redacted however the chunks cut them
	// (Redact lists what is hidden). The slice is valid only during the
	// call. Default nil.
	OnSend, OnReceive func(chunk []byte)

	// OnEvent observes status changes. It is called synchronously from the
	// goroutine that made the change and must not block. Default nil.
	OnEvent func(Event)

	// Extensions are added (Session.Add), in order, before NewSession
	// connects: their handlers see every stanza of the session, the first
	// ones included, and their event listeners every status. One added
	// later with Add misses what arrived before it. Register must not wait
	// for the server. If one fails, NewSession returns its error.
	Extensions []Extension

	// Reconnect enables reconnection after a dropped stream. Default nil: a
	// dropped stream ends the Session.
	Reconnect *Backoff

	// QueueSize bounds the stanzas held while no stream is up (a reconnect
	// is in progress). Sending to a full queue fails with ErrQueueFull.
	// Default 1000.
	QueueSize int

	// DispatchQueue bounds the stanzas waiting for handlers; when it is full
	// the reader stops reading (TCP back-pressure). Default 4096. While an
	// IQ request is waiting for its reply the reader reads on up to twice
	// this bound, so that a handler waiting for a reply (SendIQ, Wait) is
	// not stuck behind stanzas that arrived before it; a burst larger than
	// that stops the reader until the request's ctx ends.
	DispatchQueue int

	// WriteTimeout bounds one write of the Session's flusher, which writes
	// behind the callers of Send, and, in manual mode, a write whose ctx has
	// no deadline. A write that times out breaks the stream. Default 30 s.
	WriteTimeout time.Duration

	// CloseTimeout bounds how long Close waits for the peer's closing stream
	// tag after sending its own (RFC 6120 §4.4). Default 2 s.
	CloseTimeout time.Duration

	// Manual, when true, starts no goroutine: the caller pumps the session
	// with Process (Net::XMPP's Process, for programs with their own loop).
	// Handlers then run inside Process, so they must not wait for IQ
	// replies (use SendIQAsync). Default false.
	Manual bool

	// SM tunes XEP-0198 stream management. Default nil: enabled with
	// resumption whenever the server offers it.
	SM *StreamManagement

	// MaxRedirects bounds how many see-other-host redirects (RFC 6120
	// §4.9.3.19) are followed in a row, whether they come while a Connector
	// negotiates or on an established stream. The count starts again once
	// a stream has stayed up normally: it got past negotiation and then
	// either ended for another reason than see-other-host, or lasted at
	// least the back-off's Max before its see-other-host. The first redirect
	// in a row is followed at once, each later one after the back-off of
	// Reconnect (its defaults when Reconnect is nil) so that a loop cannot
	// spin. One more see-other-host ends the Session, or fails NewSession,
	// with a *RedirectLoopError; the Session does not reconnect after it.
	// Following a redirect needs a Connector that is a Redirector, and on
	// an established stream Reconnect too (without it a dropped stream ends
	// the Session). Default 5 (the RFC suggests 2 to 5).
	MaxRedirects int
}

// Backoff is a reconnection policy: jittered exponential back-off between
// attempts (RFC 6120 §3.3: "SHOULD NOT attempt to reconnect immediately").
// Zero fields take the documented defaults.
//
// The nominal delay d is Min before the first attempt after a drop, then
// d*Factor after each failed attempt, at most Max. The Session waits a
// delay drawn at random from [d/2, d) (so that clients cut off together do
// not come back together) and reports it as the Delay of the
// StatusReconnecting event, with the attempt's number and the cause of the
// wait: the drop, then the error of the attempt that failed before it. A
// see-other-host is followed with delays of its own (Config.MaxRedirects).
type Backoff struct {
	// Min is the nominal delay before the first attempt. Default 500 ms
	// (also for a negative Min).
	Min time.Duration
	// Max caps the nominal delay. Default 60 s (also for a negative Max).
	Max time.Duration
	// Factor multiplies the nominal delay after each failed attempt.
	// Default 2 (also for any Factor below 1).
	Factor float64
	// MaxAttempts ends the Session after this many failed attempts in a row,
	// with the last attempt's error (Err, StatusClosed). Default 0: keep
	// trying. A permanent error (IsPermanent) ends it at once, and Close
	// ends the wait or the attempt in progress.
	MaxAttempts int
}

func (c *Config) withDefaults() Config {
	var out Config
	if c != nil {
		out = *c
	}
	if out.QueueSize <= 0 {
		out.QueueSize = 1000
	}
	if out.DispatchQueue <= 0 {
		out.DispatchQueue = 4096
	}
	if out.WriteTimeout <= 0 {
		out.WriteTimeout = 30 * time.Second
	}
	if out.CloseTimeout <= 0 {
		out.CloseTimeout = 2 * time.Second
	}
	if out.MaxRedirects <= 0 {
		out.MaxRedirects = 5
	}
	if out.Reconnect != nil {
		b := out.Reconnect.withDefaults()
		out.Reconnect = &b
	}
	return out
}

// withDefaults returns a copy of b with every zero field filled in.
func (b Backoff) withDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 60 * time.Second
	}
	if b.Factor < 1 {
		b.Factor = 2
	}
	return b
}
