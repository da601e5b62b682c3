// Command echo-bot is the smallest useful XMPP client bot: it logs in,
// announces itself available (RFC 6121 §4.2) and answers every chat or
// normal message with the same text, in the same thread (RFC 6121 §5.2.5).
// It reconnects by itself when the server goes away.
//
// Against the local test servers (make servers):
//
//	go run ./examples/echo-bot -jid carol@localhost -password carolpass \
//	    -server 127.0.0.1:15222 -ca .servers/prosody/certs/localhost.crt
//
// then write to carol@localhost from any account.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "echo-bot:", err)
		os.Exit(1)
	}
}

// run logs in and echoes until ctx ends.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("echo-bot", flag.ContinueOnError)
	account := fs.String("jid", "", "the bot's account `JID`")
	password := fs.String("password", "", "the account's password")
	server := fs.String("server", "", "`host:port` to connect to (default: DNS SRV of the JID's domain)")
	caFile := fs.String("ca", "", "PEM `file` of the server's certificate (default: system roots)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	j, err := jid.Parse(*account)
	if err != nil || *account == "" {
		return fmt.Errorf("-jid: want an account JID: %v", err)
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		tlsConfig.RootCAs = x509.NewCertPool()
		if !tlsConfig.RootCAs.AppendCertsFromPEM(pem) {
			return errors.New(*caFile + ": no PEM certificate")
		}
	}
	s, err := client.Dial(ctx, j, &client.Config{
		Password:  *password,
		Server:    *server,
		TLSConfig: tlsConfig,
		Session: &xmpp.Config{
			Reconnect: &xmpp.Backoff{}, // defaults: 0.5 s doubling up to 60 s
			OnEvent: func(e xmpp.Event) {
				if e.Status == xmpp.StatusReady {
					fmt.Fprintf(out, "online as %v\n", e.JID)
				}
			},
		},
	})
	if err != nil {
		return err
	}
	if err := Start(ctx, s, out); err != nil {
		s.Close()
		return err
	}
	return s.Run(ctx)
}

// Start installs the echo handler on s and sends initial presence, so that
// the server delivers messages addressed to the bare JID (RFC 6121 §8.5.2).
// Each echoed message is logged to log from the handler goroutine.
func Start(ctx context.Context, s *xmpp.Session, log io.Writer) error {
	echo := func(ctx context.Context, in *xmpp.Incoming) error {
		m := *in.Message
		body := m.Body("")
		if body == "" {
			return xmpp.Handled // chat states, receipts: nothing to echo
		}
		reply := stanza.NewMessage(m.Type, m.From)
		reply.AddBody("", body)
		if th := in.Element.ChildText("", "thread"); th != "" {
			reply.SetThread(th, "")
		}
		fmt.Fprintf(log, "%v: %q\n", m.From, body)
		return in.Session.Send(ctx, reply)
	}
	s.HandleMessage(stanza.MessageChat, echo)
	s.HandleMessage(stanza.MessageNormal, echo)
	return s.Send(ctx, stanza.NewPresence(stanza.PresenceAvailable, jid.JID{}))
}
