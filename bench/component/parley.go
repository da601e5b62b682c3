package main

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/bench/internal/xmppraw"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func parleyImpl() impl {
	return impl{key: "parley", name: "Parley",
		how: "component.Dial (XEP-0114) → Session; HandleMessage(chat) replies with Session.Send(stanza.Message)",
		serve: func(ctx context.Context, env *xmppraw.Env, m *meter) (func() error, error) {
			s, err := component.Dial(ctx, env.CompAddr, env.CompDomain, env.CompSecret, nil)
			if err != nil {
				return nil, err
			}
			hint := &xmlstream.Element{Name: xmlstream.Name{Space: nsHints, Local: "no-store"}}
			s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
				r := stanza.NewMessage(stanza.MessageChat, in.Message.From)
				r.From = in.Message.To
				r.ID = in.Message.ID
				r.AddBody("", in.Message.Body(""))
				r.AddPayload(hint)
				if err := in.Session.Send(ctx, r); err != nil {
					return err
				}
				m.answered()
				return nil
			})
			return s.Close, nil
		}}
}
