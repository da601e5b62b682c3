// Package caps implements XEP-0115 Entity Capabilities: advertising what
// the Session supports in a hash attached to its presence, and learning
// what others support from theirs without asking each of them.
//
// # Our capabilities (XEP-0115 §4, §5.1, §6.2)
//
// Ver computes the verification string of a disco#info answer with the
// algorithm of §5.1 (identities, features and XEP-0128 extended forms, each
// sorted, hashed with SHA-1 by default, base64). New returns an
// xmpp.Extension that works together with an ext/disco Disco: it advertises
// the caps feature, answers disco#info for "node#ver" with the root
// information (§6.2), and Attach adds the <c/> element (§4) for the
// Session's current features to an outbound presence. When extensions are
// added or removed the ver changes: send a fresh presence then (§8.4).
//
// # Their capabilities (XEP-0115 §5.4, §6.3)
//
// Received presence carries a Claim: hash, node and ver. A ver is only a
// claim until verified: Lookup asks the claimant for disco#info at
// "node#ver", recomputes the ver from the answer, rejects an answer that
// does not hash to the claimed ver or that breaks the rules of §5.4 (repeated
// identities, features or FORM_TYPEs), and only then stores the
// information in the Cache under hash and ver, where every later claim of
// the same ver is answered without a query (§6.3). The extension records
// the latest claim of each full JID from its presence; Info looks it up.
// A legacy claim (no hash attribute: XEP-0115 before version 1.5) cannot be
// verified and gives ErrUnverifiable.
package caps
