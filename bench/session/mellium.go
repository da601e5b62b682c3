package main

import (
	"context"
	"encoding/xml"
	"io"
	"net"
	"strconv"

	"mellium.im/sasl"
	mxmlstream "mellium.im/xmlstream"
	mxmpp "mellium.im/xmpp"
	mjid "mellium.im/xmpp/jid"
	mstanza "mellium.im/xmpp/stanza"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

func melliumLib() lib {
	return lib{key: "mellium", name: "mellium.im/xmpp",
		how:         "NewClientSession(StartTLS, SASL(SCRAM-SHA-256 first), BindResource); Send(Message.Wrap); Serve + DecodeElement (its echobot)",
		callerReads: true,
		dial:        dialMellium,
		connector: func(p params, a xmppraw.Account) func(ctx context.Context) (string, func(), error) {
			return func(ctx context.Context) (string, func(), error) {
				s, err := newMelliumSession(ctx, p, a)
				if err != nil {
					return "", nil, err
				}
				return "SCRAM-SHA-256", func() { s.Close(); s.Conn().Close() }, nil
			}
		}}
}

func newMelliumSession(ctx context.Context, p params, a xmppraw.Account) (*mxmpp.Session, error) {
	j, err := mjid.Parse(a.JID)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.env.Addr)
	if err != nil {
		return nil, err
	}
	s, err := mxmpp.NewClientSession(ctx, j, conn,
		mxmpp.StartTLS(p.tls),
		mxmpp.SASL("", a.Password, sasl.ScramSha256, sasl.ScramSha1, sasl.Plain),
		mxmpp.BindResource(),
	)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

// melliumMessage is the echobot example's message with a body.
type melliumMessage struct {
	mstanza.Message
	Body string `xml:"body"`
}

type melliumSession struct{ s *mxmpp.Session }

func dialMellium(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
	s, err := newMelliumSession(ctx, p, a)
	if err != nil {
		return nil, err
	}
	go s.Serve(mxmpp.HandlerFunc(func(t mxmlstream.TokenReadEncoder, start *xml.StartElement) error {
		if start.Name.Local != "message" || onChat == nil {
			return nil
		}
		var msg melliumMessage
		// The handler's reader starts after the start element (mellium's
		// roster and paging packages put it back the same way).
		if err := xml.NewTokenDecoder(mxmlstream.MultiReader(mxmlstream.Token(*start), t)).Decode(&msg); err != nil && err != io.EOF {
			return nil
		}
		if msg.Type == mstanza.ChatMessage && msg.Body == wantBody {
			onChat()
		}
		return nil
	}))
	return melliumSession{s}, nil
}

func (m melliumSession) jid() string { return m.s.LocalAddr().String() }

func (m melliumSession) send(ctx context.Context, to string, seq int) error {
	j, err := mjid.Parse(to)
	if err != nil {
		return err
	}
	return m.s.Send(ctx, mstanza.Message{To: j, ID: "m" + strconv.Itoa(seq), Type: mstanza.ChatMessage}.Wrap(
		mxmlstream.MultiReader(
			mxmlstream.Wrap(mxmlstream.Token(xml.CharData(wantBody)), xml.StartElement{Name: xml.Name{Local: "body"}}),
			mxmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsHints, Local: "no-store"}}),
		)))
}

func (m melliumSession) close() error {
	err := m.s.Close()
	m.s.Conn().Close()
	return err
}
