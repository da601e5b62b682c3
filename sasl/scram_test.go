package sasl

import (
	"bytes"
	"errors"
	"hash"
	"strings"
	"testing"
)

// TestScramVectors replays the exchanges printed in RFC 5802 §5 (SCRAM-SHA-1)
// and RFC 7677 §3 (SCRAM-SHA-256) with their fixed client nonces.
func TestScramVectors(t *testing.T) {
	tests := []struct {
		name                     string
		mech                     func(Credentials, *ChannelBinding, ...ScramOption) Mechanism
		nonce                    string
		clientFirst, serverFirst string
		clientFinal, serverFinal string
	}{
		0: {
			name:        "RFC 5802 §5 SCRAM-SHA-1",
			mech:        ScramSHA1,
			nonce:       "fyko+d2lbbFgONRv9qkxdawL",
			clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
			serverFirst: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
			clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
			serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
		},
		1: {
			name:        "RFC 7677 §3 SCRAM-SHA-256",
			mech:        ScramSHA256,
			nonce:       "rOprNGfwEbeRWgbNEkqO",
			clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
			serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
			clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
			serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
		},
	}
	for i, tc := range tests {
		for _, inSuccess := range []bool{true, false} {
			m := tc.mech(Credentials{Username: "user", Password: "pencil"}, nil, withNonce(tc.nonce))
			first, err := m.Start()
			if err != nil || string(first) != tc.clientFirst {
				t.Fatalf("%d %s: Start = %q, %v; want %q", i, tc.name, first, err, tc.clientFirst)
			}
			final, err := m.Next([]byte(tc.serverFirst))
			if err != nil || string(final) != tc.clientFinal {
				t.Fatalf("%d %s: Next = %q, %v; want %q", i, tc.name, final, err, tc.clientFinal)
			}
			if inSuccess {
				if err := m.Verify([]byte(tc.serverFinal)); err != nil {
					t.Fatalf("%d %s: Verify: %v", i, tc.name, err)
				}
				continue
			}
			// server-final as a challenge, then an empty <success/> (RFC 6120 §6.4.6).
			resp, err := m.Next([]byte(tc.serverFinal))
			if err != nil || len(resp) != 0 {
				t.Fatalf("%d %s: Next(server-final) = %q, %v", i, tc.name, resp, err)
			}
			if err := m.Verify(nil); err != nil {
				t.Fatalf("%d %s: Verify(empty) after challenge: %v", i, tc.name, err)
			}
		}
	}
}

// withNonce fixes the client nonce (RFC test vectors).
func withNonce(n string) ScramOption { return func(o *scramOptions) { o.nonce = n } }

// TestScramPlus runs a SCRAM-SHA-256-PLUS exchange with known binding data
// against the test server, which recomputes c= from its own copy of the data.
func TestScramPlus(t *testing.T) {
	data := []byte("\x01\x02binding-data\xff")
	for i, tc := range []struct {
		clientType, serverType string
		clientData             []byte
		wantErr                error
	}{
		0: {BindingTLSExporter, BindingTLSExporter, data, nil},
		1: {BindingTLSUnique, BindingTLSUnique, data, nil},
		2: {BindingTLSExporter, BindingTLSExporter, []byte("other"), &ServerError{Value: ScramErrChannelBindingsDontMatch}},
		3: {BindingTLSUnique, BindingTLSExporter, data, &ServerError{Value: ScramErrUnsupportedBindingType}},
	} {
		cb := &ChannelBinding{Type: tc.clientType, Data: tc.clientData}
		m := ScramSHA256(Credentials{Username: "juliet", Password: "r0m30"}, cb)
		if m.Name() != "SCRAM-SHA-256-PLUS" {
			t.Fatalf("%d: Name = %q", i, m.Name())
		}
		srv := &testScramServer{h: hashSHA256, password: "r0m30", salt: []byte("salt-salt"), iter: 4096,
			nonceSuffix: "srv", cbType: tc.serverType, cbData: data}
		err := exchange(m, srv)
		if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
			t.Fatalf("%d: exchange: %v, want %v", i, err, tc.wantErr)
		}
		if !strings.HasPrefix(srv.gs2, "p="+tc.clientType+",,") {
			t.Fatalf("%d: gs2 header %q", i, srv.gs2)
		}
	}
}

// exchange runs m against srv, the server-final in <success/>.
func exchange(m Mechanism, srv *testScramServer) error {
	first, err := m.Start()
	if err != nil {
		return err
	}
	sf, err := srv.first(first)
	if err != nil {
		return err
	}
	final, err := m.Next([]byte(sf))
	if err != nil {
		return err
	}
	sfin, err := srv.final(final)
	if err != nil {
		return err
	}
	// An e= reply is reported by Verify as a *ServerError.
	return m.Verify([]byte(sfin))
}

func TestScramAllHashes(t *testing.T) {
	for i, tc := range []struct {
		mech func(Credentials, *ChannelBinding, ...ScramOption) Mechanism
		h    scramHash
		name string
	}{
		0: {ScramSHA1, hashSHA1, "SCRAM-SHA-1"},
		1: {ScramSHA256, hashSHA256, "SCRAM-SHA-256"},
		2: {ScramSHA512, hashSHA512, "SCRAM-SHA-512"},
	} {
		c := Credentials{Username: "a,b=c", Password: "pässword", Authzid: "admin@example.org"}
		m := tc.mech(c, nil)
		if m.Name() != tc.name {
			t.Fatalf("%d: Name = %q", i, m.Name())
		}
		srv := &testScramServer{h: tc.h, password: c.Password, salt: []byte{0, 1, 2, 3}, iter: 4096, nonceSuffix: "xyz"}
		if err := exchange(m, srv); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if srv.gs2 != "n,a=admin@example.org," || !strings.HasPrefix(srv.clientFirstBare, "n=a=2Cb=3Dc,r=") {
			t.Fatalf("%d: gs2 %q, bare %q", i, srv.gs2, srv.clientFirstBare)
		}
		wrong := &testScramServer{h: tc.h, password: "other", salt: []byte{0, 1, 2, 3}, iter: 4096, nonceSuffix: "xyz"}
		if err := exchange(tc.mech(c, nil), wrong); !errors.Is(err, &ServerError{Value: ScramErrInvalidProof}) {
			t.Fatalf("%d: wrong password: %v", i, err)
		}
	}
}

// TestScramGS2Flag checks the "y" flag of WithBindingSupported and that a
// binding overrides it.
func TestScramGS2Flag(t *testing.T) {
	c := Credentials{Username: "u", Password: "p"}
	for i, tc := range []struct {
		m    Mechanism
		want string
	}{
		0: {ScramSHA1(c, nil), "n,,n=u,r="},
		1: {ScramSHA1(c, nil, WithBindingSupported()), "y,,n=u,r="},
		2: {ScramSHA1(c, &ChannelBinding{Type: "tls-unique", Data: []byte{1}}, WithBindingSupported()), "p=tls-unique,,n=u,r="},
	} {
		first, err := tc.m.Start()
		if err != nil || !strings.HasPrefix(string(first), tc.want) {
			t.Fatalf("%d: Start = %q, %v; want prefix %q", i, first, err, tc.want)
		}
	}
	// A "y" client against a server that supports binding is refused.
	srv := &testScramServer{h: hashSHA1, password: "p", salt: []byte("s"), iter: 4096, nonceSuffix: "x", cbType: "tls-unique"}
	err := exchange(ScramSHA1(c, nil, WithBindingSupported()), srv)
	if !errors.Is(err, &ServerError{Value: ScramErrServerDoesSupportBinding}) {
		t.Fatalf("y against binding server: %v", err)
	}
}

// TestScramServerFirstErrors feeds bad server-first-messages.
func TestScramServerFirstErrors(t *testing.T) {
	const n = "fyko+d2lbbFgONRv9qkxdawL"
	for i, tc := range []struct {
		serverFirst string
		opts        []ScramOption
		want        error
	}{
		0:  {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=4096", nil, nil},
		1:  {"r=" + n + ",s=QSXCR+Q6sek8bf92,i=4096", nil, ErrNonce},    // not extended
		2:  {"r=abc" + n + ",s=QSXCR+Q6sek8bf92,i=4096", nil, ErrNonce}, // not a prefix
		3:  {"r=fyko+d2lbbFgONRv9qkxdaw,s=QSXCR+Q6sek8bf92,i=4096", nil, ErrNonce},
		4:  {"r=" + n + "X\x01,s=QSXCR+Q6sek8bf92,i=4096", nil, ErrNonce}, // control char
		5:  {"r=" + n + "X,s=QSXCR+Q6sek8bf9,i=4096", nil, ErrSalt},       // bad base64
		6:  {"r=" + n + "X,s=,i=4096", nil, ErrSalt},                      // empty salt
		7:  {"r=" + n + "X,s=QSXC\nR+Q6sek8bf92,i=4096", nil, ErrSalt},    // newline
		8:  {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=99999999999", nil, ErrIterations},
		9:  {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=1000001", nil, ErrIterations},
		10: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=2000000", []ScramOption{WithMaxIterations(1_999_999)}, ErrIterations},
		11: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=4095", nil, ErrIterations},
		12: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=1", []ScramOption{WithMinIterations(1)}, nil},
		13: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=-4096", nil, ErrIterations},
		14: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=+4096", nil, ErrIterations},
		15: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=", nil, ErrIterations},
		16: {"m=ext,r=" + n + "X,s=QSXCR+Q6sek8bf92,i=4096", nil, ErrExtension},
		17: {"s=QSXCR+Q6sek8bf92,r=" + n + "X,i=4096", nil, ErrMalformed},
		18: {"r=" + n + "X,s=QSXCR+Q6sek8bf92", nil, ErrMalformed},
		19: {"", nil, ErrMalformed},
		20: {"e=unknown-user", nil, &ServerError{Value: ScramErrUnknownUser}},
		21: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=4096,x=future", nil, nil}, // extensions ignored
		22: {"r=" + n + "X,s=QSXCR+Q6sek8bf92,i=4096,", nil, nil},
	} {
		opts := append([]ScramOption{withNonce(n)}, tc.opts...)
		m := ScramSHA1(Credentials{Username: "user", Password: "pencil"}, nil, opts...)
		if _, err := m.Start(); err != nil {
			t.Fatal(err)
		}
		_, err := m.Next([]byte(tc.serverFirst))
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%d: Next(%q) = %v, want %v", i, tc.serverFirst, err, tc.want)
		}
		if tc.want != nil && !errors.Is(m.Verify(nil), ErrEarlySuccess) {
			t.Errorf("%d: Verify after failure should report ErrEarlySuccess", i)
		}
	}
}

// TestScramServerFinalErrors checks the server signature checks.
func TestScramServerFinalErrors(t *testing.T) {
	const (
		n     = "fyko+d2lbbFgONRv9qkxdawL"
		first = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"
	)
	for i, tc := range []struct {
		final string
		want  error
	}{
		0: {"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", nil},
		1: {"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=,x=ext", nil},
		2: {"v=rmF9pqV8S7suAoZWja4dJRkFsKA=", ErrServerSignature},
		3: {"v=rmF9pqV8S7suAoZWja4dJRkFsK", ErrServerSignature},
		4: {"v=", ErrServerSignature},
		5: {"", ErrServerSignature},
		6: {"e=invalid-proof", &ServerError{Value: ScramErrInvalidProof}},
		7: {"e=other-error", &ServerError{}},
		8: {"r=xyz", ErrMalformed},
		9: {"garbage", ErrMalformed},
	} {
		m := ScramSHA1(Credentials{Username: "user", Password: "pencil"}, nil, withNonce(n))
		m.Start()
		if _, err := m.Next([]byte(first)); err != nil {
			t.Fatal(err)
		}
		err := m.Verify([]byte(tc.final))
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%d: Verify(%q) = %v, want %v", i, tc.final, err, tc.want)
		}
	}
}

func TestScramOrder(t *testing.T) {
	c := Credentials{Username: "user", Password: "pencil"}
	m := ScramSHA1(c, nil)
	if err := m.Verify(nil); !errors.Is(err, ErrEarlySuccess) {
		t.Errorf("Verify before Start: %v", err)
	}
	m = ScramSHA1(c, nil)
	m.Start()
	if err := m.Verify([]byte("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")); !errors.Is(err, ErrEarlySuccess) {
		t.Errorf("Verify after client-first: %v", err)
	}
	m = ScramSHA1(c, nil, withNonce("fyko+d2lbbFgONRv9qkxdawL"))
	m.Start()
	m.Next([]byte("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"))
	m.Next([]byte("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="))
	if _, err := m.Next([]byte("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")); !errors.Is(err, ErrUnexpectedChallenge) {
		t.Errorf("third challenge: %v", err)
	}
	for i, bad := range []Credentials{{}, {Username: "a\x00b"}, {Username: "\xff"}, {Username: "u", Authzid: "\x00"}} {
		if _, err := ScramSHA256(bad, nil).Start(); !errors.Is(err, ErrCredentials) {
			t.Errorf("%d: Start with %q: %v", i, bad.Username, err)
		}
	}
	if _, err := ScramSHA256(c, &ChannelBinding{Type: "bad type"}).Start(); !errors.Is(err, ErrNoChannelBinding) {
		t.Errorf("bad cb type: %v", err)
	}
}

func TestScramRandNonce(t *testing.T) {
	r := bytes.NewReader(bytes.Repeat([]byte{0xfb}, 24))
	first, err := ScramSHA1(Credentials{Username: "u", Password: "p"}, nil, WithRand(r)).Start()
	if err != nil || string(first) != "n,,n=u,r="+strings.Repeat("+/v7", 8) {
		t.Fatalf("Start = %q, %v", first, err)
	}
	if _, err := ScramSHA1(Credentials{Username: "u"}, nil, WithRand(bytes.NewReader(nil))).Start(); err == nil {
		t.Fatal("Start with an empty random source succeeded")
	}
	a, _ := ScramSHA1(Credentials{Username: "u"}, nil).Start()
	b, _ := ScramSHA1(Credentials{Username: "u"}, nil).Start()
	if bytes.Equal(a, b) {
		t.Fatalf("two crypto/rand nonces are equal: %q", a)
	}
}

// countPBKDF2 replaces the PBKDF2 hook with one that counts its calls.
func countPBKDF2(t *testing.T) *int {
	t.Helper()
	orig := pbkdf2Key
	n := new(int)
	pbkdf2Key = func(h func() hash.Hash, password string, salt []byte, iter, keyLen int) ([]byte, error) {
		*n++
		return orig(h, password, salt, iter, keyLen)
	}
	t.Cleanup(func() { pbkdf2Key = orig })
	return n
}

// TestSaltCache: a second login with the same salt and count does not run
// PBKDF2; another salt, count, password or hash does.
func TestSaltCache(t *testing.T) {
	calls := countPBKDF2(t)
	cache := NewSaltCache(0)
	login := func(mech func(Credentials, *ChannelBinding, ...ScramOption) Mechanism, h scramHash, pass string, salt string, iter int) {
		t.Helper()
		srv := &testScramServer{h: h, password: pass, salt: []byte(salt), iter: iter, nonceSuffix: "s"}
		if err := exchange(mech(Credentials{Username: "u", Password: pass}, nil, WithSaltCache(cache)), srv); err != nil {
			t.Fatal(err)
		}
	}
	for i, step := range []struct {
		mech      func(Credentials, *ChannelBinding, ...ScramOption) Mechanism
		h         scramHash
		pass      string
		salt      string
		iter      int
		wantCalls int // client + server derivations so far
	}{
		0: {ScramSHA256, hashSHA256, "pw", "salt1", 4096, 2},
		1: {ScramSHA256, hashSHA256, "pw", "salt1", 4096, 3}, // client cached: only the server derives
		2: {ScramSHA256, hashSHA256, "pw", "salt2", 4096, 5},
		3: {ScramSHA256, hashSHA256, "pw", "salt1", 4097, 7},
		4: {ScramSHA256, hashSHA256, "pw2", "salt1", 4096, 9},
		5: {ScramSHA1, hashSHA1, "pw", "salt1", 4096, 11},
		6: {ScramSHA1, hashSHA1, "pw", "salt1", 4096, 12},
	} {
		login(step.mech, step.h, step.pass, step.salt, step.iter)
		if *calls != step.wantCalls {
			t.Fatalf("%d: %d PBKDF2 runs, want %d", i, *calls, step.wantCalls)
		}
	}
	if cache.Len() != 5 {
		t.Fatalf("Len = %d, want 5", cache.Len())
	}
	cache.Clear()
	login(ScramSHA256, hashSHA256, "pw", "salt1", 4096)
	if *calls != 14 {
		t.Fatalf("after Clear: %d PBKDF2 runs, want 14", *calls)
	}
}

func TestSaltCacheEviction(t *testing.T) {
	c := NewSaltCache(2)
	c.store("h", "p", []byte("1"), 1, []byte("a"))
	c.store("h", "p", []byte("2"), 1, []byte("b"))
	c.store("h", "p", []byte("3"), 1, []byte("c"))
	if _, ok := c.load("h", "p", []byte("1"), 1); ok {
		t.Fatal("oldest entry not evicted")
	}
	if v, ok := c.load("h", "p", []byte("3"), 1); !ok || string(v) != "c" {
		t.Fatalf("newest entry: %q %v", v, ok)
	}
	if v, ok := c.load("h", "p", []byte("2"), 1); !ok || string(v) != "b" {
		t.Fatalf("second entry: %q %v", v, ok)
	}
	c.store("h", "p", []byte("4"), 1, []byte("d"))
	if _, ok := c.load("h", "p", []byte("2"), 1); ok {
		t.Fatal("second entry not evicted after the first")
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d", c.Len())
	}
}

// TestSaltCacheConcurrent logs in from several goroutines sharing one cache
// (run with -race).
func TestSaltCacheConcurrent(t *testing.T) {
	cache := NewSaltCache(0)
	errc := make(chan error, 8)
	for i := range 8 {
		go func() {
			srv := &testScramServer{h: hashSHA1, password: "pw", salt: []byte{byte(i % 2)}, iter: 4096, nonceSuffix: "s"}
			errc <- exchange(ScramSHA1(Credentials{Username: "u", Password: "pw"}, nil, WithSaltCache(cache)), srv)
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if cache.Len() != 2 {
		t.Fatalf("Len = %d, want 2", cache.Len())
	}
}
