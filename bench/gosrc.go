package main

import (
	"encoding/xml"
	"fmt"

	gstanza "gosrc.io/xmpp/stanza"
)

// decodeGosrc is gosrc.io/xmpp's read path: stanza.InitStream reads the
// header, then the client's receive loop calls stanza.NextPacket on its
// xml.Decoder for each packet (a stanza.Message here, with its chat state
// decoded as a registered extension) until the stream closes.
func decodeGosrc(in []byte) (int, error) {
	d := xml.NewDecoder(newGosrcReader(in))
	if _, err := gstanza.InitStream(d); err != nil {
		return 0, err
	}
	n := 0
	for {
		p, err := gstanza.NextPacket(d)
		if err != nil {
			return n, err
		}
		switch m := p.(type) {
		case gstanza.StreamClosePacket:
			return n, nil
		case gstanza.Message:
			if m.Type == gstanza.MessageTypeChat && m.Id != "" && m.From != "" &&
				m.Body == wantBody && gosrcActive(m) {
				n++
			}
		default:
			return n, fmt.Errorf("unexpected packet %T", p)
		}
	}
}

func gosrcActive(m gstanza.Message) bool {
	for _, e := range m.Extensions {
		if _, ok := e.(*gstanza.StateActive); ok {
			return true
		}
	}
	return false
}

// gosrcMessage is the message the gosrc encoder writes.
func gosrcMessage() gstanza.Message {
	m := gstanza.NewMessage(gstanza.Attrs{Type: gstanza.MessageTypeChat, Id: encodeID, From: fromJID, To: toJID})
	m.Body = wantBody
	m.Extensions = append(m.Extensions, gstanza.StateActive{})
	return m
}

// encodeGosrc is what gosrc.io/xmpp's Client.Send does with a packet before
// writing it: xml.Marshal.
func encodeGosrc(m *gstanza.Message) ([]byte, error) {
	return xml.Marshal(*m)
}
