package xmppraw

import (
	"bytes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"strconv"
)

const nsSASL = "urn:ietf:params:xml:ns:xmpp-sasl"

// plain logs in with SASL PLAIN (RFC 4616).
func (c *Conn) plain(a Account) error {
	msg := base64.StdEncoding.EncodeToString([]byte("\x00" + a.User + "\x00" + a.Password))
	if _, err := fmt.Fprintf(c.Conn, "<auth xmlns='%s' mechanism='PLAIN'>%s</auth>", nsSASL, msg); err != nil {
		return err
	}
	_, err := c.element("success")
	return err
}

// scram logs in with SCRAM-SHA-1 or SCRAM-SHA-256 without channel binding
// (RFC 5802 §5, gs2 header "n,,"), verifying the server's signature.
func (c *Conn) scram(a Account) error {
	h := sha1.New
	if c.Mech == "SCRAM-SHA-256" {
		h = sha256.New
	}
	nonce := rand.Text()
	first := "n=" + a.User + ",r=" + nonce
	if _, err := fmt.Fprintf(c.Conn, "<auth xmlns='%s' mechanism='%s'>%s</auth>", nsSASL, c.Mech,
		base64.StdEncoding.EncodeToString([]byte("n,,"+first))); err != nil {
		return err
	}
	ch, err := c.element("challenge")
	if err != nil {
		return err
	}
	serverFirst, err := base64.StdEncoding.DecodeString(string(between(ch, ">", "<")))
	if err != nil {
		return err
	}
	var r, s, i []byte
	for _, f := range bytes.Split(serverFirst, []byte(",")) {
		if len(f) < 2 || f[1] != '=' {
			continue
		}
		switch f[0] {
		case 'r':
			r = f[2:]
		case 's':
			s = f[2:]
		case 'i':
			i = f[2:]
		}
	}
	if !bytes.HasPrefix(r, []byte(nonce)) {
		return fmt.Errorf("scram: server nonce %q does not extend ours", r)
	}
	salt, err := base64.StdEncoding.DecodeString(string(s))
	if err != nil {
		return err
	}
	iter, err := strconv.Atoi(string(i))
	if err != nil || iter < 1 || iter > 1<<20 {
		return fmt.Errorf("scram: iteration count %q", i)
	}
	salted, err := pbkdf2.Key(h, a.Password, salt, iter, h().Size())
	if err != nil {
		return err
	}
	clientKey := mac(h, salted, "Client Key")
	sum := h()
	sum.Write(clientKey)
	stored := sum.Sum(nil)
	final := "c=biws,r=" + string(r)
	authMsg := first + "," + string(serverFirst) + "," + final
	proof := mac(h, stored, authMsg)
	for k := range proof {
		proof[k] ^= clientKey[k]
	}
	if _, err := fmt.Fprintf(c.Conn, "<response xmlns='%s'>%s</response>", nsSASL,
		base64.StdEncoding.EncodeToString([]byte(final+",p="+base64.StdEncoding.EncodeToString(proof)))); err != nil {
		return err
	}
	ok, err := c.element("success")
	if err != nil {
		return err
	}
	v, err := base64.StdEncoding.DecodeString(string(between(ok, ">", "<")))
	if err != nil {
		return err
	}
	want := "v=" + base64.StdEncoding.EncodeToString(mac(h, mac(h, salted, "Server Key"), authMsg))
	if string(v) != want {
		return fmt.Errorf("scram: bad server signature")
	}
	return nil
}

func mac(h func() hash.Hash, key []byte, msg string) []byte {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
