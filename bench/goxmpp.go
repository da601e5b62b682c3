package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	goxmpp "github.com/xmppo/go-xmpp"
)

// github.com/xmppo/go-xmpp keeps its receive path unexported (Client.Recv
// calls Client.next, which calls Client.nextStart, and decodes into the
// unexported clientMessage), and a Client cannot be built without a
// server. So this file reproduces, step by step, what go-xmpp v0.3.1's
// xmpp.go does for an incoming chat message, with its exported types (Chat,
// StanzaID, Oob, XMLElement, Delay) and local copies of the unexported
// structs it decodes into, field for field and tag for tag.

// goxmppOriginID mirrors go-xmpp's unexported originID (XEP-0359).
type goxmppOriginID struct {
	XMLName xml.Name `xml:"origin-id"`
	Text    string   `xml:",chardata"`
	Xmlns   string   `xml:"xmlns,attr"`
	ID      string   `xml:"id,attr"`
}

// goxmppPubsubEvent mirrors go-xmpp's unexported clientPubsubEvent and its
// item types.
type goxmppPubsubEvent struct {
	XMLName xml.Name `xml:"event"`
	XMLNS   string   `xml:"xmlns,attr"`
	Items   struct {
		XMLName xml.Name `xml:"items"`
		Node    string   `xml:"node,attr"`
		Items   []struct {
			XMLName xml.Name `xml:"item"`
			ID      string   `xml:"id,attr"`
			Body    []byte   `xml:",innerxml"`
		} `xml:"item"`
	} `xml:"items"`
}

// goxmppClientMessage mirrors go-xmpp's unexported clientMessage.
type goxmppClientMessage struct {
	XMLName  xml.Name          `xml:"jabber:client message"`
	From     string            `xml:"from,attr"`
	ID       string            `xml:"id,attr"`
	To       string            `xml:"to,attr"`
	Type     string            `xml:"type,attr"`
	Lang     string            `xml:"lang,attr"`
	Subject  string            `xml:"subject"`
	Body     string            `xml:"body"`
	Thread   string            `xml:"thread"`
	OriginID goxmppOriginID    `xml:"origin-id"`
	StanzaID goxmpp.StanzaID   `xml:"stanza-id"`
	Event    goxmppPubsubEvent `xml:"event"`
	Oob      goxmpp.Oob
	Other    []goxmpp.XMLElement `xml:",any"`
	Delay    goxmpp.Delay        `xml:"delay"`
}

// goxmppReader holds what a go-xmpp Client uses to read: its xml.Decoder
// (Client.p, over the connection) and the mutex around every Token call
// (Client.nextMutex).
type goxmppReader struct {
	p  *xml.Decoder
	mu sync.Mutex
}

// nextStart is Client.nextStart: Token, CopyToken, stop at a start element
// or fail at the stream's end tag.
func (c *goxmppReader) nextStart() (xml.StartElement, error) {
	for {
		c.mu.Lock()
		to, err := c.p.Token()
		if err != nil || to == nil {
			c.mu.Unlock()
			return xml.StartElement{}, err
		}
		t := xml.CopyToken(to)
		switch t := t.(type) {
		case xml.StartElement:
			c.mu.Unlock()
			return t, nil
		case xml.EndElement:
			if t.Name.Space == "http://etherx.jabber.org/streams" && t.Name.Local == "stream" {
				c.mu.Unlock()
				return xml.StartElement{}, errStreamClosed
			}
		}
		c.mu.Unlock()
	}
}

var errStreamClosed = errors.New("server closed stream")

// next is Client.next for a jabber:client message: the switch on the
// name, string concatenation included, then DecodeElement.
func (c *goxmppReader) next() (any, error) {
	se, err := c.nextStart()
	if err != nil {
		return nil, err
	}
	var nv any
	switch se.Name.Space + " " + se.Name.Local {
	case "jabber:client message":
		nv = &goxmppClientMessage{}
	default:
		return nil, errors.New("unexpected XMPP message " + se.Name.Space + " <" + se.Name.Local + "/>")
	}
	c.mu.Lock()
	if err := c.p.DecodeElement(nv, &se); err != nil {
		return nil, err
	}
	c.mu.Unlock()
	return nv, nil
}

// recv is the clientMessage branch of Client.Recv: the pubsub check, the
// delay stamp parse and the Chat it returns, with Other rendered to strings.
func (c *goxmppReader) recv() (goxmpp.Chat, error) {
	val, err := c.next()
	if err != nil {
		return goxmpp.Chat{}, err
	}
	v := val.(*goxmppClientMessage)
	if v.Event.XMLNS == goxmpp.XMPPNS_PUBSUB_EVENT {
		return goxmpp.Chat{}, errors.New("pubsub event")
	}
	stamp, _ := time.Parse("2006-01-02T15:04:05Z", v.Delay.Stamp)
	other := make([]string, len(v.Other)) // clientMessage.OtherStrings
	for i, e := range v.Other {
		other[i] = e.String()
	}
	return goxmpp.Chat{
		Remote:    v.From,
		Type:      v.Type,
		Text:      v.Body,
		Subject:   v.Subject,
		Thread:    v.Thread,
		Other:     other,
		OtherElem: v.Other,
		Stamp:     stamp,
		Lang:      v.Lang,
		OriginID:  v.OriginID.ID,
		StanzaID:  v.StanzaID,
		Oob:       v.Oob,
	}, nil
}

// decodeGoxmpp reads the stream as a go-xmpp Client does: the connection
// setup reads the header with nextStart, then the application calls Recv
// until it fails.
func decodeGoxmpp(in []byte) (int, error) {
	c := &goxmppReader{p: xml.NewDecoder(newConnReader(in))}
	if _, err := c.nextStart(); err != nil {
		return 0, err
	}
	n := 0
	for {
		chat, err := c.recv()
		if err == errStreamClosed {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if chat.Type == "chat" && chat.Remote != "" && chat.Text == wantBody && goxmppActive(chat) {
			n++
		}
	}
}

func goxmppActive(c goxmpp.Chat) bool {
	for _, e := range c.OtherElem {
		if e.XMLName.Space == nsChatStates && e.XMLName.Local == "active" {
			return true
		}
	}
	return false
}

// goxmppSend reproduces Client.Send's formatting (go-xmpp v0.3.1): the body
// cleaned by validUTF8 (which compiles its regexp on every call), a UUIDv7
// id, every value escaped by xmlEscape, the stanza built with fmt.Sprintf
// and written with fmt.Fprint. Send has no way to add a chat state; it
// writes an XEP-0359 origin-id and xml:lang='en' instead.
type goxmppSend struct {
	w bytes.Buffer // Client.stanzaWriter
}

func (s *goxmppSend) encode(chat goxmpp.Chat) ([]byte, error) {
	s.w.Reset()
	chat.Text = goxmppValidUTF8(chat.Text)
	id := goxmppUUID()
	st := fmt.Sprintf("<message to='%s' type='%s' id='%s' xml:lang='en'>%s<body>%s</body>"+
		"<origin-id xmlns='%s' id='%s'/>%s%s</message>\n",
		goxmppEscape(chat.Remote), goxmppEscape(chat.Type), id, "", goxmppEscape(chat.Text),
		goxmpp.XMPPNS_SID_0, id, "", "")
	if _, err := fmt.Fprint(&s.w, st); err != nil {
		return nil, err
	}
	return s.w.Bytes(), nil
}

// goxmppEscape is go-xmpp's xmlEscape: xml.Escape into a bytes.Buffer.
func goxmppEscape(s string) string {
	var b bytes.Buffer
	xml.Escape(&b, []byte(s))
	return b.String()
}

// goxmppValidUTF8 is go-xmpp's validUTF8.
func goxmppValidUTF8(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	reg := regexp.MustCompile(`[\x{0000}-\x{0008}\x{000B}\x{000C}\x{000E}-\x{001F}]`)
	return reg.ReplaceAllString(s, "\uFFFD")
}

// goxmppUUID is go-xmpp's getUUID.
func goxmppUUID() string {
	id, err := uuid.NewV7()
	if err != nil {
		panic(err)
	}
	return id.String()
}
