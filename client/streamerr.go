package client

import (
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// streamError reads a <stream:error/> received during negotiation (RFC 6120
// §4.9) as a stanza.StreamError; see-other-host carries the new address in
// its Redirect field for the Session (§4.9.3.19).
func streamError(e *xmlstream.Element) error {
	se, _ := stanza.StreamErrorFromElement(e)
	return se
}

// iqError reads the stanza error of an IQ of type error (RFC 6120 §8.3); a
// legacy code without a condition (jabberd2's <error code='401'/>) maps to
// its XEP-0086 condition. An error IQ without <error/> is
// undefined-condition.
func iqError(e *xmlstream.Element) error {
	if se, ok := stanza.ErrorFromElement(e); ok {
		return se
	}
	return stanza.Error{Type: stanza.Cancel, Condition: stanza.UndefinedCondition}
}
