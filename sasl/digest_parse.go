package sasl

import (
	"fmt"
	"strings"
)

// directives are the name=value pairs of a DIGEST-MD5 challenge (RFC 2831
// §7.1 #rule), names lower-cased, values unquoted, in order of appearance.
type directives map[string][]string

// one returns the value of a directive that must occur at most once.
func (d directives) one(name string) (string, bool) {
	v := d[name]
	if len(v) != 1 {
		return "", false
	}
	return v[0], true
}

// maxDirectives bounds the work a hostile challenge can cause.
const maxDirectives = 64

// parseDirectives parses 1#( token "=" ( token | quoted-string ) ) with
// optional linear white space around the commas and "=" (RFC 2831 §7.1,
// RFC 2616 §2.2); quoted strings may hold commas and backslash escapes.
func parseDirectives(b []byte) (directives, error) {
	d := directives{}
	i, n := 0, 0
	skip := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
			i++
		}
	}
	for {
		skip()
		for i < len(b) && b[i] == ',' { // empty list elements are allowed
			i++
			skip()
		}
		if i == len(b) {
			break
		}
		start := i
		for i < len(b) && isTokenChar(b[i]) {
			i++
		}
		name := strings.ToLower(string(b[start:i]))
		skip()
		if name == "" || i == len(b) || b[i] != '=' {
			return nil, fmt.Errorf("%w: DIGEST-MD5 directive expected at byte %d", ErrMalformed, start)
		}
		i++
		skip()
		var value []byte
		if i < len(b) && b[i] == '"' {
			i++
			closed := false
			for i < len(b) {
				c := b[i]
				i++
				if c == '\\' && i < len(b) {
					value = append(value, b[i])
					i++
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				value = append(value, c)
			}
			if !closed {
				return nil, fmt.Errorf("%w: unterminated quoted string in DIGEST-MD5 directive %q", ErrMalformed, name)
			}
		} else {
			// Unquoted: a token, leniently up to the next comma or
			// space (some servers send base64 nonces unquoted).
			vs := i
			for i < len(b) && b[i] != ',' && b[i] != ' ' && b[i] != '\t' && b[i] != '"' {
				i++
			}
			value = b[vs:i]
		}
		if n++; n > maxDirectives {
			return nil, fmt.Errorf("%w: too many DIGEST-MD5 directives", ErrMalformed)
		}
		d[name] = append(d[name], string(value))
		skip()
		if i < len(b) && b[i] != ',' {
			return nil, fmt.Errorf("%w: junk after DIGEST-MD5 directive %q", ErrMalformed, name)
		}
	}
	return d, nil
}

// isTokenChar reports whether c may appear in an RFC 2616 §2.2 token.
func isTokenChar(c byte) bool {
	if c <= 32 || c >= 127 {
		return false
	}
	return !strings.ContainsRune("()<>@,;:\\\"/[]?={}", rune(c))
}

// hasToken reports whether the comma-separated list contains tok.
func hasToken(list, tok string) bool {
	for f := range strings.SplitSeq(list, ",") {
		if strings.EqualFold(strings.TrimSpace(f), tok) {
			return true
		}
	}
	return false
}

// appendDirective appends [","] name "=" value, quoting value when asked
// (RFC 2831 §2.1.2, quoted-string with "\" before '"' and '\').
func appendDirective(dst []byte, name, value string, quote bool) []byte {
	if len(dst) > 0 {
		dst = append(dst, ',')
	}
	dst = append(append(dst, name...), '=')
	if !quote {
		return append(dst, value...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(value); i++ {
		if value[i] == '"' || value[i] == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, value[i])
	}
	return append(dst, '"')
}
