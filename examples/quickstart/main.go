// Command quickstart is the program of the README: it logs in, sends one
// chat message and prints the first chat message it gets back.
//
//	XMPP_JID=alice@localhost XMPP_PASSWORD=alicepass XMPP_SERVER=127.0.0.1:15222 \
//	SSL_CERT_FILE=.servers/prosody/certs/localhost.crt go run ./examples/quickstart carol@localhost
//
// XMPP_SERVER is optional (default: DNS SRV of the JID's domain, RFC 6120
// §3.2); SSL_CERT_FILE makes Go trust the local test server's certificate.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: quickstart JID-to-write-to")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Log in: STARTTLS with certificate checks, the strongest SASL
	// mechanism the server offers, resource binding.
	s, err := client.Dial(ctx, jid.MustParse(os.Getenv("XMPP_JID")), &client.Config{
		Password: os.Getenv("XMPP_PASSWORD"),
		Server:   os.Getenv("XMPP_SERVER"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// Handlers run on the Session's goroutine, one stanza at a time.
	replies := make(chan stanza.Message, 1)
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
		select {
		case replies <- *in.Message:
		default:
		}
		return xmpp.Handled
	})

	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse(os.Args[1]))
	m.AddBody("", "Hello from Parley!")
	if err := s.Send(ctx, m); err != nil {
		log.Fatal(err)
	}
	select {
	case r := <-replies:
		fmt.Printf("%v says: %s\n", r.From, r.Body(""))
	case <-ctx.Done():
		log.Fatal("no reply")
	}
}
