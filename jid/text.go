package jid

// MarshalText implements encoding.TextMarshaler. It returns the canonical
// form of j (RFC 7622 §3.1), empty for the zero JID.
func (j JID) MarshalText() ([]byte, error) {
	return []byte(j.s), nil
}

// AppendText implements encoding.TextAppender: it appends the canonical form
// of j to dst.
func (j JID) AppendText(dst []byte) ([]byte, error) {
	return append(dst, j.s...), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. Empty text sets the
// zero JID; anything else is parsed with Parse.
func (j *JID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*j = JID{}
		return nil
	}
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*j = v
	return nil
}
