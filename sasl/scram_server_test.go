package sasl

import (
	"bytes"
	"crypto/hmac"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// testScramServer is the server side of RFC 5802, written independently of
// the client code paths (it parses the client's messages by hand) so that
// the two check each other.
type testScramServer struct {
	h           scramHash
	password    string
	salt        []byte
	iter        int
	nonceSuffix string
	cbType      string // "" = the server offers no binding
	cbData      []byte

	clientFirstBare string
	serverFirst     string
	nonce           string
	gs2             string
}

// first consumes the client-first-message and returns server-first.
func (s *testScramServer) first(msg []byte) (string, error) {
	parts := strings.SplitN(string(msg), ",", 3)
	if len(parts) != 3 {
		return "", fmt.Errorf("client-first %q", msg)
	}
	s.gs2 = parts[0] + "," + parts[1] + ","
	s.clientFirstBare = parts[2]
	var cnonce string
	for _, a := range strings.Split(s.clientFirstBare, ",") {
		if strings.HasPrefix(a, "r=") {
			cnonce = a[2:]
		}
	}
	if cnonce == "" {
		return "", fmt.Errorf("no client nonce in %q", msg)
	}
	s.nonce = cnonce + s.nonceSuffix
	s.serverFirst = "r=" + s.nonce + ",s=" + base64.StdEncoding.EncodeToString(s.salt) + ",i=" + fmt.Sprint(s.iter)
	return s.serverFirst, nil
}

// final checks the client-final-message and returns server-final.
func (s *testScramServer) final(msg []byte) (string, error) {
	without, proof64, ok := strings.Cut(string(msg), ",p=")
	if !ok {
		return "", fmt.Errorf("no proof in %q", msg)
	}
	wantC := base64.StdEncoding.EncodeToString(append([]byte(s.gs2), s.cbData...))
	if s.gs2[0] != 'p' {
		wantC = base64.StdEncoding.EncodeToString([]byte(s.gs2))
	}
	if want := "c=" + wantC + ",r=" + s.nonce; without != want {
		return "e=" + ScramErrChannelBindingsDontMatch, nil
	}
	if strings.HasPrefix(s.gs2, "p=") && s.gs2[2:strings.IndexByte(s.gs2, ',')] != s.cbType {
		return "e=" + ScramErrUnsupportedBindingType, nil
	}
	if strings.HasPrefix(s.gs2, "y") && s.cbType != "" {
		return "e=" + ScramErrServerDoesSupportBinding, nil
	}
	salted, err := pbkdf2Key(s.h.new, s.password, s.salt, s.iter, s.h.new().Size())
	if err != nil {
		return "", err
	}
	mac := func(k []byte, d string) []byte {
		m := hmac.New(s.h.new, k)
		m.Write([]byte(d))
		return m.Sum(nil)
	}
	authMsg := s.clientFirstBare + "," + s.serverFirst + "," + without
	clientKey := mac(salted, "Client Key")
	hh := s.h.new()
	hh.Write(clientKey)
	sig := mac(hh.Sum(nil), authMsg)
	proof, err := base64.StdEncoding.DecodeString(proof64)
	if err != nil || len(proof) != len(sig) {
		return "e=" + ScramErrInvalidEncoding, nil
	}
	got := make([]byte, len(sig))
	subtle.XORBytes(got, proof, sig)
	if !bytes.Equal(got, clientKey) {
		return "e=" + ScramErrInvalidProof, nil
	}
	return "v=" + base64.StdEncoding.EncodeToString(mac(mac(salted, "Server Key"), authMsg)), nil
}
