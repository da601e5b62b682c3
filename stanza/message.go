package stanza

import (
	"iter"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// MessageType is the type attribute of a message stanza (RFC 6121 §5.2.2).
type MessageType string

// Message types (RFC 6121 §5.2.2). The empty type means normal.
const (
	MessageNormal    MessageType = "normal"
	MessageChat      MessageType = "chat"
	MessageGroupchat MessageType = "groupchat"
	MessageHeadline  MessageType = "headline"
	MessageError     MessageType = "error"
)

// Message is a <message/> stanza (RFC 6121 §5): its header attributes
// (RFC 6120 §8.1) as fields and its children in El.
//
// A Message decoded with MessageFromElement points El at the decoded
// element; the accessors read it lazily. A built Message starts with a nil
// El, which the Add and Set methods create (in no namespace, so that it takes
// the stream's default namespace when encoded). The header fields, not El's
// attributes, are what Element and AppendXML write.
type Message struct {
	To, From jid.JID
	ID       string
	Type     MessageType // "" means normal
	Lang     string      // xml:lang of the stanza
	El       *xmlstream.Element
}

var messageKnown = []string{"body", "subject", "thread", "error"}

// NewMessage returns a message of type typ addressed to to.
func NewMessage(typ MessageType, to jid.JID) Message {
	return Message{To: to, Type: typ}
}

// MessageFromElement reads the message stanza e. It does not allocate when
// the addresses are canonical ASCII JIDs (the usual case).
//
// A malformed to or from address gives a jid-malformed Error (RFC 6120
// §8.3.3.8); the returned Message still carries the other header fields so
// that the caller can answer. An unknown type is read as normal, as RFC 6121
// §5.2.2 requires. e must be a message (see KindOf); otherwise the error is
// bad-request.
func MessageFromElement(e *xmlstream.Element) (Message, error) {
	if KindOf(e) != KindMessage {
		return Message{}, badRequest("not a message stanza")
	}
	m := Message{El: e}
	err := parseHeader(e, &m.To, &m.From, &m.ID, (*string)(&m.Type), &m.Lang)
	switch m.Type {
	case "", MessageNormal, MessageChat, MessageGroupchat, MessageHeadline, MessageError:
	default:
		m.Type = MessageNormal
	}
	return m, err
}

func (m *Message) header() header {
	return header{To: m.To, From: m.From, ID: m.ID, Type: string(m.Type), Lang: m.Lang}
}

// Body returns the body for the language lang (RFC 6121 §5.2.3): the
// <body/> whose xml:lang (or, if it has none, the message's) is lang; else
// the one without xml:lang or in the message's language; else the first; ""
// if there is no body.
func (m Message) Body(lang string) string {
	s, _ := pickLang(m.El, "body", lang, m.Lang)
	return s
}

// Bodies iterates over the bodies (RFC 6121 §5.2.3) as language → text, the
// language being the message's for a body without xml:lang.
func (m Message) Bodies() iter.Seq2[string, string] {
	return langs(m.El, "body", m.Lang)
}

// Subject returns the subject for lang, chosen like Body (RFC 6121 §5.2.4).
func (m Message) Subject(lang string) string {
	s, _ := pickLang(m.El, "subject", lang, m.Lang)
	return s
}

// Subjects iterates over the subjects (RFC 6121 §5.2.4) as language → text.
func (m Message) Subjects() iter.Seq2[string, string] {
	return langs(m.El, "subject", m.Lang)
}

// Thread returns the thread identifier and the parent thread of the message
// (RFC 6121 §5.2.5), "" when absent.
func (m Message) Thread() (id, parent string) {
	if t := ownChild(m.El, "thread"); t != nil {
		return t.Text(), t.Get("parent")
	}
	return "", ""
}

// Payloads iterates over the child elements other than the body, subject,
// thread and error of RFC 6121 §5.2 and RFC 6120 §8.3: the extension
// payloads (chat states, receipts, forwarded messages, ...).
func (m Message) Payloads() iter.Seq[*xmlstream.Element] {
	return payloads(m.El, messageKnown...)
}

// Error returns the stanza error a message of type error carries (RFC 6120
// §8.3) and whether it has one.
func (m Message) Error() (Error, bool) {
	if c := ownChild(m.El, "error"); c != nil {
		return ErrorFromElement(c)
	}
	return Error{}, false
}

// AddBody appends a <body/> in language lang ("" for none) holding text
// (RFC 6121 §5.2.3).
func (m *Message) AddBody(lang, text string) {
	addLang(ensure(&m.El, "message"), "body", lang, text)
}

// SetSubject sets the text of the <subject/> in language lang, adding it if
// there is none (RFC 6121 §5.2.4). An empty text keeps an empty subject,
// which a multi-user chat room reads as "no subject".
func (m *Message) SetSubject(lang, text string) {
	setLang(&m.El, "message", "subject", lang, text)
}

// SetThread sets the thread identifier and its parent (RFC 6121 §5.2.5),
// replacing any thread the message had. An empty id removes the thread.
func (m *Message) SetThread(id, parent string) {
	removeOwn(m.El, "thread")
	if id == "" {
		return
	}
	t := ensure(&m.El, "message").AddChild("", "thread")
	if parent != "" {
		t.SetAttr("parent", parent)
	}
	t.AddText(id)
}

// AddPayload appends extension elements to the message.
func (m *Message) AddPayload(e ...*xmlstream.Element) {
	ensure(&m.El, "message").AppendChild(e...)
}

// ErrorReply returns the error message answering m (RFC 6120 §8.3.1): from
// and to swapped, the same id, type error, and e as its only child.
func (m Message) ErrorReply(e Error) Message {
	r := Message{To: m.From, From: m.To, ID: m.ID, Type: MessageError}
	r.AddPayload(e.Element())
	return r
}

// Element returns a new <message/> element with the header fields as
// attributes and m.El's children (shared, not copied). The root is in
// m.El's namespace when that is a stanza namespace and in none otherwise.
func (m Message) Element() *xmlstream.Element {
	h := m.header()
	return stanzaElement("message", &h, m.El)
}

// AppendXML appends the encoding of m to dst with no xmlns on the root, so
// that the stream's default namespace applies. It does not allocate when dst
// has room.
func (m Message) AppendXML(dst []byte) []byte {
	h := m.header()
	return appendStanza(dst, "message", &h, m.El)
}
