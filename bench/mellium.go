package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"

	mxmlstream "mellium.im/xmlstream"
	mjid "mellium.im/xmpp/jid"
	mstanza "mellium.im/xmpp/stanza"
)

// melliumChat is what a mellium.im/xmpp client decodes a chat message into:
// its stanza.Message (header attributes, JIDs parsed) plus the children it
// cares about, as in mellium's echobot example.
type melliumChat struct {
	mstanza.Message
	Body   string `xml:"body"`
	Active struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/chatstates active"`
	}
}

// decodeMellium reproduces the read path of a mellium.im/xmpp Session: an
// encoding/xml Decoder over the stream; for each top-level start element,
// Session.Serve (handleInputStream) hands the handler the start element and
// xmlstream.InnerElement over the stream, and the handler decodes the
// stanza into its struct the way mellium's own packages do (roster, disco,
// blocklist): xml.NewTokenDecoder over xmlstream.MultiReader(Token(start),
// the element's tokens), then Decode. The Session's own wrappers around the
// token reader (its internal stream reader, the response checker, the
// ServeMux's token buffering) are left out, so this is a lower bound of its
// cost. The bytes come through a connection-like reader (newConnReader),
// which encoding/xml buffers as it does a socket.
func decodeMellium(in []byte) (int, error) {
	d := xml.NewDecoder(newConnReader(in))
	if err := skipHeader(d); err != nil {
		return 0, err
	}
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return n, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return n, nil // </stream:stream>
		case xml.StartElement:
			if t.Name.Local != "message" {
				return n, errors.New("unexpected " + t.Name.Local)
			}
			var msg melliumChat
			td := xml.NewTokenDecoder(mxmlstream.MultiReader(mxmlstream.Token(t), mxmlstream.InnerElement(d)))
			if err := td.Decode(&msg); err != nil && err != io.EOF {
				return n, err
			}
			if msg.Type == mstanza.ChatMessage && msg.ID != "" && !msg.From.Equal(mjid.JID{}) &&
				msg.Body == wantBody && msg.Active.XMLName.Local == "active" {
				n++
			}
		}
	}
}

// skipHeader reads up to and including the stream header's start tag.
func skipHeader(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "stream" {
				return errors.New("no stream header")
			}
			return nil
		}
	}
}

// melliumMessage is the message every mellium encoder writes.
func melliumMessage() mstanza.Message {
	return mstanza.Message{
		To:   mjid.MustParse(toJID),
		From: mjid.MustParse(fromJID),
		ID:   encodeID,
		Type: mstanza.ChatMessage,
	}
}

// melliumSender reproduces Session.Send with mellium's stanza types: the
// message wraps token readers for the body and the chat state
// (stanza.Message.Wrap, xmlstream.Wrap/Token/MultiReader), and Send copies
// the tokens into the Session's xml.Encoder (xmlstream.Copy) and flushes it.
type melliumSender struct {
	buf bytes.Buffer
	enc *xml.Encoder
	msg mstanza.Message
}

func newMelliumSender() *melliumSender {
	s := &melliumSender{msg: melliumMessage()}
	s.enc = xml.NewEncoder(&s.buf)
	return s
}

func (s *melliumSender) encode() ([]byte, error) {
	s.buf.Reset()
	payload := mxmlstream.MultiReader(
		mxmlstream.Wrap(mxmlstream.Token(xml.CharData(wantBody)), xml.StartElement{Name: xml.Name{Local: "body"}}),
		mxmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsChatStates, Local: "active"}}),
	)
	r := s.msg.Wrap(payload)
	// Session.Send: read the start element, copy the inner tokens, end it.
	tok, err := r.Token()
	if err != nil {
		return nil, err
	}
	start := tok.(xml.StartElement)
	if err := s.enc.EncodeToken(start); err != nil {
		return nil, err
	}
	if _, err := mxmlstream.Copy(s.enc, mxmlstream.Inner(r)); err != nil {
		return nil, err
	}
	if err := s.enc.EncodeToken(start.End()); err != nil {
		return nil, err
	}
	if err := s.enc.Flush(); err != nil {
		return nil, err
	}
	return s.buf.Bytes(), nil
}

// melliumEncoder reproduces Session.Encode of a struct (what mellium's
// echobot does to reply): mellium's internal marshal.EncodeXML encodes the
// value with a fresh xml.Encoder into a bytes.Buffer, reads it back with
// xml.Decoder.RawToken and copies the tokens into the Session's
// xml.Encoder, then flushes.
type melliumEncoder struct {
	buf bytes.Buffer
	enc *xml.Encoder
	msg melliumChat
}

func newMelliumEncoder() *melliumEncoder {
	e := &melliumEncoder{}
	e.msg.Message = melliumMessage()
	e.msg.Body = wantBody
	e.msg.Active.XMLName = xml.Name{Space: nsChatStates, Local: "active"}
	e.enc = xml.NewEncoder(&e.buf)
	return e
}

type rawTokens struct{ *xml.Decoder }

func (r rawTokens) Token() (xml.Token, error) { return r.RawToken() }

func (e *melliumEncoder) encode() ([]byte, error) {
	e.buf.Reset()
	var tmp bytes.Buffer
	if err := xml.NewEncoder(&tmp).Encode(e.msg); err != nil {
		return nil, err
	}
	if _, err := mxmlstream.Copy(e.enc, rawTokens{xml.NewDecoder(&tmp)}); err != nil {
		return nil, err
	}
	if err := e.enc.Flush(); err != nil {
		return nil, err
	}
	return e.buf.Bytes(), nil
}
