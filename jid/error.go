package jid

import "errors"

// Sentinel errors wrapped by every *Error returned from this package, so that
// callers can test the kind of failure with errors.Is.
var (
	// ErrEmpty reports a missing part: an empty JID or domainpart, or an
	// empty localpart after "@" or empty resourcepart after "/"
	// (RFC 7622 §3.2, §3.3, §3.4).
	ErrEmpty = errors.New("jid: empty part")

	// ErrTooLong reports a part longer than 1023 bytes after preparation
	// (RFC 7622 §3.2, §3.3, §3.4).
	ErrTooLong = errors.New("jid: part longer than 1023 bytes")

	// ErrInvalid reports a part that its PRECIS profile or IDNA2008 rejects,
	// or that holds a character RFC 7622 §3.3.1 disallows.
	ErrInvalid = errors.New("jid: invalid part")
)

// Part names used in Error.Part, as RFC 7622 §3 names the parts of a JID.
const (
	PartLocal    = "localpart"
	PartDomain   = "domainpart"
	PartResource = "resourcepart"
)

// Error describes why a string is not a valid JID (RFC 7622 §3).
//
// Its Is method treats blank fields of the target as wildcards, so
//
//	errors.Is(err, &jid.Error{Part: jid.PartLocal})
//
// matches any localpart error, and errors.Is(err, jid.ErrTooLong) matches
// any part that is too long.
type Error struct {
	// Part is PartLocal, PartDomain or PartResource.
	Part string
	// Reason is a short human-readable explanation.
	Reason string
	// Err is ErrEmpty, ErrTooLong or ErrInvalid.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "jid: invalid " + e.Part
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the sentinel (ErrEmpty, ErrTooLong or ErrInvalid).
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error whose non-blank fields equal e's.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return (t.Part == "" || t.Part == e.Part) &&
		(t.Reason == "" || t.Reason == e.Reason) &&
		(t.Err == nil || t.Err == e.Err)
}

func errEmpty(part string) error {
	return &Error{Part: part, Reason: "empty", Err: ErrEmpty}
}

func errTooLong(part string) error {
	return &Error{Part: part, Reason: "longer than 1023 bytes", Err: ErrTooLong}
}

func errInvalid(part, reason string) error {
	return &Error{Part: part, Reason: reason, Err: ErrInvalid}
}
