package xmlstream

// ParseVersion reads a stream header's version attribute (RFC 6120 §4.7.5):
// "major.minor", two non-negative integers whose leading zeros are ignored
// ("01.02" is 1.2). A header without a version comes from a pre-XMPP
// (Jabber 0.9) peer and reads as 0.9. ok is false for anything else; a
// version the receiver does not support is an unsupported-version stream
// error (RFC 6120 §4.9.3.25).
func ParseVersion(v string) (major, minor int, ok bool) {
	if v == "" {
		return 0, 9, true
	}
	major, rest, ok := versionNumber(v)
	if !ok || rest == "" || rest[0] != '.' {
		return 0, 0, false
	}
	minor, rest, ok = versionNumber(rest[1:])
	if !ok || rest != "" {
		return 0, 0, false
	}
	return major, minor, true
}

// versionNumber reads the decimal number at the start of s, at most nine
// digits once leading zeros are dropped.
func versionNumber(s string) (n int, rest string, ok bool) {
	i, digits := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n == 0 && s[i] == '0' {
			continue
		}
		if digits++; digits > 9 {
			return 0, "", false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, s[i:], i > 0
}
