package sasl

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// The accepted exchange of jabberd2 2.7.0's router (component protocol),
// base64 as on the wire (jabberd2.md §9).
const (
	jd2Challenge = "cmVhbG09ImphYmJlcmQtcm91dGVyIiwgbm9uY2U9InB5bzhHOVN2aFQ1YUpsY3ZWcnFHSUE9PSIsIHFvcD0iYXV0aCIsIGNoYXJzZXQ9dXRmLTgsIGFsZ29yaXRobT1tZDUtc2Vzcw=="
	jd2Response  = "dXNlcm5hbWU9ImNvbXAuamFiYmVyZDIubG9jYWxob3N0IixyZWFsbT0iamFiYmVyZC1yb3V0ZXIiLG5vbmNlPSJweW84RzlTdmhUNWFKbGN2VnJxR0lBPT0iLGNub25jZT0iZG1LdlhTY2E2T2F5Y3oyRzMrUWNHZkhDRjVybDdvMUIiLG5jPTAwMDAwMDAxLHFvcD1hdXRoLGRpZ2VzdC11cmk9ImphYmJlcmQtcm91dGVyL2xvY2FsaG9zdCIscmVzcG9uc2U9MWZlNDY5MDRiOTU3MzEyMzYyMjE5MWQyNDg4Y2RhOTksY2hhcnNldD11dGYtOA=="
	jd2Success   = "cnNwYXV0aD0wOWY2MmY1ODc3Nzk1ODY4ODljOTQwMzQzYTFiNjljNQ=="
)

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDigestMD5Jabberd2 reproduces the real jabberd2 router exchange byte
// for byte: the response (response=1fe46904...) and rspauth in <success/>.
func TestDigestMD5Jabberd2(t *testing.T) {
	m := DigestMD5(Credentials{Username: "comp.jabberd2.localhost", Password: "compsecret"}, "jabberd-router", "localhost")
	m.(*digestMD5).cnonce = "dmKvXSca6Oaycz2G3+QcGfHCF5rl7o1B"
	if m.Name() != "DIGEST-MD5" {
		t.Fatalf("Name = %q", m.Name())
	}
	if init, err := m.Start(); init != nil || err != nil {
		t.Fatalf("Start = %q, %v; want no initial response", init, err)
	}
	resp, err := m.Next(b64(t, jd2Challenge))
	if err != nil {
		t.Fatal(err)
	}
	if want := string(b64(t, jd2Response)); string(resp) != want {
		t.Fatalf("response\n got %s\nwant %s", resp, want)
	}
	if !strings.Contains(string(resp), "response=1fe46904b9573123622191d2488cda99") {
		t.Fatalf("response value differs: %s", resp)
	}
	if err := m.Verify(b64(t, jd2Success)); err != nil {
		t.Fatalf("Verify(rspauth=09f62f58...): %v", err)
	}
}

// TestDigestMD5RFC2831 is the example of RFC 2831 §4 (IMAP), rspauth sent as
// a second challenge.
func TestDigestMD5RFC2831(t *testing.T) {
	m := DigestMD5(Credentials{Username: "chris", Password: "secret"}, "imap", "elwood.innosoft.com")
	m.(*digestMD5).cnonce = "OA6MHXh6VqTrRk"
	resp, err := m.Next([]byte(`realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8`))
	if err != nil {
		t.Fatal(err)
	}
	want := `username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",cnonce="OA6MHXh6VqTrRk",nc=00000001,qop=auth,digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,charset=utf-8`
	if string(resp) != want {
		t.Fatalf("response\n got %s\nwant %s", resp, want)
	}
	if r, err := m.Next([]byte("rspauth=ea40f60335c427b5527b84dbabcdfffd")); err != nil || len(r) != 0 {
		t.Fatalf("Next(rspauth) = %q, %v", r, err)
	}
	if err := m.Verify(nil); err != nil {
		t.Fatalf("Verify(empty) after rspauth challenge: %v", err)
	}
	if _, err := m.Next([]byte("x=y")); !errors.Is(err, ErrUnexpectedChallenge) {
		t.Fatalf("third challenge: %v", err)
	}
}

func TestDigestMD5Errors(t *testing.T) {
	c := Credentials{Username: "u", Password: "p"}
	for i, tc := range []struct {
		challenge string
		want      error
	}{
		0:  {`nonce="abc",algorithm=md5-sess`, nil},
		1:  {` realm = "a,b\"c" , nonce = "n,1" , qop="auth-int, auth" , charset=utf-8,algorithm=md5-sess,maxbuf=65536,,`, nil},
		2:  {`nonce=bare+base64==,algorithm=md5-sess`, nil},
		3:  {`algorithm=md5-sess`, ErrNonce},
		4:  {`nonce="a",nonce="b",algorithm=md5-sess`, ErrNonce},
		5:  {`nonce="a"`, ErrMalformed},
		6:  {`nonce="a",algorithm=md5`, ErrMalformed},
		7:  {`nonce="a",algorithm=md5-sess,qop="auth-conf"`, ErrMalformed},
		8:  {`nonce="a,algorithm=md5-sess`, ErrMalformed},
		9:  {`nonce`, ErrMalformed},
		10: {`=x`, ErrMalformed},
		11: {`nonce="a" junk,algorithm=md5-sess`, ErrMalformed},
		12: {"", ErrNonce},
		13: {strings.Repeat("x=y,", 65) + `nonce="a",algorithm=md5-sess`, ErrMalformed},
	} {
		_, err := DigestMD5(c, "xmpp", "example.org").Next([]byte(tc.challenge))
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%d: Next(%q) = %v, want %v", i, tc.challenge, err, tc.want)
		}
	}

	ok := `realm="r",nonce="n",qop="auth",charset=utf-8,algorithm=md5-sess`
	for i, tc := range []struct {
		success string
		want    error
	}{
		0: {"", ErrServerSignature},
		1: {"rspauth=00000000000000000000000000000000", ErrServerSignature},
		2: {"other=1", ErrServerSignature},
		3: {`rspauth="`, ErrMalformed},
	} {
		m := DigestMD5(c, "xmpp", "example.org")
		if _, err := m.Next([]byte(ok)); err != nil {
			t.Fatal(err)
		}
		if err := m.Verify([]byte(tc.success)); !errors.Is(err, tc.want) {
			t.Errorf("%d: Verify(%q) = %v, want %v", i, tc.success, err, tc.want)
		}
	}
	if err := DigestMD5(c, "xmpp", "x").Verify(nil); !errors.Is(err, ErrEarlySuccess) {
		t.Errorf("Verify before any challenge: %v", err)
	}
}

// TestDigestMD5Quoting: quotes and backslashes in the username are escaped,
// the authzid is sent and hashed, and ISO 8859-1 conversion applies.
func TestDigestMD5Quoting(t *testing.T) {
	m := DigestMD5(Credentials{Username: `a"b\c`, Password: "p", Authzid: "admin@example.org"}, "xmpp", "example.org")
	m.(*digestMD5).cnonce = "c"
	resp, err := m.Next([]byte(`nonce="n",qop="auth",algorithm=md5-sess`))
	if err != nil {
		t.Fatal(err)
	}
	s := string(resp)
	if !strings.HasPrefix(s, `username="a\"b\\c",nonce="n",`) || !strings.HasSuffix(s, `,authzid="admin@example.org"`) ||
		strings.Contains(s, "realm=") || strings.Contains(s, "charset") {
		t.Fatalf("response %s", s)
	}
	d, err := parseDirectives(resp)
	if err != nil || d["username"][0] != `a"b\c` {
		t.Fatalf("re-parse: %v %q", err, d["username"])
	}

	// "é" fits ISO 8859-1: with charset=utf-8 it is hashed as one byte.
	if got := string(digestString("é", true)); got != "\xe9" {
		t.Fatalf("digestString(é) = %q", got)
	}
	if got := string(digestString("é€", true)); got != "é€" {
		t.Fatalf("digestString(é€) = %q", got)
	}
	if got := string(digestString("é", false)); got != "é" {
		t.Fatalf("digestString(é, no charset) = %q", got)
	}
}
