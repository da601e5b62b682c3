package stanza

import (
	"iter"
	"strconv"
	"strings"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// PresenceType is the type attribute of a presence stanza (RFC 6121 §4.7.1).
// The empty type means available.
type PresenceType string

// Presence types (RFC 6121 §4.7.1).
const (
	PresenceAvailable    PresenceType = ""
	PresenceUnavailable  PresenceType = "unavailable"
	PresenceSubscribe    PresenceType = "subscribe"
	PresenceSubscribed   PresenceType = "subscribed"
	PresenceUnsubscribe  PresenceType = "unsubscribe"
	PresenceUnsubscribed PresenceType = "unsubscribed"
	PresenceProbe        PresenceType = "probe"
	PresenceError        PresenceType = "error"
)

// Show is the availability sub-state of an available presence
// (RFC 6121 §4.7.2.1). The empty Show means plainly online.
type Show string

// Show values (RFC 6121 §4.7.2.1).
const (
	ShowOnline Show = ""
	ShowAway   Show = "away"
	ShowChat   Show = "chat" // free for chat
	ShowDND    Show = "dnd"  // do not disturb
	ShowXA     Show = "xa"   // extended away
)

// Presence is a <presence/> stanza (RFC 6121 §4): its header attributes
// (RFC 6120 §8.1) as fields and its children in El, read and built as for
// Message.
type Presence struct {
	To, From jid.JID
	ID       string
	Type     PresenceType // "" means available
	Lang     string       // xml:lang of the stanza
	El       *xmlstream.Element
}

var presenceKnown = []string{"show", "status", "priority", "error"}

// NewPresence returns a presence of type typ addressed to to (the zero JID
// for a broadcast, RFC 6121 §4.2.2).
func NewPresence(typ PresenceType, to jid.JID) Presence {
	return Presence{To: to, Type: typ}
}

// PresenceFromElement reads the presence stanza e. It does not allocate when
// the addresses are canonical ASCII JIDs.
//
// A malformed to or from address gives a jid-malformed Error, a type not in
// RFC 6121 §4.7.1 a bad-request Error; the returned Presence still carries
// the header fields that could be read. The type "available", which some
// pre-XMPP clients send, is read as the empty (available) type. e must be a
// presence (see KindOf); otherwise the error is bad-request.
func PresenceFromElement(e *xmlstream.Element) (Presence, error) {
	if KindOf(e) != KindPresence {
		return Presence{}, badRequest("not a presence stanza")
	}
	p := Presence{El: e}
	err := parseHeader(e, &p.To, &p.From, &p.ID, (*string)(&p.Type), &p.Lang)
	switch p.Type {
	case PresenceAvailable, PresenceUnavailable, PresenceSubscribe, PresenceSubscribed,
		PresenceUnsubscribe, PresenceUnsubscribed, PresenceProbe, PresenceError:
	case "available":
		p.Type = PresenceAvailable
	default:
		p.Type = PresenceAvailable
		if err == nil {
			err = badRequest("unknown presence type")
		}
	}
	return p, err
}

func (p *Presence) header() header {
	return header{To: p.To, From: p.From, ID: p.ID, Type: string(p.Type), Lang: p.Lang}
}

// Show returns the <show/> value (RFC 6121 §4.7.2.1), or ShowOnline when
// there is none or it is not one of the four defined values.
func (p Presence) Show() Show {
	c := ownChild(p.El, "show")
	if c == nil {
		return ShowOnline
	}
	switch s := Show(strings.TrimSpace(c.Text())); s {
	case ShowAway, ShowChat, ShowDND, ShowXA:
		return s
	}
	return ShowOnline
}

// Status returns the status text for lang, chosen like Message.Body
// (RFC 6121 §4.7.2.2).
func (p Presence) Status(lang string) string {
	s, _ := pickLang(p.El, "status", lang, p.Lang)
	return s
}

// Statuses iterates over the status texts (RFC 6121 §4.7.2.2) as language →
// text.
func (p Presence) Statuses() iter.Seq2[string, string] {
	return langs(p.El, "status", p.Lang)
}

// Priority returns the <priority/> value (RFC 6121 §4.7.2.3): an integer
// from -128 to 127, 0 when absent. A value that is not such an integer is
// read as 0, the default.
func (p Presence) Priority() int8 {
	c := ownChild(p.El, "priority")
	if c == nil {
		return 0
	}
	return parsePriority(c.Text())
}

// parsePriority parses an xs:byte (surrounding whitespace and a sign
// allowed), returning 0 for anything else. It does not allocate.
func parsePriority(s string) int8 {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	s = s[i:j]
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0
	}
	n := 0
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
		if n > 128 {
			return 0
		}
	}
	if neg {
		n = -n
	}
	if n > 127 {
		return 0
	}
	return int8(n)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Payloads iterates over the child elements other than show, status,
// priority (RFC 6121 §4.7.2) and error (RFC 6120 §8.3): the extension
// payloads (entity capabilities, MUC, vCard avatars, ...).
func (p Presence) Payloads() iter.Seq[*xmlstream.Element] {
	return payloads(p.El, presenceKnown...)
}

// Error returns the stanza error a presence of type error carries (RFC 6120
// §8.3) and whether it has one.
func (p Presence) Error() (Error, bool) {
	if c := ownChild(p.El, "error"); c != nil {
		return ErrorFromElement(c)
	}
	return Error{}, false
}

// SetShow sets the <show/> child (RFC 6121 §4.7.2.1); ShowOnline removes it.
func (p *Presence) SetShow(s Show) {
	removeOwn(p.El, "show")
	if s != ShowOnline {
		ensure(&p.El, "presence").AddChild("", "show").AddText(string(s))
	}
}

// SetStatus sets the status text in language lang ("" for none), adding a
// <status/> if there is none in that language (RFC 6121 §4.7.2.2).
func (p *Presence) SetStatus(lang, text string) {
	setLang(&p.El, "presence", "status", lang, text)
}

// SetPriority sets the <priority/> child (RFC 6121 §4.7.2.3).
func (p *Presence) SetPriority(prio int8) {
	removeOwn(p.El, "priority")
	ensure(&p.El, "presence").AddChild("", "priority").AddText(strconv.Itoa(int(prio)))
}

// AddPayload appends extension elements to the presence.
func (p *Presence) AddPayload(e ...*xmlstream.Element) {
	ensure(&p.El, "presence").AppendChild(e...)
}

// ErrorReply returns the error presence answering p (RFC 6120 §8.3.1): from
// and to swapped, the same id, type error, and e as its only child.
func (p Presence) ErrorReply(e Error) Presence {
	r := Presence{To: p.From, From: p.To, ID: p.ID, Type: PresenceError}
	r.AddPayload(e.Element())
	return r
}

// Element returns a new <presence/> element with the header fields as
// attributes and p.El's children (shared), as Message.Element does.
func (p Presence) Element() *xmlstream.Element {
	h := p.header()
	return stanzaElement("presence", &h, p.El)
}

// AppendXML appends the encoding of p to dst with no xmlns on the root. It
// does not allocate when dst has room.
func (p Presence) AppendXML(dst []byte) []byte {
	h := p.header()
	return appendStanza(dst, "presence", &h, p.El)
}
