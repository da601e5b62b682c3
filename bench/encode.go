package main

import (
	"bytes"
	"encoding/xml"
	"errors"

	goxmpp "github.com/xmppo/go-xmpp"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// An encodeFunc writes the chat message once and returns the bytes, which
// stay valid until the next call.
type encodeFunc func() ([]byte, error)

// newParleyEncoder returns Parley's write path: a stanza.Message built once
// and appended into a reused buffer with AppendXML (no allocation).
func newParleyEncoder() encodeFunc {
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse(toJID))
	m.From = jid.MustParse(fromJID)
	m.ID = encodeID
	m.AddBody("", wantBody)
	m.AddPayload(xmlstream.New(nsChatStates, "active"))
	buf := make([]byte, 0, 512)
	return func() ([]byte, error) {
		buf = m.AppendXML(buf[:0])
		return buf, nil
	}
}

// stdChat is the struct an encoding/xml user would define for the message.
type stdChat struct {
	XMLName xml.Name `xml:"jabber:client message"`
	From    string   `xml:"from,attr"`
	To      string   `xml:"to,attr"`
	Type    string   `xml:"type,attr"`
	ID      string   `xml:"id,attr"`
	Body    string   `xml:"body"`
	Active  struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/chatstates active"`
	}
}

// newStdEncoder returns the anchor: an xml.Encoder writing the equivalent
// struct into a reused bytes.Buffer.
func newStdEncoder() encodeFunc {
	v := stdChat{From: fromJID, To: toJID, Type: "chat", ID: encodeID, Body: wantBody}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	return func() ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(&v); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
}

func newMelliumSendEncoder() encodeFunc   { return newMelliumSender().encode }
func newMelliumEncodeEncoder() encodeFunc { return newMelliumEncoder().encode }

func newGosrcEncoder() encodeFunc {
	m := gosrcMessage()
	return func() ([]byte, error) { return encodeGosrc(&m) }
}

func newGoxmppEncoder() encodeFunc {
	s := &goxmppSend{}
	chat := goxmpp.Chat{Remote: toJID, Type: "chat", Text: wantBody}
	return func() ([]byte, error) { return s.encode(chat) }
}

// checkEncoded reports whether out is one well-formed chat message with the
// expected body (read back with encoding/xml, whatever the namespace).
func checkEncoded(out []byte) error {
	var v struct {
		XMLName xml.Name
		Type    string `xml:"type,attr"`
		Body    string `xml:"body"`
	}
	if err := xml.Unmarshal(out, &v); err != nil {
		return err
	}
	if v.XMLName.Local != "message" || v.Type != "chat" || v.Body != wantBody {
		return errors.New("wrong message: " + string(out))
	}
	return nil
}
