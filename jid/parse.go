package jid

import "strings"

// Parse parses s as a JID and returns it in canonical form (RFC 7622 §3).
//
// s is split before any transformation (RFC 7622 §3.1): the resourcepart is
// everything after the first '/', and the localpart is everything before the
// first '@' that precedes it. Each part is then prepared and enforced: the
// localpart with the PRECIS UsernameCaseMapped profile (§3.3), the
// domainpart with IDNA2008 after removing one trailing dot, or as an IPv4 or
// bracketed IPv6 literal (§3.2), and the resourcepart with the PRECIS
// OpaqueString profile (§3.4). A "@" with an empty localpart, a "/" with an
// empty resourcepart, a missing domainpart and any part longer than
// MaxPartLen bytes after enforcement are errors.
//
// Parse does not allocate when s is already in canonical ASCII form, as
// addresses on the wire usually are: the JID then shares s's memory.
func Parse(s string) (JID, error) {
	if j, ok := parseFast(s); ok {
		return j, nil
	}
	local, domain, resource, err := split(s)
	if err != nil {
		return JID{}, err
	}
	return newJID(s, local, domain, resource, true)
}

// MustParse is like Parse but panics if s is not a valid JID. It is meant
// for constants in programs and tests.
func MustParse(s string) JID {
	j, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return j
}

// New returns the JID with the given parts, each prepared and enforced with
// its profile as in Parse (RFC 7622 §3.2-§3.4). An empty local or resource
// means the JID has no such part; domain is required.
func New(local, domain, resource string) (JID, error) {
	return newJID("", local, domain, resource, false)
}

// split divides s at the first '/' and the first '@' before it
// (RFC 7622 §3.1 and the parsing steps of §3.2).
func split(s string) (local, domain, resource string, err error) {
	rest := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		rest, resource = s[:i], s[i+1:]
		if resource == "" {
			return "", "", "", errEmpty(PartResource)
		}
	}
	domain = rest
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		local, domain = rest[:i], rest[i+1:]
		if local == "" {
			return "", "", "", errEmpty(PartLocal)
		}
	}
	return local, domain, resource, nil
}

// newJID enforces each part and assembles the JID. When orig is the string
// the parts were split from (fromOrig) and enforcement changed nothing, the
// JID keeps orig instead of building a new string.
func newJID(orig, local, domain, resource string, fromOrig bool) (JID, error) {
	l, err := prepLocal(local)
	if err != nil && local != "" {
		return JID{}, err
	}
	d, err := prepDomain(domain)
	if err != nil {
		return JID{}, err
	}
	r, err := prepResource(resource)
	if err != nil && resource != "" {
		return JID{}, err
	}
	if fromOrig && l == local && d == domain && r == resource {
		return withOffsets(orig, len(l), len(d)), nil
	}
	return build(l, d, r), nil
}

// withOffsets returns the JID for the canonical string s whose localpart is
// nl bytes long and domainpart nd bytes long.
func withOffsets(s string, nl, nd int) JID {
	j := JID{s: s}
	if nl > 0 {
		j.dom = uint16(nl + 1)
	}
	j.res = j.dom + uint16(nd)
	return j
}
