package stanza

import (
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// IQType is the type attribute of an iq stanza (RFC 6120 §8.2.3).
type IQType string

// IQ types (RFC 6120 §8.2.3).
const (
	IQGet    IQType = "get"
	IQSet    IQType = "set"
	IQResult IQType = "result"
	IQError  IQType = "error"
)

// IQ is an <iq/> stanza, the request-response exchange of RFC 6120 §8.2.3:
// its header attributes as fields and its children in El.
type IQ struct {
	To, From jid.JID
	ID       string
	Type     IQType
	Lang     string // xml:lang of the stanza
	El       *xmlstream.Element
}

// NewIQ returns an iq of type typ addressed to to carrying payload (nil for
// none). Its ID is left empty for the sender (usually the Session, which
// tracks the answer) to fill in.
func NewIQ(typ IQType, to jid.JID, payload *xmlstream.Element) IQ {
	iq := IQ{To: to, Type: typ}
	if payload != nil {
		iq.El = xmlstream.New("", "iq").AppendChild(payload)
	}
	return iq
}

// IQFromElement reads the iq stanza e. It does not allocate when the
// addresses are canonical ASCII JIDs.
//
// RFC 6120 §8.2.3 makes the id and type attributes required and says a get
// or set carries exactly one child element: a stanza breaking those rules
// gives a bad-request Error, a malformed to or from address a jid-malformed
// one (RFC 6120 §8.3.3.8). The returned IQ still carries the header fields
// that could be read, so that the caller can answer with ErrorReply. e must
// be an iq (see KindOf); otherwise the error is bad-request.
func IQFromElement(e *xmlstream.Element) (IQ, error) {
	if KindOf(e) != KindIQ {
		return IQ{}, badRequest("not an iq stanza")
	}
	iq := IQ{El: e}
	err := parseHeader(e, &iq.To, &iq.From, &iq.ID, (*string)(&iq.Type), &iq.Lang)
	if err != nil {
		return iq, err
	}
	if iq.ID == "" {
		return iq, badRequest("iq without id")
	}
	switch iq.Type {
	case IQGet, IQSet:
		n := 0
		for _, c := range e.Nodes {
			if c.Elem != nil {
				n++
			}
		}
		if n != 1 {
			return iq, badRequest("iq get or set must carry exactly one child element")
		}
	case IQResult, IQError:
	case "":
		return iq, badRequest("iq without type")
	default:
		return iq, badRequest("unknown iq type")
	}
	return iq, nil
}

func (iq *IQ) header() header {
	return header{To: iq.To, From: iq.From, ID: iq.ID, Type: string(iq.Type), Lang: iq.Lang}
}

// Payload returns the child element of the iq other than a stanza <error/>
// (RFC 6120 §8.2.3): the request of a get or set, the optional answer of a
// result, the optional echo of the request in an error; nil if none.
func (iq IQ) Payload() *xmlstream.Element {
	if iq.El == nil {
		return nil
	}
	for _, n := range iq.El.Nodes {
		if n.Elem != nil && !own(iq.El, n.Elem, "error") {
			return n.Elem
		}
	}
	return nil
}

// Error returns the stanza error an iq of type error carries (RFC 6120
// §8.3) and whether it has one.
func (iq IQ) Error() (Error, bool) {
	if c := ownChild(iq.El, "error"); c != nil {
		return ErrorFromElement(c)
	}
	return Error{}, false
}

// Result returns the result iq answering iq (RFC 6120 §8.2.3): from and to
// swapped, the same id, type result, carrying payload (nil for an empty
// result).
func (iq IQ) Result(payload *xmlstream.Element) IQ {
	r := NewIQ(IQResult, iq.From, payload)
	r.From, r.ID = iq.To, iq.ID
	return r
}

// ErrorReply returns the error iq answering iq (RFC 6120 §8.3.1): from and
// to swapped, the same id, type error, and e as its only child.
func (iq IQ) ErrorReply(e Error) IQ {
	r := NewIQ(IQError, iq.From, e.Element())
	r.From, r.ID = iq.To, iq.ID
	return r
}

// Element returns a new <iq/> element with the header fields as attributes
// and iq.El's children (shared), as Message.Element does.
func (iq IQ) Element() *xmlstream.Element {
	h := iq.header()
	return stanzaElement("iq", &h, iq.El)
}

// AppendXML appends the encoding of iq to dst with no xmlns on the root. It
// does not allocate when dst has room.
func (iq IQ) AppendXML(dst []byte) []byte {
	h := iq.header()
	return appendStanza(dst, "iq", &h, iq.El)
}
