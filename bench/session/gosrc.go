package main

import (
	"context"
	"encoding/xml"
	"strconv"

	gosrc "gosrc.io/xmpp"
	gstanza "gosrc.io/xmpp/stanza"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

func gosrcLib() lib {
	return lib{key: "gosrc", name: "gosrc.io/xmpp",
		how:  "NewClient + Connect (PLAIN: its only password mechanism); Send(stanza.Message); Router.HandleFunc(\"message\")",
		dial: dialGosrc,
		connector: func(p params, a xmppraw.Account) func(ctx context.Context) (string, func(), error) {
			return func(ctx context.Context) (string, func(), error) {
				c, err := newGosrcClient(p, a, gosrc.NewRouter())
				if err != nil {
					return "", nil, err
				}
				if err := c.Connect(); err != nil {
					return "", nil, err
				}
				return "PLAIN", func() { c.Disconnect() }, nil
			}
		}}
}

// gosrcNoStore is the XEP-0334 hint as a gosrc message extension.
type gosrcNoStore struct {
	XMLName xml.Name `xml:"urn:xmpp:hints no-store"`
}

func newGosrcClient(p params, a xmppraw.Account, r *gosrc.Router) (*gosrc.Client, error) {
	cfg := &gosrc.Config{
		TransportConfiguration: gosrc.TransportConfiguration{Address: p.env.Addr, Domain: p.env.Domain, TLSConfig: p.tls},
		Jid:                    a.JID,
		Credential:             gosrc.Password(a.Password),
	}
	return gosrc.NewClient(cfg, r, func(error) {})
}

type gosrcSession struct{ c *gosrc.Client }

func dialGosrc(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
	r := gosrc.NewRouter()
	if onChat != nil {
		r.HandleFunc("message", func(s gosrc.Sender, pk gstanza.Packet) {
			if m, ok := pk.(gstanza.Message); ok && m.Type == gstanza.MessageTypeChat && m.Body == wantBody {
				onChat()
			}
		})
	}
	c, err := newGosrcClient(p, a, r)
	if err != nil {
		return nil, err
	}
	if err := c.Connect(); err != nil {
		return nil, err
	}
	return gosrcSession{c}, nil
}

func (g gosrcSession) jid() string { return g.c.Session.BindJid }

func (g gosrcSession) send(ctx context.Context, to string, seq int) error {
	m := gstanza.NewMessage(gstanza.Attrs{Type: gstanza.MessageTypeChat, To: to, Id: "m" + strconv.Itoa(seq)})
	m.Body = wantBody
	m.Extensions = append(m.Extensions, gosrcNoStore{})
	return g.c.Send(m)
}

func (g gosrcSession) close() error { return g.c.Disconnect() }
