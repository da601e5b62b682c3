package sasl

import (
	"fmt"
	"strings"
)

// Mechanism names registered with IANA (RFC 4422 §7.1) that this package
// implements.
const (
	MechPlain           = "PLAIN"              // RFC 4616
	MechAnonymous       = "ANONYMOUS"          // RFC 4505
	MechExternal        = "EXTERNAL"           // RFC 4422 Appendix A
	MechDigestMD5       = "DIGEST-MD5"         // RFC 2831 (historic, RFC 6331)
	MechScramSHA1       = "SCRAM-SHA-1"        // RFC 5802
	MechScramSHA1Plus   = "SCRAM-SHA-1-PLUS"   // RFC 5802 §6
	MechScramSHA256     = "SCRAM-SHA-256"      // RFC 7677
	MechScramSHA256Plus = "SCRAM-SHA-256-PLUS" // RFC 7677
	MechScramSHA512     = "SCRAM-SHA-512"      // draft-melnikov-scram-sha-512
	MechScramSHA512Plus = "SCRAM-SHA-512-PLUS" // draft-melnikov-scram-sha-512
)

// oneShot is the shared state of the single-message mechanisms: the initial
// response is everything, and no challenge is expected.
type oneShot struct {
	name    string
	initial []byte
	err     error
	started bool
}

func (m *oneShot) Name() string { return m.name }

func (m *oneShot) Start() ([]byte, error) {
	if m.err != nil {
		return nil, m.err
	}
	m.started = true
	return m.initial, nil
}

// Next accepts only an empty challenge, the server's request for an initial
// response that a client which sent none must answer (RFC 6120 §6.4.2);
// every other challenge is a protocol error for these mechanisms.
func (m *oneShot) Next(challenge []byte) ([]byte, error) {
	if len(challenge) == 0 && !m.started {
		m.started = true
		return m.initial, nil
	}
	return nil, fmt.Errorf("%w: %s has a single message", ErrUnexpectedChallenge, m.name)
}

// Verify accepts any <success/>: these mechanisms carry no server proof.
func (m *oneShot) Verify([]byte) error {
	if !m.started {
		return ErrEarlySuccess
	}
	return nil
}

// Plain returns the PLAIN mechanism (RFC 4616 §2): one initial response
// authzid NUL username NUL password. The password travels in the clear
// inside the stream, so use it only over TLS (Select enforces that).
// Fields containing a NUL byte make Start fail with ErrCredentials.
func Plain(c Credentials) Mechanism {
	m := &oneShot{name: MechPlain}
	if strings.ContainsRune(c.Username, 0) || strings.ContainsRune(c.Password, 0) ||
		strings.ContainsRune(c.Authzid, 0) {
		m.err = fmt.Errorf("%w: NUL byte in PLAIN credentials", ErrCredentials)
		return m
	}
	b := make([]byte, 0, len(c.Authzid)+len(c.Username)+len(c.Password)+2)
	b = append(b, c.Authzid...)
	b = append(b, 0)
	b = append(b, c.Username...)
	b = append(b, 0)
	b = append(b, c.Password...)
	m.initial = b
	return m
}

// Anonymous returns the ANONYMOUS mechanism (RFC 4505 §2), whose initial
// response is an optional trace string (an email address or an opaque
// token, at most 255 characters). An empty trace is sent as an empty
// initial response ("=").
func Anonymous(trace string) Mechanism {
	m := &oneShot{name: MechAnonymous, initial: []byte(trace)}
	if len([]rune(trace)) > 255 {
		m.err = fmt.Errorf("%w: ANONYMOUS trace longer than 255 characters", ErrCredentials)
	}
	return m
}

// External returns the EXTERNAL mechanism (RFC 4422 Appendix A, XEP-0178):
// the server authenticates the client by something outside SASL, in XMPP a
// TLS client certificate. The initial response is the authorization identity
// to act as, empty ("=") to let the server derive it from the certificate.
func External(authzid string) Mechanism {
	return &oneShot{name: MechExternal, initial: []byte(authzid)}
}
