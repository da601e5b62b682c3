package sasl

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// appendSaslname appends s as an RFC 5802 §7 saslname: "=" becomes "=3D"
// and "," becomes "=2C".
func appendSaslname(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '=':
			dst = append(dst, "=3D"...)
		case ',':
			dst = append(dst, "=2C"...)
		default:
			dst = append(dst, s[i])
		}
	}
	return dst
}

// validSaslname reports whether s can be sent as a saslname (RFC 5802 §7:
// UTF-8 without NUL; escaping takes care of "=" and ",").
func validSaslname(s string) bool {
	return !strings.ContainsRune(s, 0) && strings.ToValidUTF8(s, "\uFFFD") == s
}

// validCBName reports whether s is an RFC 5802 §7 cb-name:
// 1*(ALPHA / DIGIT / "." / "-").
func validCBName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// validNonce reports whether s is an RFC 5802 §7 c-nonce:
// 1*printable, printable = %x21-2B / %x2D-7E (no comma).
func validNonce(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < 0x21 || c > 0x7e || c == ',' {
			return false
		}
	}
	return true
}

// attr is one "x=value" of a SCRAM message.
type attr struct {
	name  byte
	value []byte
}

// nextAttr cuts the first attribute off msg and returns it with the rest.
func nextAttr(msg []byte) (a attr, rest []byte, err error) {
	field, rest, _ := bytes.Cut(msg, []byte{','})
	if len(field) < 2 || field[1] != '=' ||
		!('a' <= field[0] && field[0] <= 'z' || 'A' <= field[0] && field[0] <= 'Z') {
		return attr{}, nil, fmt.Errorf("%w: bad attribute %q", ErrMalformed, clip(field))
	}
	return attr{name: field[0], value: field[2:]}, rest, nil
}

// expectAttr cuts the first attribute off msg and checks its name. An "e="
// attribute in its place is the server's error (RFC 5802 §7).
func expectAttr(msg []byte, name byte) ([]byte, []byte, error) {
	a, rest, err := nextAttr(msg)
	if err != nil {
		return nil, nil, err
	}
	if a.name == 'e' && name != 'e' {
		return nil, nil, &ServerError{Value: string(a.value)}
	}
	if a.name != name {
		return nil, nil, fmt.Errorf("%w: got %c= where %c= was expected", ErrMalformed, a.name, name)
	}
	return a.value, rest, nil
}

// decodeB64 decodes standard padded base64 (RFC 5802 §7, base64 per RFC
// 4648 §4), rejecting anything else.
func decodeB64(s []byte) ([]byte, error) {
	dst := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Strict().Decode(dst, s)
	if err != nil || bytes.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("invalid base64")
	}
	return dst[:n], nil
}

// clip shortens untrusted input quoted in error messages.
func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
