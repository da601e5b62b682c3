package main

import (
	"context"

	goxmpp "github.com/xmppo/go-xmpp"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

func goxmppLib() lib {
	return lib{key: "goxmpp", name: "github.com/xmppo/go-xmpp",
		how:         "Options{StartTLS}.NewClient (strongest SCRAM offered); Send(Chat), no hint possible; caller's Recv loop",
		callerReads: true,
		dial:        dialGoxmpp,
		connector: func(p params, a xmppraw.Account) func(ctx context.Context) (string, func(), error) {
			return func(ctx context.Context) (string, func(), error) {
				c, err := newGoxmpp(p, a)
				if err != nil {
					return "", nil, err
				}
				return c.Mechanism, func() { c.Close() }, nil
			}
		}}
}

func newGoxmpp(p params, a xmppraw.Account) (*goxmpp.Client, error) {
	return goxmpp.Options{
		Host:      p.env.Addr,
		User:      a.JID,
		Password:  a.Password,
		NoTLS:     true,
		StartTLS:  true,
		TLSConfig: p.tls,
	}.NewClient()
}

type goxmppSession struct{ c *goxmpp.Client }

func dialGoxmpp(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
	c, err := newGoxmpp(p, a)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			st, err := c.Recv()
			if err != nil {
				return
			}
			if m, ok := st.(goxmpp.Chat); ok && onChat != nil && m.Type == "chat" && m.Text == wantBody {
				onChat()
			}
		}
	}()
	return goxmppSession{c}, nil
}

func (g goxmppSession) jid() string { return g.c.JID() }

func (g goxmppSession) send(ctx context.Context, to string, seq int) error {
	_, err := g.c.Send(goxmpp.Chat{Remote: to, Type: "chat", Text: wantBody})
	return err
}

func (g goxmppSession) close() error { return g.c.Close() }
