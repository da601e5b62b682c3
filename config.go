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

	// Reconnect enables reconnection after a dropped stream. Default nil: a
	// dropped stream ends the Session.
	Reconnect *Backoff

	// QueueSize bounds the stanzas held while no stream is up (a reconnect
	// is in progress). Sending to a full queue fails with ErrQueueFull.
	// Default 1000.
	QueueSize int

	// DispatchQueue bounds the stanzas waiting for handlers; when it is full
	// the reader stops reading (TCP back-pressure). Default 4096.
	DispatchQueue int

	// WriteTimeout bounds one write when the caller's ctx has no deadline.
	// Default 30 s.
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

	// MaxRedirects bounds how many see-other-host redirects are followed in
	// a row (RFC 6120 §4.9.3.19). Default 5.
	MaxRedirects int
}

// Backoff is a reconnection policy: jittered exponential back-off between
// attempts (RFC 6120 §3.3: "SHOULD NOT attempt to reconnect immediately").
// Zero fields take the documented defaults.
type Backoff struct {
	// Min is the delay before the first attempt. Default 500 ms.
	Min time.Duration
	// Max caps the delay. Default 60 s.
	Max time.Duration
	// Factor multiplies the delay after each failed attempt. Default 2.
	Factor float64
	// MaxAttempts ends the Session after this many failed attempts in a row.
	// Default 0: keep trying.
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
		b := *out.Reconnect
		if b.Min <= 0 {
			b.Min = 500 * time.Millisecond
		}
		if b.Max <= 0 {
			b.Max = 60 * time.Second
		}
		if b.Factor < 1 {
			b.Factor = 2
		}
		out.Reconnect = &b
	}
	return out
}
