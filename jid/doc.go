// Package jid implements XMPP addresses (JIDs) as defined in RFC 7622, with
// the JID escaping of XEP-0106.
//
// A JID has the form localpart@domainpart/resourcepart (RFC 7622 §3.1);
// only the domainpart is required. Parse splits a string at the first '/'
// and the first '@' before it, then prepares and enforces each part:
//
//   - the localpart with the PRECIS UsernameCaseMapped profile (RFC 7622
//     §3.3, RFC 8265 §3.3), which maps full-width characters to their
//     narrow forms, lower-cases and normalizes to NFC; the characters
//     " & ' / : < > @ are disallowed (§3.3.1);
//   - the domainpart with IDNA2008 lookup mapping (RFC 7622 §3.2, RFC 5891,
//     UTS #46), giving lower-case U-labels without a trailing dot, or an IP
//     literal: dotted IPv4 or bracketed IPv6 in RFC 5952 form;
//   - the resourcepart with the PRECIS OpaqueString profile (RFC 7622 §3.4,
//     RFC 8265 §4.2), which maps non-ASCII spaces to U+0020 and normalizes
//     to NFC.
//
// Each part must be 1 to 1023 bytes (MaxPartLen) long after enforcement
// (§3.2-§3.4). The DNS limits on label and name length that §3.2 mentions
// are left to the resolver: a domainpart need not be resolvable (it may name
// a component, for instance), so Parse does not apply them. A domainpart
// whose last label is all digits must be a dotted-decimal IPv4 address.
//
// The result is a JID value in canonical form, so comparing two JIDs with
// == (or Equal) compares addresses, and JIDs can be map keys. Like
// net/netip.Addr, a JID is a small immutable value holding one string; the
// zero JID is the empty address.
//
// Parse runs on every stanza's from and to attributes, so it has a fast
// path: a string that is already canonical ASCII (for example
// "alice@example.com/phone") is accepted without allocation and without
// PRECIS or IDNA processing.
//
// Errors are *Error values naming the offending part; they wrap one of
// ErrEmpty, ErrTooLong and ErrInvalid for use with errors.Is.
//
// Escape and Unescape implement the XEP-0106 transformation that lets
// characters disallowed in localparts, such as '@' in an e-mail address,
// appear in a JID as \40 and the like.
package jid
