package jid

// Eight bytes at a time (SWAR): the fast path checks the domainpart and the
// resourcepart of an ASCII address a word at a time instead of byte by
// byte. Each test below sets the high bit of every byte of a word that
// fails it; as long as every byte of the word is ASCII (high bit clear), no
// sum carries from one byte into the next, so the masks are exact.

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// load returns s[i:i+8] as a little-endian word (the compiler makes it one
// load).
func load(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// inRange marks the bytes of the ASCII word x in [lo, hi].
func inRange(x uint64, lo, hi byte) uint64 {
	return (x + lo8*uint64(0x80-lo)) &^ (x + lo8*uint64(0x7f-hi)) & hi8
}

// notDomain marks the bytes of the ASCII word x that are not [a-z0-9]
// (fDomain).
func notDomain(x uint64) uint64 {
	return ^(inRange(x, 'a', 'z') | inRange(x, '0', '9')) & hi8
}

// notResource reports, for any word x, whether a byte is outside printable
// ASCII with space (0x20 to 0x7E): the non-ASCII bytes are marked by their
// own high bit, and a carry they cause can only wrongly clear a mark in a
// word that is refused anyway.
func notResource(x uint64) uint64 {
	return x&hi8 | ^inRange(x, 0x20, 0x7e)&hi8
}
