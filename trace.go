package xmpp

import (
	"bytes"
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
// the hooks, with credentials redacted (see Redact). It returns c itself when
// there are no hooks.
func (t *Trace) Conn(c net.Conn) net.Conn {
	if t == nil || (t.onSend == nil && t.onRecv == nil) {
		return c
	}
	return &tracedConn{Conn: c, t: t}
}

type tracedConn struct {
	net.Conn
	t *Trace
}

func (c *tracedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.t.onRecv != nil {
		c.t.onRecv(Redact(p[:n]))
	}
	return n, err
}

func (c *tracedConn) Write(p []byte) (int, error) {
	if c.t.onSend != nil {
		c.t.onSend(Redact(p))
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

// secretTags are the elements whose character data is a credential or a
// credential-equivalent: SASL payloads (RFC 6120 §6.4), legacy password and
// digest (XEP-0078), registration passwords (XEP-0077) and the component
// handshake (XEP-0114).
var secretTags = [][]byte{
	[]byte("<auth"), []byte("<response"), []byte("<password"), []byte("<digest"),
	[]byte("<handshake"), []byte("<challenge"), []byte("<success"),
}

var redacted = []byte("[redacted]")

// Redact returns b with the character data of credential-bearing elements
// replaced by "[redacted]". It returns b itself when nothing needs hiding.
// It works on chunks as they cross the wire, so a secret cut by a chunk
// boundary is hidden up to the end of the chunk.
func Redact(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		i += j
		tag := matchSecretTag(b[i:])
		if tag == 0 {
			i++
			continue
		}
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			break
		}
		start := i + end + 1
		if b[start-2] == '/' { // empty element
			i = start
			continue
		}
		stop := bytes.IndexByte(b[start:], '<')
		if stop < 0 {
			stop = len(b) - start
		}
		if stop > 0 {
			out = append(out, b[last:start]...)
			out = append(out, redacted...)
			last = start + stop
		}
		i = start + stop
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

func matchSecretTag(b []byte) int {
	for _, t := range secretTags {
		if bytes.HasPrefix(b, t) && len(b) > len(t) {
			switch b[len(t)] {
			case ' ', '>', '/', '\t', '\n', '\r':
				return len(t)
			}
		}
	}
	return 0
}
