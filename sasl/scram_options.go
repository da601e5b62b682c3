package sasl

import "io"

// Iteration count bounds applied to the server's i= (RFC 5802 §5.1) unless
// changed with WithMinIterations / WithMaxIterations.
const (
	// DefaultMinIterations is the floor RFC 5802 §5.1 and RFC 7677 §4
	// set for servers: 4096. A lower count would make an offline guess
	// of the password from the client proof cheap for a hostile server.
	// ejabberd and libgsasl (jabberd2) use 4096 by default.
	DefaultMinIterations = 4096
	// DefaultMaxIterations caps the work a server can make the client do:
	// a million SHA-256 iterations take about 1.4 s on a 2-CPU VM
	// (BenchmarkScramSHA256: 5.6 ms for 4096).
	DefaultMaxIterations = 1_000_000
)

// ScramOption changes how a SCRAM mechanism behaves.
type ScramOption func(*scramOptions)

type scramOptions struct {
	rand    io.Reader
	cache   *SaltCache
	minIter int
	maxIter int
	canBind bool
	nonce   string // fixed client nonce, for tests that replay RFC vectors
}

// WithRand sets the source of the client nonce (RFC 5802 §5.1, r=); the
// default is crypto/rand. 24 bytes are read and base64-encoded.
func WithRand(r io.Reader) ScramOption { return func(o *scramOptions) { o.rand = r } }

// WithSaltCache makes the mechanism look up and store the salted password
// in c, so that logging in again with the same salt and iteration count
// skips PBKDF2.
func WithSaltCache(c *SaltCache) ScramOption { return func(o *scramOptions) { o.cache = c } }

// WithMinIterations sets the smallest iteration count accepted from the
// server; n <= 0 keeps DefaultMinIterations.
func WithMinIterations(n int) ScramOption { return func(o *scramOptions) { o.minIter = n } }

// WithMaxIterations sets the largest iteration count accepted from the
// server; n <= 0 keeps DefaultMaxIterations. A larger count fails with
// ErrIterations before any work is done.
func WithMaxIterations(n int) ScramOption { return func(o *scramOptions) { o.maxIter = n } }

// WithBindingSupported tells a SCRAM mechanism built without channel binding
// that the client could have bound the channel but the server offered no
// -PLUS mechanism. The GS2 header then starts "y," instead of "n," (RFC 5802
// §6): a server that does support binding, whose -PLUS offer an
// attacker stripped from the features, sees the "y" and refuses. Never set it
// when the server did offer -PLUS: it would rightly fail the login. Select
// applies this rule; the option is ignored when a ChannelBinding is given.
func WithBindingSupported() ScramOption { return func(o *scramOptions) { o.canBind = true } }
