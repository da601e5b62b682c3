package sasl

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzScram feeds arbitrary server-first and server-final messages to a
// SCRAM-SHA-1 client with the fixed nonce "abc": it must never panic, a
// client-final it produces must be well formed, and a server-final can only
// verify if it is the signature the client computed.
func FuzzScram(f *testing.F) {
	f.Add([]byte("r=abcdef,s=QSXCR+Q6sek8bf92,i=16"), []byte("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="), false)
	f.Add([]byte("m=x,r=abcdef,s=QSXCR+Q6sek8bf92,i=16"), []byte("e=other-error"), true)
	f.Add([]byte("r=abc,s=,i="), []byte(""), false)
	f.Fuzz(func(t *testing.T, serverFirst, serverFinal []byte, asChallenge bool) {
		m := ScramSHA1(Credentials{Username: "user", Password: "pencil"}, nil,
			withNonce("abc"), WithMinIterations(1), WithMaxIterations(64))
		if _, err := m.Start(); err != nil {
			t.Fatal(err)
		}
		final, err := m.Next(serverFirst)
		if err != nil {
			if m.Verify(serverFinal) == nil {
				t.Fatal("Verify succeeded after a failed exchange")
			}
			return
		}
		if !bytes.HasPrefix(final, []byte("c=biws,r=abc")) || !bytes.Contains(final, []byte(",p=")) {
			t.Fatalf("client-final %q", final)
		}
		if asChallenge {
			_, err = m.Next(serverFinal)
		} else {
			err = m.Verify(serverFinal)
		}
		if err == nil {
			sig := m.(*scram).serverSig
			v, _ := decodeB64(bytes.TrimPrefix(bytes.SplitN(serverFinal, []byte(","), 2)[0], []byte("v=")))
			if !bytes.Equal(v, sig) {
				t.Fatalf("server-final %q accepted without the right signature", serverFinal)
			}
		} else if errors.Is(err, ErrEarlySuccess) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzDigestMD5 feeds arbitrary challenges and success data to DIGEST-MD5.
// A response it produces must re-parse with the same nonce.
func FuzzDigestMD5(f *testing.F) {
	f.Add([]byte(`realm="jabberd-router", nonce="pyo8G9SvhT5aJlcvVrqGIA==", qop="auth", charset=utf-8, algorithm=md5-sess`), []byte("rspauth=09f62f587779586889c940343a1b69c5"))
	f.Add([]byte(`nonce="a\"b,c",algorithm=md5-sess,qop="auth-int,auth"`), []byte(`rspauth="x"`))
	f.Fuzz(func(t *testing.T, challenge, success []byte) {
		m := DigestMD5(Credentials{Username: `u"\`, Password: "p"}, "xmpp", "example.org")
		resp, err := m.Next(challenge)
		if err != nil {
			return
		}
		d, err := parseDirectives(challenge)
		if err != nil {
			t.Fatalf("accepted a challenge that does not parse: %v", err)
		}
		r, err := parseDirectives(resp)
		if err != nil {
			t.Fatalf("response %q does not parse: %v", resp, err)
		}
		if r["nonce"][0] != d["nonce"][0] || r["username"][0] != `u"\` {
			t.Fatalf("response %q does not carry the nonce/username", resp)
		}
		if m.Verify(success) == nil {
			got, _ := parseDirectives(success)
			if got["rspauth"][0] != m.(*digestMD5).rspauth {
				t.Fatalf("wrong rspauth %q accepted", success)
			}
		}
	})
}
