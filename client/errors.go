package client

import (
	"errors"
	"strings"
)

// Negotiation steps named in ConnectError.Step.
const (
	StepResolve  = "resolve"  // DNS SRV lookup (RFC 6120 §3.2)
	StepDial     = "dial"     // TCP connect
	StepTLS      = "tls"      // TLS handshake (direct TLS or after <proceed/>)
	StepStream   = "stream"   // stream header and features (RFC 6120 §4.3)
	StepStartTLS = "starttls" // STARTTLS negotiation (RFC 6120 §5)
	StepSASL     = "sasl"     // SASL negotiation (RFC 6120 §6)
	StepBind     = "bind"     // resource binding (RFC 6120 §7)
	StepSession  = "session"  // RFC 3921 §3 session establishment
	StepLegacy   = "legacy"   // jabber:iq:auth (XEP-0078)
	StepRegister = "register" // in-band registration (XEP-0077)
)

// ConnectError reports which step of connecting failed, against which
// transport address, and why. Err is one of this package's sentinel errors,
// a *sasl.Failure, a stanza.StreamError, a stanza error, a ctx error or an
// I/O error; errors.Is and errors.As see through ConnectError to it.
//
// Errors that reconnecting cannot fix (authentication failures, a bind
// conflict that persists, a registration conflict) are marked with
// xmpp.Permanent, so xmpp.IsPermanent(err) tells the Session not to retry.
type ConnectError struct {
	Step string // one of the Step constants
	Addr string // "host:port" dialed, "" before dialing
	Err  error
}

func (e *ConnectError) Error() string {
	var b strings.Builder
	b.WriteString("client: ")
	b.WriteString(e.Step)
	if e.Addr != "" {
		b.WriteString(" ")
		b.WriteString(e.Addr)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("failed")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *ConnectError) Unwrap() error { return e.Err }

// Sentinel causes, wrapped in a *ConnectError; test with errors.Is.
var (
	// ErrServiceUnavailable: the domain's only SRV record has the target
	// "." (RFC 2782, RFC 6120 §3.2.1): it offers no client service.
	ErrServiceUnavailable = errors.New("client: the domain offers no XMPP client service (SRV target \".\")")

	// ErrBadRedirect: a redirect target (see-other-host, a XEP-0198
	// location, Session.Reconnect's hostport) is neither a domainpart nor
	// a domainpart and port (RFC 6120 §4.9.3.19). Connect then falls back
	// to the usual server.
	ErrBadRedirect = errors.New("client: malformed redirect target")

	// ErrNoRedial: a Session made by DialConn needed a new connection (a
	// reconnect, a redirect) but has no way to open one: neither
	// Config.DialContext nor Config.Dialer was set, and the caller's
	// connection cannot be dialed again. Marked permanent.
	ErrNoRedial = errors.New("client: the caller's connection is gone and no dial function is configured (Config.DialContext)")

	// ErrNoAddress: no candidate address could be connected to; the
	// ConnectError's Err joins the individual dial errors.
	ErrNoAddress = errors.New("client: no address could be connected to")

	// ErrStepTimeout: a negotiation step took longer than
	// Config.StepTimeout (the peer went silent).
	ErrStepTimeout = errors.New("client: negotiation step timed out")

	// ErrTLSRequired: the server offered no STARTTLS and
	// Config.AllowPlaintext is false (RFC 6120 §5.3.1).
	ErrTLSRequired = errors.New("client: server offers no STARTTLS and plaintext is not allowed")

	// ErrTLSRefused: the server answered <starttls/> with <failure/>
	// (RFC 6120 §5.4.2.2); it closes the stream.
	ErrTLSRefused = errors.New("client: server answered STARTTLS with <failure/>")

	// ErrDataAfterProceed: bytes followed <proceed/> before the TLS
	// handshake; they would be unauthenticated plaintext injected into the
	// encrypted stream (RFC 6120 §5.4.3.3, CVE-2011-0411-like), so the
	// connection is dropped.
	ErrDataAfterProceed = errors.New("client: data received after <proceed/> before the TLS handshake")

	// ErrNoAuthMethod: the server offers no authentication this
	// configuration can use (no SASL mechanism and iq:auth not allowed,
	// or no iq:auth method).
	ErrNoAuthMethod = errors.New("client: no usable authentication method offered")

	// ErrLegacyPlaintext: the server offers only the iq:auth <password/>
	// method on a stream without TLS and Config.AllowLegacyPlaintext is
	// false (XEP-0078 §3.2).
	ErrLegacyPlaintext = errors.New("client: iq:auth would send the password in plaintext without TLS")

	// ErrNoBind: the server offers no resource binding after SASL
	// (RFC 6120 §7.2 says it MUST).
	ErrNoBind = errors.New("client: server offers no resource binding")

	// ErrProtocol: the server sent something the negotiation does not
	// allow at that point (an unexpected element, a bad bind result).
	ErrProtocol = errors.New("client: protocol violation by the server")

	// ErrStreamClosed: the server closed the stream or the connection
	// during negotiation without a stream error.
	ErrStreamClosed = errors.New("client: stream closed by the server during negotiation")
)
