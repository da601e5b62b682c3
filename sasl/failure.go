package sasl

import "strings"

// SASL failure conditions (RFC 6120 §6.5): the child element of <failure/>
// in the urn:ietf:params:xml:ns:xmpp-sasl namespace.
const (
	CondAborted              = "aborted"                // §6.5.1: the client sent <abort/>
	CondAccountDisabled      = "account-disabled"       // §6.5.2
	CondCredentialsExpired   = "credentials-expired"    // §6.5.3
	CondEncryptionRequired   = "encryption-required"    // §6.5.4: mechanism needs TLS first
	CondIncorrectEncoding    = "incorrect-encoding"     // §6.5.5: bad base64
	CondInvalidAuthzid       = "invalid-authzid"        // §6.5.6
	CondInvalidMechanism     = "invalid-mechanism"      // §6.5.7
	CondMalformedRequest     = "malformed-request"      // §6.5.8
	CondMechanismTooWeak     = "mechanism-too-weak"     // §6.5.9
	CondNotAuthorized        = "not-authorized"         // §6.5.10: wrong credentials
	CondTemporaryAuthFailure = "temporary-auth-failure" // §6.5.11: try again later
)

// NS is the XML namespace of the SASL negotiation elements (RFC 6120 §6.4).
const NS = "urn:ietf:params:xml:ns:xmpp-sasl"

// Failure is the server's <failure/> answer (RFC 6120 §6.4.5, §6.5):
// Condition is one of the Cond constants (or an unknown name as received),
// Text the optional human-readable <text/>.
//
// Failure is comparable with errors.Is: blank fields in the target are
// wildcards, so errors.Is(err, &Failure{}) matches any SASL failure and
// errors.Is(err, &Failure{Condition: CondNotAuthorized}) a wrong password.
type Failure struct {
	Condition string
	Text      string
}

// Error returns "sasl: failure: <condition>[: <text>]".
func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString("sasl: failure: ")
	if f.Condition == "" {
		b.WriteString("(no condition)")
	} else {
		b.WriteString(f.Condition)
	}
	if f.Text != "" {
		b.WriteString(": ")
		b.WriteString(f.Text)
	}
	return b.String()
}

// Is reports whether target is a *Failure whose non-blank fields equal f's.
func (f *Failure) Is(target error) bool {
	t, ok := target.(*Failure)
	if !ok || t == nil {
		return false
	}
	return (t.Condition == "" || t.Condition == f.Condition) &&
		(t.Text == "" || t.Text == f.Text)
}

// Temporary reports whether the failure may go away by retrying later with
// the same credentials (RFC 6120 §6.5.11 temporary-auth-failure).
func (f *Failure) Temporary() bool {
	return f.Condition == CondTemporaryAuthFailure
}

// ServerError is a SCRAM server-final-message that carries e= instead of
// the server signature (RFC 5802 §7, server-error-value). Value is one of
// the ScramErr constants or any other value the server sent.
//
// Like Failure, a blank Value in the target of errors.Is is a wildcard.
type ServerError struct {
	Value string
}

// SCRAM server-error-value names (RFC 5802 §7).
const (
	ScramErrInvalidEncoding            = "invalid-encoding"
	ScramErrExtensionsNotSupported     = "extensions-not-supported"
	ScramErrInvalidProof               = "invalid-proof"
	ScramErrChannelBindingsDontMatch   = "channel-bindings-dont-match"
	ScramErrServerDoesSupportBinding   = "server-does-support-channel-binding"
	ScramErrChannelBindingNotSupported = "channel-binding-not-supported"
	ScramErrUnsupportedBindingType     = "unsupported-channel-binding-type"
	ScramErrUnknownUser                = "unknown-user"
	ScramErrInvalidUsernameEncoding    = "invalid-username-encoding"
	ScramErrNoResources                = "no-resources"
	ScramErrOtherError                 = "other-error"
)

// Error returns "sasl: scram server error: <value>".
func (e *ServerError) Error() string {
	return "sasl: scram server error: " + e.Value
}

// Is reports whether target is a *ServerError with the same Value, or with
// an empty one.
func (e *ServerError) Is(target error) bool {
	t, ok := target.(*ServerError)
	if !ok || t == nil {
		return false
	}
	return t.Value == "" || t.Value == e.Value
}
