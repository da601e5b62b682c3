// Command extension is a runnable example of a user-written Parley
// extension: a bot that answers XEP-0012 Last Activity requests (see
// lastactivity.go), next to the built-in disco, ping and version
// responders. docs/extensions.md walks through it.
//
// Run it as a bot:
//
//	go run ./examples/extension -jid bot@localhost -password botpass \
//	    -server 127.0.0.1:15222 -ca .servers/prosody/certs/localhost.crt
//
// and ask it from another account:
//
//	go run ./examples/extension -jid alice@localhost -password alicepass \
//	    -server 127.0.0.1:15222 -ca .servers/prosody/certs/localhost.crt \
//	    -query bot@localhost/<its resource>
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
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/jid"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "extension:", err)
		os.Exit(1)
	}
}

// run parses args, connects, adds the extensions and either queries
// -query or serves until ctx ends.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("extension", flag.ContinueOnError)
	account := fs.String("jid", "", "account `JID` to log in as")
	password := fs.String("password", "", "account password")
	server := fs.String("server", "", "`host:port` to connect to instead of DNS SRV")
	caFile := fs.String("ca", "", "PEM `file` of the server's certificate (default: system roots)")
	query := fs.String("query", "", "full `JID` to ask for its last activity, then exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *account == "" {
		return errors.New("-jid is required")
	}
	j, err := jid.Parse(*account)
	if err != nil {
		return err
	}
	cfg := &client.Config{Password: *password, Server: *server}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%s: no certificate", *caFile)
		}
		cfg.TLSConfig = &tls.Config{RootCAs: roots}
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	s, err := client.Dial(dctx, j, cfg)
	cancel()
	if err != nil {
		return err
	}
	defer s.Close()

	// Built-in extensions and ours are added the same way.
	for _, ext := range []xmpp.Extension{
		disco.New(nil),
		ping.New(nil),
		version.New(version.Info{Name: "parley-example"}),
		&LastActivity{},
	} {
		if _, err := s.Add(ext); err != nil {
			return err
		}
	}

	if *query != "" {
		to, err := jid.Parse(*query)
		if err != nil {
			return err
		}
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		info, err := disco.GetInfo(qctx, s, to, "")
		if err != nil {
			return fmt.Errorf("disco#info: %w", err)
		}
		if !info.HasFeature(NSLast) {
			return fmt.Errorf("%s does not advertise %s", to, NSLast)
		}
		idle, status, err := QueryLast(qctx, s, to)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s idle %v %q\n", to, idle, status)
		return nil
	}
	fmt.Fprintf(out, "serving as %s; interrupt to stop\n", s.JID())
	return s.Run(ctx)
}
