package main

import (
	"context"
	"encoding/xml"
	"io"
	"net"

	mxmlstream "mellium.im/xmlstream"
	mxmpp "mellium.im/xmpp"
	mcomponent "mellium.im/xmpp/component"
	mjid "mellium.im/xmpp/jid"
	mstanza "mellium.im/xmpp/stanza"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

// melliumMessage is a message with a body and the no-store hint, as
// mellium's echobot example decodes and encodes them.
type melliumMessage struct {
	mstanza.Message
	Body    string `xml:"body"`
	NoStore *struct {
		XMLName xml.Name `xml:"urn:xmpp:hints no-store"`
	} `xml:"urn:xmpp:hints no-store"`
}

func melliumImpl() impl {
	return impl{key: "mellium", name: "mellium.im/xmpp",
		how: "component.NewSession over net.Dial; Serve(HandlerFunc): Decode the message, TokenReadEncoder.Encode the reply (its echobot)",
		serve: func(ctx context.Context, env *xmppraw.Env, m *meter) (func() error, error) {
			addr, err := mjid.Parse(env.CompDomain)
			if err != nil {
				return nil, err
			}
			var d net.Dialer
			conn, err := d.DialContext(ctx, "tcp", env.CompAddr)
			if err != nil {
				return nil, err
			}
			s, err := mcomponent.NewSession(ctx, addr, []byte(env.CompSecret), conn)
			if err != nil {
				conn.Close()
				return nil, err
			}
			hint := &struct {
				XMLName xml.Name `xml:"urn:xmpp:hints no-store"`
			}{}
			go s.Serve(mxmpp.HandlerFunc(func(t mxmlstream.TokenReadEncoder, start *xml.StartElement) error {
				if start.Name.Local != "message" {
					return nil
				}
				var in melliumMessage
				// The handler's reader starts after the start element.
				if err := xml.NewTokenDecoder(mxmlstream.MultiReader(mxmlstream.Token(*start), t)).Decode(&in); err != nil && err != io.EOF {
					return nil
				}
				if in.Type != mstanza.ChatMessage {
					return nil
				}
				out := melliumMessage{
					Message: mstanza.Message{To: in.From, From: in.To, ID: in.ID, Type: mstanza.ChatMessage},
					Body:    in.Body,
					NoStore: hint,
				}
				if t.Encode(out) == nil {
					m.answered()
				}
				return nil
			}))
			return func() error {
				err := s.Close()
				conn.Close()
				return err
			}, nil
		}}
}
