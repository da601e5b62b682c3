package sasl

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// DIGEST-MD5 steps of the client (RFC 2831 §2.1).
const (
	digestInit         = iota // nothing received
	digestResponseSent        // digest-response sent, awaiting rspauth
	digestDone                // rspauth verified
	digestFailed
)

// digestMD5 is the client side of one DIGEST-MD5 exchange, owned by the
// goroutine driving it.
type digestMD5 struct {
	cred      Credentials
	digestURI string
	cnonce    string // fixed client nonce for tests; random when empty
	state     int
	rspauth   string // expected rspauth value (lowercase hex)
}

// DigestMD5 returns the DIGEST-MD5 mechanism (RFC 2831) with qop=auth
// (authentication only, no security layer) and digest-uri service "/" host:
// "xmpp/<domain>" for a client (RFC 6120 does not define it; RFC 3920 §6.1
// and every server accept that), "jabberd-router/localhost" for a jabberd2
// router component.
//
// DIGEST-MD5 is historic (RFC 6331): MD5 is weak and the exchange lets an
// eavesdropper attack the password offline. Select only picks it when no
// SCRAM mechanism is offered (unless Config.AllowDigestMD5WhenScramOffered);
// it is needed for jabberd2's router and for old servers. The server's rspauth is checked whether it comes as a second
// challenge (answered with an empty response) or, as jabberd2 and others do,
// in <success/> (RFC 6120 §6.4.6).
//
// When the server announces charset=utf-8, the username, realm and password
// are hashed in ISO 8859-1 if they fit in it and in UTF-8 otherwise, as
// RFC 2831 §2.1.2.1 requires; the username is always sent in UTF-8.
func DigestMD5(c Credentials, service, host string) Mechanism {
	return &digestMD5{cred: c, digestURI: service + "/" + host}
}

func (m *digestMD5) Name() string { return MechDigestMD5 }

// Start returns nil: DIGEST-MD5 begins with the server's challenge
// (RFC 2831 §2.1.1).
func (m *digestMD5) Start() ([]byte, error) { return nil, nil }

func (m *digestMD5) fail(err error) error {
	m.state = digestFailed
	return err
}

// Next answers the digest-challenge (RFC 2831 §2.1.1) with a digest-response
// (§2.1.2), then checks the response-auth (§2.1.3) of the second challenge.
func (m *digestMD5) Next(challenge []byte) ([]byte, error) {
	switch m.state {
	case digestInit:
		resp, err := m.respond(challenge)
		if err != nil {
			return nil, m.fail(err)
		}
		m.state = digestResponseSent
		return resp, nil
	case digestResponseSent:
		if err := m.checkRspauth(challenge); err != nil {
			return nil, m.fail(err)
		}
		m.state = digestDone
		return nil, nil
	default:
		return nil, m.fail(fmt.Errorf("%w: DIGEST-MD5 challenge in step %d", ErrUnexpectedChallenge, m.state))
	}
}

// Verify checks rspauth carried in <success/>; after a verified rspauth
// challenge an empty <success/> is accepted.
func (m *digestMD5) Verify(success []byte) error {
	switch m.state {
	case digestResponseSent:
		if len(success) == 0 {
			return m.fail(fmt.Errorf("%w: no rspauth from the server", ErrServerSignature))
		}
		if err := m.checkRspauth(success); err != nil {
			return m.fail(err)
		}
		m.state = digestDone
		return nil
	case digestDone:
		if len(success) == 0 {
			return nil
		}
		return m.checkRspauth(success)
	default:
		return m.fail(ErrEarlySuccess)
	}
}

func (m *digestMD5) respond(challenge []byte) ([]byte, error) {
	d, err := parseDirectives(challenge)
	if err != nil {
		return nil, err
	}
	nonce, ok := d.one("nonce")
	if !ok || nonce == "" {
		return nil, fmt.Errorf("%w: DIGEST-MD5 challenge without a single nonce", ErrNonce)
	}
	if alg, _ := d.one("algorithm"); alg != "md5-sess" {
		return nil, fmt.Errorf("%w: DIGEST-MD5 algorithm %q, want md5-sess", ErrMalformed, alg)
	}
	if qop, ok := d.one("qop"); ok && !hasToken(qop, "auth") {
		return nil, fmt.Errorf("%w: DIGEST-MD5 qop %q lacks auth", ErrMalformed, qop)
	}
	charset, _ := d.one("charset")
	utf8Charset := strings.EqualFold(charset, "utf-8")
	realm := ""
	if r := d["realm"]; len(r) > 0 {
		realm = r[0]
	}
	if strings.ContainsAny(m.cred.Username+m.cred.Authzid+m.digestURI, "\x00") {
		return nil, fmt.Errorf("%w: NUL byte in DIGEST-MD5 credentials", ErrCredentials)
	}

	cnonce := m.cnonce
	if cnonce == "" {
		var raw [24]byte
		rand.Read(raw[:])
		cnonce = base64.StdEncoding.EncodeToString(raw[:])
	}
	const nc = "00000001"

	// A1 = { H({ username-value, ":", realm-value, ":", passwd }),
	//        ":", nonce-value, ":", cnonce-value [":" authzid-value] }
	secret := md5.New()
	secret.Write(digestString(m.cred.Username, utf8Charset))
	secret.Write([]byte(":"))
	secret.Write(digestString(realm, utf8Charset))
	secret.Write([]byte(":"))
	secret.Write(digestString(m.cred.Password, utf8Charset))
	a1 := secret.Sum(nil)
	a1 = append(a1, ":"+nonce+":"+cnonce...)
	if m.cred.Authzid != "" {
		a1 = append(a1, ":"+m.cred.Authzid...)
	}
	ha1 := hexMD5(a1)
	kd := func(a2 string) string {
		return hexMD5([]byte(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + hexMD5([]byte(a2))))
	}
	response := kd("AUTHENTICATE:" + m.digestURI)
	m.rspauth = kd(":" + m.digestURI)

	var b []byte
	b = appendDirective(b, "username", m.cred.Username, true)
	if len(d["realm"]) > 0 {
		b = appendDirective(b, "realm", realm, true)
	}
	b = appendDirective(b, "nonce", nonce, true)
	b = appendDirective(b, "cnonce", cnonce, true)
	b = appendDirective(b, "nc", nc, false)
	b = appendDirective(b, "qop", "auth", false)
	b = appendDirective(b, "digest-uri", m.digestURI, true)
	b = appendDirective(b, "response", response, false)
	if utf8Charset {
		b = appendDirective(b, "charset", "utf-8", false)
	}
	if m.cred.Authzid != "" {
		b = appendDirective(b, "authzid", m.cred.Authzid, true)
	}
	return b, nil
}

// checkRspauth compares response-auth = "rspauth" "=" response-value
// (RFC 2831 §2.1.3).
func (m *digestMD5) checkRspauth(msg []byte) error {
	d, err := parseDirectives(msg)
	if err != nil {
		return err
	}
	got, ok := d.one("rspauth")
	if !ok {
		return fmt.Errorf("%w: no rspauth in %q", ErrServerSignature, clip(msg))
	}
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(m.rspauth)) != 1 {
		return ErrServerSignature
	}
	return nil
}

// digestString returns s as hashed by RFC 2831 §2.1.2.1: in ISO 8859-1 when
// the charset is UTF-8 and every character fits, else the bytes as given.
func digestString(s string, utf8Charset bool) []byte {
	if !utf8Charset || !utf8.ValidString(s) {
		return []byte(s)
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return []byte(s)
		}
		out = append(out, byte(r))
	}
	return out
}

func hexMD5(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}
