package jid

// MaxPartLen is the largest size in bytes of a localpart, domainpart or
// resourcepart after preparation and enforcement (RFC 7622 §3.2, §3.3, §3.4).
const MaxPartLen = 1023

// JID is an XMPP address, localpart@domainpart/resourcepart (RFC 7622 §3).
//
// A JID is an immutable value in canonical form: every JID obtained from
// Parse, New or the With* methods has had each part prepared and enforced
// with its profile, so two JIDs are the same address exactly when they are
// == (like net/netip.Addr). JIDs are comparable and may be used as map keys.
// The zero value is the empty JID, which is not a valid address.
type JID struct {
	// s is the canonical form "local@domain/resource" (with "local@" and
	// "/resource" left out when empty). dom and res are offsets into s; they
	// follow from s alone, which keeps == equal to address equality.
	s   string
	dom uint16 // start of the domainpart: 0, or index of '@' plus one
	res uint16 // index of the '/' before the resourcepart, or len(s)
}

// String returns the canonical string form of j (RFC 7622 §3.1), or "" for
// the zero JID.
func (j JID) String() string { return j.s }

// Localpart returns the localpart of j (RFC 7622 §3.3), or "" if it has none.
func (j JID) Localpart() string {
	if j.dom == 0 {
		return ""
	}
	return j.s[:j.dom-1]
}

// Domainpart returns the domainpart of j (RFC 7622 §3.2).
func (j JID) Domainpart() string { return j.s[j.dom:j.res] }

// Resourcepart returns the resourcepart of j (RFC 7622 §3.4), or "" if it
// has none.
func (j JID) Resourcepart() string {
	if int(j.res) >= len(j.s) {
		return ""
	}
	return j.s[j.res+1:]
}

// Bare returns j without its resourcepart, the "bare JID" of RFC 6120 §1.4.
// It does not allocate.
func (j JID) Bare() JID {
	return JID{s: j.s[:j.res], dom: j.dom, res: j.res}
}

// Domain returns the JID made of j's domainpart only (RFC 7622 §3.2).
// It does not allocate.
func (j JID) Domain() JID {
	return JID{s: j.s[j.dom:j.res], res: j.res - j.dom}
}

// IsZero reports whether j is the zero (empty) JID.
func (j JID) IsZero() bool { return j.s == "" }

// IsBare reports whether j is a non-zero JID without a resourcepart
// (RFC 6120 §1.4).
func (j JID) IsBare() bool { return j.s != "" && int(j.res) == len(j.s) }

// IsDomain reports whether j is a non-zero JID with only a domainpart, such
// as the address of a server or component (RFC 7622 §3.2).
func (j JID) IsDomain() bool { return j.s != "" && j.dom == 0 && int(j.res) == len(j.s) }

// Equal reports whether j and o are the same address. Because JIDs are kept
// in canonical form (RFC 7622 §3), this is the same as j == o.
func (j JID) Equal(o JID) bool { return j == o }

// WithResource returns j with its resourcepart replaced by r, prepared and
// enforced with the OpaqueString profile (RFC 7622 §3.4). An empty r returns
// the bare JID.
func (j JID) WithResource(r string) (JID, error) {
	if j.IsZero() {
		return JID{}, errEmpty(PartDomain)
	}
	if r == "" {
		return j.Bare(), nil
	}
	r, err := prepResource(r)
	if err != nil {
		return JID{}, err
	}
	return JID{s: j.s[:j.res] + "/" + r, dom: j.dom, res: j.res}, nil
}

// WithLocal returns j with its localpart replaced by l, prepared and enforced
// with the UsernameCaseMapped profile (RFC 7622 §3.3). An empty l removes the
// localpart.
func (j JID) WithLocal(l string) (JID, error) {
	if j.IsZero() {
		return JID{}, errEmpty(PartDomain)
	}
	if l == "" {
		return JID{s: j.s[j.dom:], res: j.res - j.dom}, nil
	}
	l, err := prepLocal(l)
	if err != nil {
		return JID{}, err
	}
	return build(l, j.Domainpart(), j.Resourcepart()), nil
}

// build joins already-canonical parts. domain must not be empty.
func build(local, domain, resource string) JID {
	n := len(domain)
	if local != "" {
		n += len(local) + 1
	}
	if resource != "" {
		n += len(resource) + 1
	}
	b := make([]byte, 0, n)
	var j JID
	if local != "" {
		b = append(b, local...)
		b = append(b, '@')
		j.dom = uint16(len(b))
	}
	b = append(b, domain...)
	j.res = uint16(len(b))
	if resource != "" {
		b = append(b, '/')
		b = append(b, resource...)
	}
	j.s = string(b)
	return j
}
