package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/muc"
	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

var sendCmd = &command{
	name:    "send",
	args:    "[flags] TO...  |  parley send --muc ROOM@SERVICE [--nick N] -m TEXT",
	summary: "send a message to each recipient, or post to a chat room",
	about: `Send one message to each recipient (RFC 6121 §5). Without -m the body is
read from standard input. After sending, parley makes one round trip
towards each recipient, and an error bounce that arrived by then is
reported with exit code 5. This is best effort: servers need not bounce
(Prosody drops a message to an unknown user silently, as RFC 6121
§8.5.2.2.1 allows) nor bounce before answering.

With --muc it joins the room (XEP-0045 §7.2), posts the message, and leaves.`,
	examples: []string{
		"parley send -m 'disk full on db1' ops@example.org",
		"df -h | parley send --type normal --subject 'df on db1' alice@example.org bob@example.org",
		"parley send --oob https://example.org/report.pdf --desc 'weekly report' -m report alice@example.org",
		"parley send --muc ops@conference.example.org --nick alerts -m 'deploy finished'",
	},
	account: true,
	timeout: oneShotTimeout,
	setup:   setupSend,
}

type sendOpts struct {
	typ     choice
	subject string
	thread  string
	oob     string
	desc    string
	body    string
	bodySet bool
	muc     string
	nick    string
}

func setupSend(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	o := &sendOpts{typ: choice{value: "chat", allowed: []string{"chat", "normal", "headline"}}}
	fs.Var(&o.typ, "type", "message `TYPE`: chat, normal or headline")
	fs.StringVar(&o.subject, "subject", "", "the message's `SUBJECT`")
	fs.StringVar(&o.thread, "thread", "", "the conversation `THREAD` id")
	fs.StringVar(&o.oob, "oob", "", "attach `URL` as out-of-band data (XEP-0066 jabber:x:oob)")
	fs.StringVar(&o.desc, "desc", "", "description `D` of the --oob URL")
	fs.Func("m", "message `TEXT` (default: read standard input)", func(s string) error {
		o.body, o.bodySet = s, true
		return nil
	})
	fs.StringVar(&o.muc, "muc", "", "post to the chat `ROOM@SERVICE` instead of recipients")
	fs.StringVar(&o.nick, "nick", "", "room `NICK` for --muc (default: the account's user name)")
	return func(ctx context.Context, args []string) error { return a.send(ctx, o, args) }
}

func (a *app) send(ctx context.Context, o *sendOpts, args []string) error {
	var to []jid.JID
	var room jid.JID
	switch {
	case o.muc != "" && len(args) > 0:
		return usagef("--muc posts to the room only: drop the recipients %q", args)
	case o.muc != "":
		r, err := jid.Parse(o.muc)
		if err != nil || r.Localpart() == "" || r.Resourcepart() != "" {
			return usagef("--muc %q: want ROOM@SERVICE", o.muc)
		}
		room = r
	case len(args) == 0:
		return usagef("no recipient: give at least one JID")
	}
	for _, s := range args {
		j, err := jid.Parse(s)
		if err != nil {
			return usagef("recipient %q: %v", s, err)
		}
		to = append(to, j)
	}
	if o.desc != "" && o.oob == "" {
		return usagef("--desc describes an --oob URL: give --oob too")
	}
	if o.nick != "" && o.muc == "" {
		return usagef("--nick is for --muc")
	}
	body := o.body
	if !o.bodySet {
		if isTerminal(a.stdin) {
			a.errorf("parley: type the message, end with Ctrl-D\n")
		}
		b, err := io.ReadAll(io.LimitReader(a.stdin, 1<<20))
		if err != nil {
			return fmt.Errorf("reading the message from standard input: %w", err)
		}
		body = strings.TrimRight(string(b), "\n")
	}
	if body == "" && o.oob == "" && o.subject == "" {
		return usagef("empty message: give -m TEXT or text on standard input")
	}

	s, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	build := func(typ stanza.MessageType, j jid.JID) stanza.Message {
		m := stanza.NewMessage(typ, j)
		m.ID = xmpp.NewID()
		if o.subject != "" {
			m.SetSubject("", o.subject)
		}
		if body != "" {
			m.AddBody("", body)
		}
		if o.thread != "" {
			m.SetThread(o.thread, "")
		}
		if o.oob != "" {
			oob.Attach(&m, oob.Data{URL: o.oob, Desc: o.desc})
		}
		return m
	}
	if o.muc != "" {
		return a.sendMUC(ctx, s, room, o.nick, build(stanza.MessageGroupchat, room))
	}

	// Collect the error bounces of what we send (RFC 6120 §8.3).
	var mu sync.Mutex
	bounced := map[string]error{}
	sent := map[string]jid.JID{}
	remove := s.HandleMessage(stanza.MessageError, func(ctx context.Context, in *xmpp.Incoming) error {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := sent[in.Message.ID]; ok {
			e, _ := in.Message.Error()
			bounced[in.Message.ID] = e
		}
		return xmpp.Handled
	})
	defer remove()
	typ := stanza.MessageType(o.typ.value)
	for _, j := range to {
		m := build(typ, j)
		mu.Lock()
		sent[m.ID] = j
		mu.Unlock()
		if err := s.Send(ctx, m); err != nil {
			return err
		}
	}
	// One round trip per recipient along the path its message took: an iq
	// to the bare JID is handled by the recipient's server (RFC 6121
	// §8.5.1), after the message, so a bounce comes back before the answer
	// (any answer will do: an error too).
	for _, j := range to {
		if _, err := s.SendIQ(ctx, ping.IQ(j.Bare())); err != nil && !errors.Is(err, stanza.Error{}) {
			return err
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var errs []error
	for _, j := range to {
		for id, r := range sent {
			if r == j && bounced[id] != nil {
				errs = append(errs, fmt.Errorf("%s: %w", j, bounced[id]))
			}
		}
	}
	if len(errs) > 0 {
		return remoteErr("not delivered", errors.Join(errs...))
	}
	return nil
}

// sendMUC joins room (XEP-0045 §7.2, through ext/muc, which also unlocks a
// room the join created), posts m, waits for the room to reflect it (§7.4),
// and leaves (§7.14).
func (a *app) sendMUC(ctx context.Context, s *xmpp.Session, room jid.JID, nick string, m stanza.Message) error {
	if nick == "" {
		nick = s.JID().Localpart()
	}
	occupant, err := room.WithResource(nick)
	if err != nil {
		return usagef("--nick %q: %v", nick, err)
	}
	r, err := muc.Join(ctx, s, occupant)
	if err != nil {
		return remoteErr("joining "+room.String(), err)
	}
	defer r.Leave(context.WithoutCancel(ctx))
	if err := r.SendMessage(ctx, m); err != nil {
		return remoteErr("posting to "+room.String(), err)
	}
	return nil
}
