package xmlstream

import (
	"errors"
	"strconv"
)

// Stream error conditions (RFC 6120 §4.9.3) that the stream layer detects.
// The stanza package defines the full set; these strings are the same.
const (
	CondBadFormat          = "bad-format"           // §4.9.3.1
	CondBadNamespacePrefix = "bad-namespace-prefix" // §4.9.3.2: undeclared prefix
	CondInvalidNamespace   = "invalid-namespace"    // §4.9.3.10: header not in NSStream
	CondInvalidXML         = "invalid-xml"          // §4.9.3.11
	CondNotWellFormed      = "not-well-formed"      // §4.9.3.13
	CondPolicyViolation    = "policy-violation"     // §4.9.3.14: a Config limit
	CondRestrictedXML      = "restricted-xml"       // §4.9.3.18: RFC 6120 §11.1
	CondUnsupportedEncod   = "unsupported-encoding" // §4.9.3.22
	CondUnsupportedVersion = "unsupported-version"  // §4.9.3.25
)

// Error is a decoding failure. Condition is the RFC 6120 §4.9.3 stream error
// condition to send to the peer; Offset is the byte offset in the input (since
// the decoder was created or last Reset) where the problem was found.
//
// After an Error the decoder is broken: every later Next returns the same
// error (RFC 6120 §4.9.1.1: stream errors are unrecoverable).
type Error struct {
	Condition string
	Offset    int64
	Msg       string
}

func (e *Error) Error() string {
	return "xmlstream: " + e.Condition + " at byte " + strconv.FormatInt(e.Offset, 10) + ": " + e.Msg
}

// Is reports whether target is an *Error with the same Condition, or with an
// empty one (so errors.Is(err, &Error{}) matches any decoding error).
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Condition == "" || t.Condition == e.Condition
}
