package sasl

import "errors"

// Mechanism is one client side of a SASL exchange (RFC 4422 §3), free of I/O:
// the caller moves the bytes between it and the server. In XMPP (RFC 6120 §6.4)
// every value crosses the wire base64-encoded inside <auth/>, <challenge/>,
// <response/> and <success/>; a Mechanism sees and returns the decoded bytes.
//
// The calls come in this order: Start once, Next for every <challenge/>, and
// Verify for <success/>. A Mechanism is used for one exchange by one
// goroutine; build a new one to authenticate again.
type Mechanism interface {
	// Name is the registered SASL mechanism name, e.g. "SCRAM-SHA-256-PLUS",
	// sent as the mechanism attribute of <auth/>.
	Name() string

	// Start returns the initial response (RFC 4422 §3.3, RFC 6120 §6.4.2).
	// nil means the mechanism sends none (the <auth/> element is empty);
	// an empty non-nil slice is an empty initial response, sent as "=".
	Start() (initial []byte, err error)

	// Next answers a server challenge with the next response (RFC 4422
	// §3.4). A nil or empty response is sent as an empty <response/>.
	Next(challenge []byte) (response []byte, err error)

	// Verify is called with the additional data of <success/> (RFC 6120
	// §6.4.6; nil or empty when there was none). Mechanisms in which the
	// server proves its identity (SCRAM's server signature, DIGEST-MD5's
	// rspauth) check that proof here, unless it already came in a
	// challenge; the others return nil. A non-nil error means the client
	// must not trust the authenticated stream and should close it.
	Verify(success []byte) error
}

// Credentials are what a user authenticates with (RFC 4422 §2).
//
// Username is the authentication identity (for XMPP the localpart of the
// account's JID, RFC 6120 §6.3.8). Password is used as given: it is neither
// normalized nor prepared. RFC 5802 §5.1 and RFC 7622/8265 ask for the
// PRECIS OpaqueString profile (formerly SASLprep); applying it is the
// caller's job, since this package depends only on the standard library.
// For ASCII passwords without control characters the preparation is the
// identity, so nothing needs to be done. Authzid, when not empty, is the
// authorization identity (a bare JID, RFC 6120 §6.3.8) to act as.
type Credentials struct {
	Username string
	Password string
	Authzid  string
}

// ChannelBinding is the data that ties a SASL exchange to the TLS session it
// runs in (RFC 5056, RFC 5802 §6). Type is the channel binding type name:
// "tls-exporter" (RFC 9266), "tls-server-end-point" or "tls-unique"
// (RFC 5929). Data is the binding data for that type, as returned by
// ChannelBindingFor.
type ChannelBinding struct {
	Type string
	Data []byte
}

// Channel binding type names (RFC 5929 §3, §4; RFC 9266 §2), as listed by
// the XEP-0440 <sasl-channel-binding/> stream feature.
const (
	BindingTLSExporter       = "tls-exporter"
	BindingTLSServerEndPoint = "tls-server-end-point"
	BindingTLSUnique         = "tls-unique"
)

// Local errors, found by the client without the server saying anything.
// Functions return them wrapped with detail; test with errors.Is.
var (
	// ErrNoMechanism: Select found no offered mechanism that the
	// configuration allows (RFC 6120 §6.4.1).
	ErrNoMechanism = errors.New("sasl: no acceptable mechanism offered")

	// ErrServerSignature: the server's proof of knowing the password (the
	// SCRAM v= attribute, RFC 5802 §3; DIGEST-MD5 rspauth, RFC 2831 §2.1.3)
	// is wrong or missing. The server is not who it claims to be.
	ErrServerSignature = errors.New("sasl: server signature mismatch")

	// ErrNonce: the SCRAM server nonce does not extend the client nonce
	// (RFC 5802 §5.1, r=), or a DIGEST-MD5 challenge has no usable nonce.
	ErrNonce = errors.New("sasl: bad server nonce")

	// ErrIterations: the SCRAM iteration count (RFC 5802 §5.1, i=) is not a
	// number or lies outside the configured bounds.
	ErrIterations = errors.New("sasl: unacceptable iteration count")

	// ErrSalt: the SCRAM salt (RFC 5802 §5.1, s=) is empty or not valid
	// base64.
	ErrSalt = errors.New("sasl: invalid salt")

	// ErrMalformed: a server message does not follow the mechanism's
	// syntax (RFC 5802 §7, RFC 2831 §2.1.1).
	ErrMalformed = errors.New("sasl: malformed server message")

	// ErrExtension: the server demanded a mandatory SCRAM extension
	// (RFC 5802 §5.1, m=) that this client does not implement.
	ErrExtension = errors.New("sasl: unsupported mandatory extension")

	// ErrUnexpectedChallenge: a challenge arrived after the mechanism had
	// nothing more to say (RFC 4422 §3.4).
	ErrUnexpectedChallenge = errors.New("sasl: unexpected challenge")

	// ErrEarlySuccess: <success/> arrived before the mechanism finished, so
	// the server never proved itself (RFC 6120 §6.4.6, RFC 5802 §3).
	ErrEarlySuccess = errors.New("sasl: success before the exchange completed")

	// ErrNoChannelBinding: no channel binding data of the asked-for type can
	// be taken from the TLS session (RFC 5929, RFC 9266).
	ErrNoChannelBinding = errors.New("sasl: channel binding unavailable")

	// ErrCredentials: the credentials cannot be used with the mechanism,
	// e.g. a NUL byte inside a PLAIN field (RFC 4616 §2).
	ErrCredentials = errors.New("sasl: unusable credentials")
)
