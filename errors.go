package xmpp

import (
	"errors"
	"strconv"

	"parley.dev/xmpp/stanza"
)

var (
	// ErrClosed is returned by calls on a Session that has ended; Err tells
	// why it ended.
	ErrClosed = errors.New("xmpp: session closed")
	// ErrQueueFull is returned when a stanza is sent while no stream is up
	// and the outbound queue (Config.QueueSize) is full. The stanza was not
	// queued: nothing is ever dropped silently.
	ErrQueueFull = errors.New("xmpp: outbound queue full")
	// ErrNotConnected is returned when a stanza is sent while no stream is
	// up and the Session will not reconnect.
	ErrNotConnected = errors.New("xmpp: not connected")
	// ErrDisconnected fails IQ requests whose stream dropped before the
	// reply arrived: the reply can no longer be matched to the request.
	ErrDisconnected = errors.New("xmpp: stream dropped before the reply")
	// ErrRedirectLoop matches (errors.Is) every *RedirectLoopError: the
	// see-other-host redirects exceeded Config.MaxRedirects.
	ErrRedirectLoop = errors.New("xmpp: too many see-other-host redirects")
)

// RedirectLoopError ends a Session (or fails NewSession) that was sent to
// another host by more than Config.MaxRedirects see-other-host stream errors
// in a row (RFC 6120 §4.9.3.19: the initiating entity "SHOULD abort the
// connection attempt after a certain number of successive redirects"). It
// is permanent: the Session does not reconnect after it. errors.Is(err,
// ErrRedirectLoop) holds, and errors.As finds the last stanza.StreamError.
type RedirectLoopError struct {
	// Redirects is how many redirects were followed before giving up
	// (Config.MaxRedirects).
	Redirects int
	// Err is the see-other-host error that was not followed, as the
	// Connector returned it or the stream ended with it.
	Err error
}

func (e *RedirectLoopError) Error() string {
	return "xmpp: too many see-other-host redirects (" + strconv.Itoa(e.Redirects) + " followed): " + e.Err.Error()
}

// Unwrap returns the last see-other-host error.
func (e *RedirectLoopError) Unwrap() error { return e.Err }

// Is reports whether target is ErrRedirectLoop.
func (e *RedirectLoopError) Is(target error) bool { return target == ErrRedirectLoop }

// Handled is returned by a handler to end its chain: no later handler sees
// the stanza (Jabber::Connection's HANDLED). For an IQ get or set it also
// tells the Session that the handler answers (or will answer) the request.
var Handled = errors.New("xmpp: handled")

// permanentError marks a connection error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that reconnecting cannot fix (wrong password,
// a conflict with another resource, a policy refusal). Connectors wrap their
// authentication failures with it; the Session never reconnects after one.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent, is a *RedirectLoopError, or is a stream error after which
// connecting again the same way cannot succeed: conflict (RFC 6120
// §4.9.3.3, another resource took over), not-authorized (§4.9.3.12), and
// host-gone and host-unknown (§4.9.3.5, §4.9.3.6: the server does not, or
// no longer, serve the account's domain). Every other condition is followed
// by a reconnect, with back-off (see-other-host by a redirect).
func IsPermanent(err error) bool {
	var p permanentError
	if errors.As(err, &p) {
		return true
	}
	var rl *RedirectLoopError
	if errors.As(err, &rl) {
		return true
	}
	var se stanza.StreamError
	if errors.As(err, &se) {
		switch se.Condition {
		case stanza.StreamConflict, stanza.StreamNotAuthorized, stanza.StreamHostGone, stanza.StreamHostUnknown:
			return true
		}
	}
	return false
}
