package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"parley.dev/xmpp/client"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/stanza"
)

// Exit codes (docs/cli.md). Scripts depend on them: never renumber.
const (
	exitOK       = 0 // success
	exitFailure  = 1 // anything not covered below
	exitUsage    = 2 // bad flags, arguments or configuration
	exitConnect  = 3 // cannot connect: DNS, TCP, TLS, stream negotiation
	exitAuth     = 4 // authentication failed
	exitRemote   = 5 // the remote side returned an error or rejected the request
	exitTimeout  = 6 // --timeout (or a negotiation step) expired
	exitSignaled = 130
)

// usageError is a mistake on the command line or in the configuration:
// exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// exitError carries an explicit exit code and message (oob send's
// "rejected", a listen that saw fewer stanzas than --count).
type exitError struct {
	code int
	msg  string
	err  error
}

func (e *exitError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// errInterrupted reports a command stopped by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// classify maps err to an exit code and a one-line message that says what
// went wrong and what to try.
func classify(err error) (int, string) {
	var ee *exitError
	var ue *usageError
	switch {
	case errors.As(err, &ee):
		return ee.code, oneLine(ee.Error())
	case errors.As(err, &ue):
		return exitUsage, oneLine(ue.msg)
	case errors.Is(err, errInterrupted):
		return exitSignaled, "interrupted"
	}
	msg := oneLine(err.Error())
	var ce *client.ConnectError
	isCE := errors.As(err, &ce)
	switch {
	case errors.Is(err, &sasl.Failure{}):
		return exitAuth, msg + "; check the JID and the password (--password-file, --password-cmd, PARLEY_PASSWORD)"
	case isCE && ce.Step == client.StepLegacy && errors.Is(err, stanza.Error{Condition: stanza.NotAuthorized}):
		return exitAuth, msg + "; check the JID and the password"
	case errors.Is(err, stanza.StreamError{Condition: stanza.StreamNotAuthorized}):
		return exitAuth, msg + "; check the credentials (for a component: --secret-file and --domain)"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, client.ErrStepTimeout) ||
		errors.Is(err, component.ErrStepTimeout):
		return exitTimeout, msg + "; the server did not answer in time: raise --timeout or check the server"
	case isCE && ce.Step == client.StepRegister:
		return exitRemote, msg
	case isCE && (ce.Step == client.StepSASL || ce.Step == client.StepLegacy) && errors.Is(err, client.ErrNoAuthMethod):
		return exitAuth, msg
	case isCE:
		return exitConnect, msg + connectHint(err)
	case isConnectErr(err):
		return exitConnect, msg + connectHint(err)
	case errors.Is(err, stanza.Error{}):
		return exitRemote, msg
	case errors.Is(err, stanza.StreamError{}):
		return exitRemote, msg
	}
	return exitFailure, msg
}

// isConnectErr recognises network and certificate errors outside a
// ConnectError (component dialing).
func isConnectErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	return errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ue) ||
		errors.As(err, &he) || errors.As(err, &ce) || errors.As(err, &ne)
}

func connectHint(err error) string {
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	switch {
	case errors.As(err, &ue), errors.As(err, &he), errors.As(err, &ce):
		return "; the server's certificate is not trusted: add its CA with --ca FILE"
	case errors.Is(err, client.ErrTLSRequired):
		return "; the server offers no TLS"
	}
	return "; check --server (HOST:PORT) or the domain's DNS, and that the server is running"
}

// oneLine folds err text onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// remoteErr wraps a stanza error returned by the peer with what was asked,
// keeping exit code 5.
func remoteErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
