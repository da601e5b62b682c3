package caps

import (
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of the <c/> element and the caps disco feature
// (XEP-0115 §4, §6.1).
const NS = "http://jabber.org/protocol/caps"

// Claim is the content of a <c xmlns='http://jabber.org/protocol/caps'/>
// element (XEP-0115 §4): the hash function, the node naming the software,
// and the verification string. Ext is the deprecated legacy attribute
// (the legacy format of XEP-0115 before version 1.5), kept when a peer sends it.
type Claim struct {
	Hash, Node, Ver, Ext string
}

// Legacy reports whether the claim has no hash attribute: a pre-1.5
// client's, whose ver is a version number and cannot be verified.
func (c Claim) Legacy() bool { return c.Hash == "" }

// NodeVer returns "node#ver", the node to ask disco#info about
// (XEP-0115 §6.2).
func (c Claim) NodeVer() string { return c.Node + "#" + c.Ver }

// ParseClaim reads the <c/> element e, or the first <c/> child of e when e
// is a presence stanza (XEP-0115 §4). It reports false when there is none
// or when it lacks the required node or ver.
func ParseClaim(e *xmlstream.Element) (Claim, bool) {
	if e == nil {
		return Claim{}, false
	}
	if e.Name.Space != NS || e.Name.Local != "c" {
		if e = e.Child(NS, "c"); e == nil {
			return Claim{}, false
		}
	}
	c := Claim{Hash: e.Get("hash"), Node: e.Get("node"), Ver: e.Get("ver"), Ext: e.Get("ext")}
	if c.Node == "" || c.Ver == "" {
		return Claim{}, false
	}
	return c, true
}

// Element returns the <c/> element for c (XEP-0115 §4).
func (c Claim) Element() *xmlstream.Element {
	e := xmlstream.New(NS, "c")
	if c.Hash != "" {
		e.SetAttr("hash", c.Hash)
	}
	e.SetAttr("node", c.Node).SetAttr("ver", c.Ver)
	if c.Ext != "" {
		e.SetAttr("ext", c.Ext)
	}
	return e
}
