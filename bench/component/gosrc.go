package main

import (
	"context"
	"encoding/xml"

	gosrc "gosrc.io/xmpp"
	gstanza "gosrc.io/xmpp/stanza"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

// gosrcNoStore is the XEP-0334 hint as a gosrc message extension.
type gosrcNoStore struct {
	XMLName xml.Name `xml:"urn:xmpp:hints no-store"`
}

func gosrcImpl() impl {
	return impl{key: "gosrc", name: "gosrc.io/xmpp",
		how: "NewComponent + Connect; Router.HandleFunc(\"message\") replies with Sender.Send(stanza.Message)",
		serve: func(ctx context.Context, env *xmppraw.Env, m *meter) (func() error, error) {
			r := gosrc.NewRouter()
			r.HandleFunc("message", func(s gosrc.Sender, p gstanza.Packet) {
				in, ok := p.(gstanza.Message)
				if !ok || in.Type != gstanza.MessageTypeChat {
					return
				}
				out := gstanza.NewMessage(gstanza.Attrs{Type: gstanza.MessageTypeChat, From: in.To, To: in.From, Id: in.Id})
				out.Body = in.Body
				out.Extensions = append(out.Extensions, gosrcNoStore{})
				if s.Send(out) == nil {
					m.answered()
				}
			})
			c, err := gosrc.NewComponent(gosrc.ComponentOptions{
				TransportConfiguration: gosrc.TransportConfiguration{Address: env.CompAddr, Domain: env.CompDomain},
				Domain:                 env.CompDomain,
				Secret:                 env.CompSecret,
			}, r, func(error) {})
			if err != nil {
				return nil, err
			}
			if err := c.Connect(); err != nil {
				return nil, err
			}
			return c.Disconnect, nil
		}}
}
