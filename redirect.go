package xmpp

import (
	"errors"
	"time"

	"parley.dev/xmpp/stanza"
)

// Redirector is implemented by Connectors that can connect to another host
// on request, keeping the identity the server is checked against (for a
// client, the certificate is checked against the JID's domain and the same
// account logs in; RFC 6120 §4.9.3.19). The Session calls Redirect for a
// see-other-host stream error (§4.9.3.19), for the location a XEP-0198
// server prefers for resumption (§5), and for Session.Reconnect(hostport).
//
// Redirect(target) makes the Connect calls that follow try target first,
// until one of them establishes a stream; the Connect calls after that one
// resolve the server as usual again. target is what see-other-host carries:
// a domainpart, or a domainpart and port ("domainpart:port", an IPv6
// address in brackets). How a domainpart without port is resolved, and what
// happens when target cannot be reached, is the Connector's to document
// (client.Connector resolves it like a domain, RFC 6120 §3.2, and falls back
// to its usual server).
type Redirector interface {
	Redirect(target string)
}

// seeOtherHost returns the redirect target of a see-other-host stream error.
func seeOtherHost(err error) (string, bool) {
	var se stanza.StreamError
	if errors.As(err, &se) && se.Condition == stanza.StreamSeeOtherHost && se.Redirect != "" {
		return se.Redirect, true
	}
	return "", false
}

// followRedirect counts a see-other-host redirect to host (cause is the
// error that carried it) and points the Connector at host. It returns how
// long to wait before connecting: nothing for the first redirect in a row,
// the back-off b for each later one (the delay of attempt n-1, jittered),
// so that servers sending a client round in a loop cannot make it spin.
// Past Config.MaxRedirects it returns a *RedirectLoopError instead; a
// Connector that cannot be redirected gets cause back. Called by the
// goroutine that connects.
func (s *Session) followRedirect(host string, cause error, b *Backoff) (time.Duration, error) {
	r, ok := s.conn.(Redirector)
	if !ok {
		return 0, cause
	}
	if s.redirects >= s.cfg.MaxRedirects {
		return 0, &RedirectLoopError{Redirects: s.redirects, Err: cause}
	}
	s.redirects++
	r.Redirect(host)
	s.trace.Logger().Info("xmpp: following see-other-host", "host", host, "redirect", s.redirects, "max", s.cfg.MaxRedirects)
	if s.redirects == 1 {
		return 0, nil
	}
	d := b.Min
	for range s.redirects - 2 {
		d = min(time.Duration(float64(d)*b.Factor), b.Max)
	}
	return jitter(d), nil
}

// redirectBackoff is the back-off between redirects: Config.Reconnect, or
// its defaults when the Session does not reconnect.
func (s *Session) redirectBackoff() *Backoff {
	if s.cfg.Reconnect != nil {
		return s.cfg.Reconnect
	}
	b := Backoff{}.withDefaults()
	return &b
}

// stayedUp reports whether the stream that just ended with cause had stayed
// up normally, which restarts the count of redirects in a row: it ended for
// another reason than see-other-host (a lost connection, a requested
// reconnect, another stream error), or it lasted at least the back-off's
// Max, the longest a reconnect waits anyway. A server that redirects each
// stream as soon as it is negotiated keeps the count going.
func (s *Session) stayedUp(cause error) bool {
	if _, ok := seeOtherHost(cause); !ok {
		return true
	}
	return time.Since(s.upAt) >= s.redirectBackoff().Max
}
