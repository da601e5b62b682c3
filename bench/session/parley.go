package main

import (
	"context"
	"strconv"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/bench/internal/xmppraw"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func parleyLib(smOff bool) lib {
	l := lib{key: "parley", name: "Parley",
		how: "client.Dial → Session; Send(stanza.Message); HandleMessage(chat)"}
	if smOff {
		l.key, l.name = "parley-nosm", "Parley, SM off"
		l.how = "as above with Config.SM.Disable (the peers do no XEP-0198)"
	}
	l.dial = func(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
		p.parley.smOff = smOff
		return dialParley(ctx, p, a, onChat)
	}
	l.connector = parleyConnector
	return l
}

func parleyConfig(p params, a xmppraw.Account) *client.Config {
	cfg := &client.Config{Password: a.Password, Server: p.env.Addr, TLSConfig: p.tls}
	if p.parley.smOff {
		cfg.Session = &xmpp.Config{SM: &xmpp.StreamManagement{Disable: true}}
	}
	return cfg
}

type parleySession struct {
	s     *xmpp.Session
	hints *xmlstream.Element
}

func dialParley(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
	j, err := jid.Parse(a.JID)
	if err != nil {
		return nil, err
	}
	s, err := client.Dial(ctx, j, parleyConfig(p, a))
	if err != nil {
		return nil, err
	}
	if onChat != nil {
		s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
			if in.Message.Body("") == wantBody {
				onChat()
			}
			return nil
		})
	}
	return &parleySession{s: s, hints: &xmlstream.Element{Name: xmlstream.Name{Space: nsHints, Local: "no-store"}}}, nil
}

func (p *parleySession) jid() string { return p.s.JID().String() }

func (p *parleySession) send(ctx context.Context, to string, seq int) error {
	j, err := jid.Parse(to)
	if err != nil {
		return err
	}
	m := stanza.NewMessage(stanza.MessageChat, j)
	m.ID = "m" + strconv.Itoa(seq)
	m.AddBody("", wantBody)
	m.AddPayload(p.hints)
	return p.s.Send(ctx, m)
}

func (p *parleySession) close() error { return p.s.Close() }

func parleyConnector(p params, a xmppraw.Account) func(ctx context.Context) (string, func(), error) {
	j, err := jid.Parse(a.JID)
	if err != nil {
		return func(context.Context) (string, func(), error) { return "", nil, err }
	}
	c, err := client.NewConnector(j, parleyConfig(p, a))
	return func(ctx context.Context) (string, func(), error) {
		if err != nil {
			return "", nil, err
		}
		st, err := c.Connect(ctx, nil)
		if err != nil {
			return "", nil, err
		}
		return st.Mechanism, func() {
			st.Conn.Write(xmlstream.AppendClose(nil))
			st.Conn.Close()
		}, nil
	}
}
