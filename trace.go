package xmpp

import (
	"log/slog"
	"net"
	"strconv"
	"time"

	"parley.dev/xmpp/jid"
)

// Status is a step in a session's life, reported through Config.OnEvent
// (POE::Component::Jabber's status events, Net::XMPP's connection callbacks).
type Status uint8

const (
	StatusConnecting    Status = iota + 1 // dialing a transport address
	StatusConnected                       // TCP (or direct TLS) connection open
	StatusTLS                             // TLS established (STARTTLS or direct TLS)
	StatusAuthenticated                   // SASL, legacy auth or handshake succeeded
	StatusBound                           // resource bound (RFC 6120 §7)
	StatusReady                           // stanzas flow; queued stanzas are being sent
	StatusDisconnected                    // the stream ended; Event.Err holds the cause
	StatusReconnecting                    // waiting Event.Delay before attempt Event.Attempt
	StatusResumed                         // a stream-management session was resumed (XEP-0198 §5)
	StatusClosed                          // the Session is over for good; Event.Err is why
	StatusSMEnabled                       // stream management acks run (XEP-0198 §3); StreamID is the resumption id
	StatusResumeFailed                    // resumption failed; Event.Unacked stanzas await Session.Unacknowledged
)

var statusNames = [...]string{"", "connecting", "connected", "tls", "authenticated", "bound", "ready",
	"disconnected", "reconnecting", "resumed", "closed", "sm-enabled", "resume-failed"}

// String returns the status in lower case, as it appears in logs.
func (s Status) String() string {
	if int(s) < len(statusNames) && s != 0 {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Event reports a status change. Fields other than Status are set where they
// apply.
type Event struct {
	Status   Status
	Addr     string        // transport address (StatusConnecting, StatusConnected); the see-other-host target (StatusReconnecting after a redirect)
	JID      jid.JID       // negotiated address (StatusBound, StatusReady)
	StreamID string        // the peer's stream id (StatusReady)
	Err      error         // cause (StatusDisconnected, StatusClosed)
	Attempt  int           // reconnect attempt, from 1 (StatusReconnecting)
	Delay    time.Duration // back-off before the attempt (StatusReconnecting)
	Unacked  int           // stanzas handed back (StatusResumeFailed)
}

// Trace carries a session's observers to the code that does I/O: the raw
// chunk hooks (POE::Component::Jabber's debug trace, Net::XMPP's send and
// receive callbacks), status events and the logger. Connectors receive one in
// Connect. A nil *Trace observes nothing.
type Trace struct {
	onSend, onRecv func([]byte)
	onEvent        func(Event)
	log            *slog.Logger
	sm             *SMRequest // set by the Session before each Connect
}

// NewTrace returns a Trace calling the given observers; any may be nil.
func NewTrace(onSend, onRecv func([]byte), onEvent func(Event), log *slog.Logger) *Trace {
	return &Trace{onSend: onSend, onRecv: onRecv, onEvent: onEvent, log: log}
}

// Emit reports a status event.
func (t *Trace) Emit(e Event) {
	if t != nil && t.onEvent != nil {
		t.onEvent(e)
	}
}

// Logger returns the session's logger, never nil (a discarding one when the
// user gave none: the library never prints).
func (t *Trace) Logger() *slog.Logger {
	if t == nil || t.log == nil {
		return discardLogger
	}
	return t.log
}

var discardLogger = slog.New(slog.DiscardHandler)

// Conn wraps c so that every chunk read from or written to it is reported to
// the hooks, with credentials redacted (see redact.go for exactly what is
// hidden). Each direction keeps its place in the XML stream from one chunk
// to the next, so a secret is hidden however the chunks cut it. The bytes
// on the wire are unchanged and never wait for more: a hook sees each chunk
// as it is read or before it is written. A hook gets a slice valid only
// during the call. It returns c itself when there are no hooks; wrap the
// connection once per byte stream (a TLS upgrade starts a new one).
func (t *Trace) Conn(c net.Conn) net.Conn {
	if t == nil || (t.onSend == nil && t.onRecv == nil) {
		return c
	}
	return &tracedConn{Conn: c, t: t}
}

type tracedConn struct {
	net.Conn
	t          *Trace
	send, recv redactor
}

func (c *tracedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.t.onRecv != nil {
		c.recv.observe(p[:n], c.t.onRecv)
	}
	return n, err
}

func (c *tracedConn) Write(p []byte) (int, error) {
	if c.t.onSend != nil {
		c.send.observe(p, c.t.onSend)
	}
	return c.Conn.Write(p)
}

// NetConn returns the connection under a traced one (for TLS upgrades, which
// must wrap the raw connection and then be traced again).
func NetConn(c net.Conn) net.Conn {
	if tc, ok := c.(*tracedConn); ok {
		return tc.Conn
	}
	return c
}
