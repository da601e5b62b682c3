package sasl

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"strconv"
)

// scramHash is one SCRAM family's hash function (RFC 5802 §2.2 H, HMAC).
type scramHash struct {
	name string // base mechanism name, without -PLUS
	new  func() hash.Hash
}

var (
	hashSHA1   = scramHash{MechScramSHA1, sha1.New}
	hashSHA256 = scramHash{MechScramSHA256, sha256.New}
	hashSHA512 = scramHash{MechScramSHA512, sha512.New}
)

// pbkdf2Key is Hi() of RFC 5802 §2.2. It is a variable so that tests can
// count how often the expensive derivation runs.
var pbkdf2Key = func(h func() hash.Hash, password string, salt []byte, iter, keyLen int) ([]byte, error) {
	return pbkdf2.Key(h, password, salt, iter, keyLen)
}

// ScramSHA1 returns SCRAM-SHA-1 (RFC 5802), or SCRAM-SHA-1-PLUS with
// channel binding (RFC 5802 §6) when cb is not nil.
func ScramSHA1(c Credentials, cb *ChannelBinding, opts ...ScramOption) Mechanism {
	return newScram(hashSHA1, c, cb, opts)
}

// ScramSHA256 returns SCRAM-SHA-256 (RFC 7677), or SCRAM-SHA-256-PLUS when
// cb is not nil.
func ScramSHA256(c Credentials, cb *ChannelBinding, opts ...ScramOption) Mechanism {
	return newScram(hashSHA256, c, cb, opts)
}

// ScramSHA512 returns SCRAM-SHA-512 (draft-melnikov-scram-sha-512, offered
// by ejabberd), or SCRAM-SHA-512-PLUS when cb is not nil.
func ScramSHA512(c Credentials, cb *ChannelBinding, opts ...ScramOption) Mechanism {
	return newScram(hashSHA512, c, cb, opts)
}

// scram steps of the client (RFC 5802 §3).
const (
	scramInit      = iota // nothing sent
	scramFirstSent        // client-first-message sent, awaiting server-first
	scramFinalSent        // client-final-message sent, awaiting server-final
	scramDone             // server signature verified
	scramFailed           // an error ended the exchange
)

// scram is the client side of one SCRAM exchange. Its fields are owned by
// the single goroutine driving the exchange.
type scram struct {
	h     scramHash
	cred  Credentials
	cb    *ChannelBinding
	opts  scramOptions
	state int

	gs2         []byte // GS2 header, e.g. "n,,"
	clientNonce []byte
	clientFirst []byte // client-first-message-bare
	serverSig   []byte // expected ServerSignature
}

func newScram(h scramHash, c Credentials, cb *ChannelBinding, opts []ScramOption) *scram {
	m := &scram{h: h, cred: c, cb: cb}
	for _, o := range opts {
		o(&m.opts)
	}
	if m.opts.minIter <= 0 {
		m.opts.minIter = DefaultMinIterations
	}
	if m.opts.maxIter <= 0 {
		m.opts.maxIter = DefaultMaxIterations
	}
	if m.opts.rand == nil {
		m.opts.rand = rand.Reader
	}
	return m
}

func (m *scram) Name() string {
	if m.cb != nil {
		return m.h.name + "-PLUS"
	}
	return m.h.name
}

func (m *scram) fail(err error) error {
	m.state = scramFailed
	return err
}

// Start builds the client-first-message (RFC 5802 §5.1, §7):
// gs2-header "n=" username ",r=" c-nonce.
func (m *scram) Start() ([]byte, error) {
	if m.state != scramInit {
		return nil, m.fail(fmt.Errorf("%w: Start called twice", ErrMalformed))
	}
	if m.cred.Username == "" || !validSaslname(m.cred.Username) || !validSaslname(m.cred.Authzid) {
		return nil, m.fail(fmt.Errorf("%w: username or authzid is empty, not UTF-8 or contains NUL", ErrCredentials))
	}
	switch {
	case m.cb != nil:
		if !validCBName(m.cb.Type) {
			return nil, m.fail(fmt.Errorf("%w: bad channel binding type %q", ErrNoChannelBinding, m.cb.Type))
		}
		m.gs2 = append(append([]byte("p="), m.cb.Type...), ',')
	case m.opts.canBind:
		m.gs2 = []byte("y,")
	default:
		m.gs2 = []byte("n,")
	}
	if m.cred.Authzid != "" {
		m.gs2 = appendSaslname(append(m.gs2, "a="...), m.cred.Authzid)
	}
	m.gs2 = append(m.gs2, ',')

	if m.opts.nonce != "" {
		m.clientNonce = []byte(m.opts.nonce)
	} else {
		var raw [24]byte
		if _, err := io.ReadFull(m.opts.rand, raw[:]); err != nil {
			return nil, m.fail(fmt.Errorf("sasl: reading client nonce: %w", err))
		}
		m.clientNonce = base64.StdEncoding.AppendEncode(nil, raw[:])
	}

	m.clientFirst = appendSaslname([]byte("n="), m.cred.Username)
	m.clientFirst = append(append(m.clientFirst, ",r="...), m.clientNonce...)
	m.state = scramFirstSent
	out := make([]byte, 0, len(m.gs2)+len(m.clientFirst))
	return append(append(out, m.gs2...), m.clientFirst...), nil
}

// Next answers the server-first-message with the client-final-message
// (RFC 5802 §5.1), or checks a server-final-message sent as a challenge
// (RFC 6120 §6.4.6) and answers it with an empty response.
func (m *scram) Next(challenge []byte) ([]byte, error) {
	switch m.state {
	case scramFirstSent:
		resp, err := m.final(challenge)
		if err != nil {
			return nil, m.fail(err)
		}
		m.state = scramFinalSent
		return resp, nil
	case scramFinalSent:
		if err := m.checkServerFinal(challenge); err != nil {
			return nil, m.fail(err)
		}
		m.state = scramDone
		return nil, nil
	default:
		return nil, m.fail(fmt.Errorf("%w: SCRAM challenge in step %d", ErrUnexpectedChallenge, m.state))
	}
}

// Verify checks the server-final-message carried by <success/>. If it came
// earlier as a challenge, an empty <success/> is accepted.
func (m *scram) Verify(success []byte) error {
	switch m.state {
	case scramFinalSent:
		if len(success) == 0 {
			return m.fail(fmt.Errorf("%w: <success/> carried no server-final-message", ErrServerSignature))
		}
		if err := m.checkServerFinal(success); err != nil {
			return m.fail(err)
		}
		m.state = scramDone
		return nil
	case scramDone:
		if len(success) == 0 {
			return nil
		}
		if err := m.checkServerFinal(success); err != nil {
			return m.fail(err)
		}
		return nil
	case scramFailed:
		return fmt.Errorf("%w: the exchange had already failed", ErrEarlySuccess)
	default:
		return m.fail(ErrEarlySuccess)
	}
}

// final parses server-first-message = [reserved-mext ","] nonce "," salt ","
// iteration-count ["," extensions] and computes the client-final-message
// (RFC 5802 §3, §7).
func (m *scram) final(serverFirst []byte) ([]byte, error) {
	rest := serverFirst
	a, _, err := nextAttr(rest)
	if err != nil {
		return nil, err
	}
	if a.name == 'm' {
		return nil, fmt.Errorf("%w: m=%q", ErrExtension, clip(a.value))
	}
	nonce, rest, err := expectAttr(rest, 'r')
	if err != nil {
		return nil, err
	}
	if !validNonce(nonce) || len(nonce) <= len(m.clientNonce) ||
		subtle.ConstantTimeCompare(nonce[:len(m.clientNonce)], m.clientNonce) != 1 {
		return nil, fmt.Errorf("%w: %q does not extend the client nonce", ErrNonce, clip(nonce))
	}
	salt64, rest, err := expectAttr(rest, 's')
	if err != nil {
		return nil, err
	}
	salt, err := decodeB64(salt64)
	if err != nil || len(salt) == 0 {
		return nil, fmt.Errorf("%w: s=%q", ErrSalt, clip(salt64))
	}
	iterText, _, err := expectAttr(rest, 'i')
	if err != nil {
		return nil, err
	}
	iter, err := m.iterations(iterText)
	if err != nil {
		return nil, err
	}

	salted, err := m.saltedPassword(salt, iter)
	if err != nil {
		return nil, err
	}

	// client-final-message-without-proof = "c=" base64(gs2-header cbind-data) ",r=" nonce
	cbind := m.gs2
	if m.cb != nil {
		cbind = append(append([]byte(nil), m.gs2...), m.cb.Data...)
	}
	final := append([]byte("c="), base64.StdEncoding.AppendEncode(nil, cbind)...)
	final = append(append(final, ",r="...), nonce...)

	authMsg := make([]byte, 0, len(m.clientFirst)+len(serverFirst)+len(final)+2)
	authMsg = append(append(authMsg, m.clientFirst...), ',')
	authMsg = append(append(authMsg, serverFirst...), ',')
	authMsg = append(authMsg, final...)

	clientKey := m.hmac(salted, []byte("Client Key"))
	hh := m.h.new()
	hh.Write(clientKey)
	storedKey := hh.Sum(nil)
	proof := m.hmac(storedKey, authMsg)
	subtle.XORBytes(proof, proof, clientKey)
	m.serverSig = m.hmac(m.hmac(salted, []byte("Server Key")), authMsg)

	final = append(final, ",p="...)
	return base64.StdEncoding.AppendEncode(final, proof), nil
}

// iterations parses and bounds i= (RFC 5802 §5.1, RFC 7677 §4).
func (m *scram) iterations(text []byte) (int, error) {
	if len(text) == 0 || len(text) > 10 {
		return 0, fmt.Errorf("%w: i=%q", ErrIterations, clip(text))
	}
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: i=%q", ErrIterations, clip(text))
		}
	}
	n, err := strconv.Atoi(string(text))
	if err != nil {
		return 0, fmt.Errorf("%w: i=%q", ErrIterations, clip(text))
	}
	if n < m.opts.minIter || n > m.opts.maxIter {
		return 0, fmt.Errorf("%w: %d is outside [%d, %d]", ErrIterations, n, m.opts.minIter, m.opts.maxIter)
	}
	return n, nil
}

// saltedPassword returns Hi(password, salt, iter), from the cache if set.
func (m *scram) saltedPassword(salt []byte, iter int) ([]byte, error) {
	if c := m.opts.cache; c != nil {
		if v, ok := c.load(m.h.name, m.cred.Password, salt, iter); ok {
			return v, nil
		}
	}
	v, err := pbkdf2Key(m.h.new, m.cred.Password, salt, iter, m.h.new().Size())
	if err != nil {
		return nil, fmt.Errorf("sasl: PBKDF2: %w", err)
	}
	if c := m.opts.cache; c != nil {
		c.store(m.h.name, m.cred.Password, salt, iter, v)
	}
	return v, nil
}

// checkServerFinal parses server-final-message = (server-error /
// verifier) ["," extensions] (RFC 5802 §7) and compares the signature.
func (m *scram) checkServerFinal(msg []byte) error {
	a, _, err := nextAttr(msg)
	if err != nil {
		return err
	}
	switch a.name {
	case 'e':
		return &ServerError{Value: string(a.value)}
	case 'v':
		sig, err := decodeB64(a.value)
		if err != nil {
			return fmt.Errorf("%w: v= is not base64", ErrServerSignature)
		}
		if !hmac.Equal(sig, m.serverSig) {
			return ErrServerSignature
		}
		return nil
	default:
		return fmt.Errorf("%w: server-final-message starts with %c=", ErrMalformed, a.name)
	}
}

func (m *scram) hmac(key, data []byte) []byte {
	mac := hmac.New(m.h.new, key)
	mac.Write(data)
	return mac.Sum(nil)
}
