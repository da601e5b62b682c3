// Command echo-component is an external XMPP component that echoes: every
// message sent to any address at its domain comes back to the sender, from
// that address, with the same body, type and thread. It connects with the
// Jabber Component Protocol (XEP-0114) or the jabberd2 router protocol and
// shows how a component uses the same Session API as a client: handlers,
// replies, the automatic service-unavailable for IQs it does not answer.
//
// Against the local test servers (make servers):
//
//	go run ./examples/echo-component -server 127.0.0.1:15347 -domain comp.localhost -secret compsecret
//	go run ./examples/echo-component -server 127.0.0.1:17347 -domain comp.jabberd2.localhost \
//	    -secret compsecret -protocol jabberd2
//
// then send a message to echo@comp.localhost from any account. The parley
// command offers the same service as "parley component echo".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/stanza"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "echo-component:", err)
		os.Exit(1)
	}
}

// run connects the component and echoes until ctx ends or the connection
// is lost for good (it reconnects after a server restart).
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("echo-component", flag.ContinueOnError)
	server := fs.String("server", "", "`host:port` of the server's component port")
	domain := fs.String("domain", "", "the component's `domain`, as configured on the server")
	secret := fs.String("secret", "", "the shared secret (jabberd2: the router user's password)")
	proto := fs.String("protocol", "xep0114", "xep0114 or jabberd2")
	user := fs.String("user", "", "jabberd2 router user (default: the domain)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *server == "" || *domain == "" {
		return errors.New("-server and -domain are required")
	}
	cfg := &component.Config{User: *user, Session: &xmpp.Config{Reconnect: &xmpp.Backoff{}}}
	switch *proto {
	case "xep0114":
		cfg.Protocol = component.XEP0114
	case "jabberd2":
		cfg.Protocol = component.Jabberd2
	default:
		return fmt.Errorf("unknown -protocol %q", *proto)
	}
	s, err := component.Dial(ctx, *server, *domain, *secret, cfg)
	if err != nil {
		return err
	}
	Echo(s, out)
	fmt.Fprintf(out, "component %s ready; send a message to anything@%s\n", s.JID(), s.JID())
	return s.Run(ctx)
}

// Echo installs the echo service on s: each message is answered from the
// address it was sent to (a component speaks for every JID at its domain,
// XEP-0114 §3), and a line is written to log (from the handler goroutine). Error messages are never
// answered (RFC 6120 §8.3.1: no error loops).
func Echo(s *xmpp.Session, log io.Writer) {
	s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		m := *in.Message
		if m.Type == stanza.MessageError {
			return xmpp.Handled
		}
		reply := stanza.NewMessage(m.Type, m.From)
		reply.From = m.To
		reply.AddBody("", m.Body(""))
		if th := in.Element.ChildText("", "thread"); th != "" {
			reply.SetThread(th, "")
		}
		fmt.Fprintf(log, "%v → %v: %q\n", m.From, m.To, m.Body(""))
		if err := in.Session.Send(ctx, reply); err != nil {
			return err
		}
		return xmpp.Handled
	})
}
