package jid

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/secure/precis"
)

// prepLocal prepares and enforces a localpart with the PRECIS
// UsernameCaseMapped profile and the extra rules of RFC 7622 §3.3.
// An empty l returns ("", errEmpty).
func prepLocal(l string) (string, error) {
	if l == "" {
		return "", errEmpty(PartLocal)
	}
	if fastLocal(l) {
		return l, nil
	}
	// For printable ASCII, UsernameCaseMapped is just lower-casing.
	if lower, ok := lowerASCII(l); ok && fastLocal(lower) {
		return lower, nil
	}
	return enforceLocal(l)
}

// enforceLocal is prepLocal without the ASCII fast path.
func enforceLocal(l string) (string, error) {
	if !utf8.ValidString(l) {
		return "", errInvalid(PartLocal, "invalid UTF-8")
	}
	out, err := precis.UsernameCaseMapped.String(l)
	if err != nil {
		return "", errInvalid(PartLocal, "rejected by PRECIS UsernameCaseMapped")
	}
	if out == "" {
		return "", errEmpty(PartLocal)
	}
	if len(out) > MaxPartLen {
		return "", errTooLong(PartLocal)
	}
	if i := strings.IndexAny(out, `"&'/:<>@`); i >= 0 {
		return "", errInvalid(PartLocal, "disallowed character "+string(out[i]))
	}
	return out, nil
}

// prepResource prepares and enforces a resourcepart with the PRECIS
// OpaqueString profile (RFC 7622 §3.4). An empty r returns ("", errEmpty).
func prepResource(r string) (string, error) {
	if r == "" {
		return "", errEmpty(PartResource)
	}
	if fastResource(r) {
		return r, nil
	}
	return enforceResource(r)
}

// enforceResource is prepResource without the ASCII fast path.
func enforceResource(r string) (string, error) {
	if !utf8.ValidString(r) {
		return "", errInvalid(PartResource, "invalid UTF-8")
	}
	out, err := precis.OpaqueString.String(r)
	if err != nil {
		return "", errInvalid(PartResource, "rejected by PRECIS OpaqueString")
	}
	if out == "" {
		return "", errEmpty(PartResource)
	}
	if len(out) > MaxPartLen {
		return "", errTooLong(PartResource)
	}
	return out, nil
}

// prepDomain prepares and enforces a domainpart (RFC 7622 §3.2): an IP
// literal is put in canonical form, anything else goes through IDNA2008
// lookup mapping and comes out as lower-case U-labels.
func prepDomain(d string) (string, error) {
	if d == "" {
		return "", errEmpty(PartDomain)
	}
	if fastDomain(d) {
		return d, nil
	}
	// For an ASCII host name, IDNA2008 lookup mapping is just lower-casing.
	if lower, ok := lowerASCII(trimFinalDot(d)); ok && fastDomain(lower) {
		return lower, nil
	}
	return enforceDomain(d)
}

// enforceDomain is prepDomain without the ASCII fast path.
func enforceDomain(d string) (string, error) {
	if d[0] == '[' {
		return prepIPv6(d)
	}
	// RFC 7622 §3.2: strip one final label separator before anything else.
	d = trimFinalDot(d)
	if d == "" {
		return "", errEmpty(PartDomain)
	}
	if isIPv4(d) {
		return d, nil
	}
	if !utf8.ValidString(d) {
		return "", errInvalid(PartDomain, "invalid UTF-8")
	}
	out, err := idna.Lookup.ToUnicode(d)
	if err != nil {
		return "", errInvalid(PartDomain, "rejected by IDNA2008")
	}
	if out == "" {
		return "", errEmpty(PartDomain)
	}
	if len(out) > MaxPartLen {
		return "", errTooLong(PartDomain)
	}
	if strings.HasPrefix(out, ".") || strings.HasSuffix(out, ".") || strings.Contains(out, "..") {
		return "", errInvalid(PartDomain, "empty label")
	}
	last := out[strings.LastIndexByte(out, '.')+1:]
	if allDigits(last) {
		// RFC 3696 §2: a top-level domain is never all-numeric, so this
		// must be an IPv4 literal (RFC 7622 §3.2), in dotted-decimal form
		// without leading zeros.
		if isIPv4(out) {
			return out, nil
		}
		return "", errInvalid(PartDomain, "invalid IPv4 address")
	}
	return out, nil
}

// prepIPv6 handles a bracketed IPv6 literal (RFC 7622 §3.2, RFC 3986
// §3.2.2), returning it in the canonical text form of RFC 5952.
func prepIPv6(d string) (string, error) {
	if len(d) < 2 || d[len(d)-1] != ']' {
		return "", errInvalid(PartDomain, "invalid IPv6 literal")
	}
	a, err := netip.ParseAddr(d[1 : len(d)-1])
	if err != nil || !a.Is6() || a.Zone() != "" {
		return "", errInvalid(PartDomain, "invalid IPv6 literal")
	}
	var buf [64]byte
	canon := a.AppendTo(buf[:0])
	if string(canon) == d[1:len(d)-1] {
		return d, nil // already canonical: no allocation
	}
	return "[" + string(canon) + "]", nil
}

// trimFinalDot removes one trailing label separator: U+002E, U+3002,
// U+FF0E or U+FF61 (RFC 7622 §3.2, RFC 3490 §3.1).
func trimFinalDot(d string) string {
	if strings.HasSuffix(d, ".") {
		return d[:len(d)-1]
	}
	for _, sep := range [...]string{"\u3002", "\uff0e", "\uff61"} {
		if strings.HasSuffix(d, sep) {
			return d[:len(d)-len(sep)]
		}
	}
	return d
}

// lowerASCII returns s with ASCII letters in lower case, or false if s is
// not all ASCII. It allocates only when s has upper-case letters.
func lowerASCII(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
