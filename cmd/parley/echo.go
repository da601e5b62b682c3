package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/ext/presence"
	"parley.dev/xmpp/stanza"
)

var echoCmd = &command{
	name:    "echo",
	args:    "[--accept-subscriptions] [--count N]",
	summary: "run a bot that echoes every chat message back",
	about: `Log in, go online, and answer every chat message that has a body with the
same body (and thread). With --accept-subscriptions it approves every
presence subscription request (RFC 6121 §3.1) and asks for the contact's
presence in return. It runs until interrupted, --timeout, or --count.`,
	examples: []string{
		"parley echo --jid echo@example.org --password-cmd 'pass show xmpp/echo'",
		"parley echo --accept-subscriptions --timeout 1h",
	},
	account:     true,
	timeoutHelp: "stop after `D` (a duration: 30s, 10m; 0: run until interrupted)",
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		accept := fs.Bool("accept-subscriptions", false, "approve every subscription request")
		count := fs.Int("count", 0, "stop after echoing `N` messages (0: no limit)")
		return func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q", args)
			}
			if *count < 0 {
				return usagef("--count %d: want 0 or more", *count)
			}
			s, err := a.dial(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			a.addResponders(s)
			if *accept {
				if err := acceptSubscriptions(s); err != nil {
					return err
				}
			}
			done := echoMessages(s, *count, func(m stanza.Message) stanza.Message {
				return stanza.NewMessage(stanza.MessageChat, m.From)
			}, stanza.MessageChat)
			if err := a.goOnline(ctx, s, 0); err != nil {
				return err
			}
			a.notice("echo bot online as %s", s.JID())
			return a.runUntil(ctx, s, done)
		}
	},
}

// echoMessages answers every chat or normal message with a body with the
// same body and thread, built from reply(in). After count echoes (0: no
// limit) it closes the returned channel.
func echoMessages(s *xmpp.Session, count int, reply func(stanza.Message) stanza.Message, types ...stanza.MessageType) <-chan struct{} {
	done := make(chan struct{})
	var mu sync.Mutex
	n := 0
	h := func(ctx context.Context, in *xmpp.Incoming) error {
		body := in.Message.Body("")
		if body == "" || in.Message.From.IsZero() {
			return nil // chat states, receipts: nothing to echo
		}
		mu.Lock()
		defer mu.Unlock()
		if count > 0 && n >= count {
			return nil
		}
		out := reply(*in.Message)
		out.ID = xmpp.NewID()
		out.AddBody("", body)
		if th := in.Message.El.ChildText(in.Element.Name.Space, "thread"); th != "" {
			out.SetThread(th, "")
		}
		if err := s.Send(ctx, out); err != nil {
			return err
		}
		n++
		if count > 0 && n == count {
			close(done)
		}
		return xmpp.Handled
	}
	for _, t := range types {
		s.HandleMessage(t, h)
	}
	return done
}

// runUntil waits for done, the end of ctx (a normal stop for a bot) or the
// end of the session (an error).
func (a *app) runUntil(ctx context.Context, s *xmpp.Session, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return nil
	case <-s.Done():
		return sessionEnded(s)
	}
}

var componentEchoCmd = &command{
	name:    "component echo",
	args:    "--server HOST:PORT --domain D --secret-file F [--protocol xep0114|jabberd2]",
	summary: "run an echo component (XEP-0114 or the jabberd2 router protocol)",
	about: `Connect to a server's component port as the component D and answer every
chat or normal message with a body, sent to any address at D, with the same
body, from the address it was sent to. XEP-0114 authenticates with the
shared secret's handshake (§3); the jabberd2 router protocol with SASL
DIGEST-MD5 as --user (default: the domain), then binds D.`,
	examples: []string{
		"parley component echo --server 127.0.0.1:5347 --domain echo.example.org --secret-file secret.txt",
		"parley component echo --protocol jabberd2 --server 127.0.0.1:5347 --domain echo.example.org --secret-file secret.txt",
	},
	timeoutHelp: "stop after `D` (a duration: 30s, 10m; 0: run until interrupted)",
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		server := fs.String("server", "", "the server's component port `HOST:PORT` (required)")
		domain := fs.String("domain", "", "the component's `DOMAIN` (required)")
		secretFile := fs.String("secret-file", "", "read the shared secret from the first line of `FILE` (required)")
		proto := &choice{value: "xep0114", allowed: []string{"xep0114", "jabberd2"}}
		fs.Var(proto, "protocol", "`PROTOCOL`: xep0114 or jabberd2")
		user := fs.String("user", "", "jabberd2 router `USER` (default: the domain)")
		count := fs.Int("count", 0, "stop after echoing `N` messages (0: no limit)")
		return func(ctx context.Context, args []string) error {
			switch {
			case len(args) > 0:
				return usagef("unexpected arguments %q", args)
			case *server == "" || *domain == "" || *secretFile == "":
				return usagef("--server, --domain and --secret-file are required")
			case *count < 0:
				return usagef("--count %d: want 0 or more", *count)
			}
			secret, err := a.secret(ctx, secretSource{file: *secretFile, what: "secret"}, "")
			if err != nil {
				return err
			}
			cfg := &component.Config{User: *user, Session: a.sessionConfig()}
			if proto.value == "jabberd2" {
				cfg.Protocol = component.Jabberd2
			}
			s, err := component.Dial(ctx, *server, *domain, secret, cfg)
			if err != nil {
				if errors.Is(err, component.ErrNameTaken) {
					return &exitError{code: exitRemote, err: err, msg: fmt.Sprintf("%v; is another component connected as %s?", err, *domain)}
				}
				return err
			}
			defer s.Close()
			done := echoMessages(s, *count, func(m stanza.Message) stanza.Message {
				out := stanza.NewMessage(m.Type, m.From)
				out.From = m.To
				return out
			}, stanza.MessageChat, stanza.MessageNormal)
			a.notice("component %s ready", *domain)
			return a.runUntil(ctx, s, done)
		}
	},
}

// acceptSubscriptions approves every presence subscription request with
// ext/presence's AcceptAll policy (Net::XMPP's default callbacks) and asks
// for the contact's presence in return (RFC 6121 §3.1.1).
func acceptSubscriptions(s *xmpp.Session) error {
	_, err := s.Add(presence.New(&presence.Config{
		Policy: presence.AcceptAll,
		OnSubscription: func(ev presence.SubscriptionEvent) {
			if ev.Type == stanza.PresenceSubscribe && ev.Answer == stanza.PresenceSubscribed {
				go presence.Subscribe(context.Background(), s, ev.From)
			}
		},
	}))
	return err
}
