// Command demo shows Parley at work in one short run: two accounts log in to
// an XMPP server, subscribe to each other (RFC 6121 §3), print their roster
// and presence databases, exchange presence and messages, one offers the
// other a URL out of band (XEP-0066), asks which software it runs
// (XEP-0092) and pings the server (XEP-0199). Every
// step prints one line, so a newcomer sees what happened on the wire:
//
//	alice              logged in as alice@localhost/parley-demo
//	alice → bob        presence available, status "Trying Parley"
//	alice → bob        message "Hello, Bob!"
//
// It starts nothing itself: "make demo" starts the local test servers and
// runs it against Prosody, with the accounts alice and bob:
//
//	go run ./examples/demo -server 127.0.0.1:15222 -ca .servers/prosody/certs/localhost.crt \
//	    -alice alice@localhost -alice-password alicepass -bob bob@localhost -bob-password bobpass
//
// The steps are a list (see steps.go); adding one is adding a function.
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

	"parley.dev/xmpp/jid"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// options are the demo's command line.
type options struct {
	server   string // host:port of the client port, "" for DNS SRV
	tls      *tls.Config
	accounts [2]login // alice and bob
	timeout  time.Duration
}

// login is one account to log in as.
type login struct {
	name     string // how the demo prints it
	jid      jid.JID
	password string
}

// run parses args and runs every step, printing to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	d := &demo{opts: opts, out: out}
	defer d.close()
	server := opts.server
	if server == "" {
		server = opts.accounts[0].jid.Domainpart()
	}
	fmt.Fprintf(out, "Parley demo: %s and %s on %s\n\n", opts.accounts[0].jid, opts.accounts[1].jid, server)
	for _, st := range steps {
		if err := st.run(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	fmt.Fprintf(out, "\nAll %d steps done.\n", len(steps))
	return nil
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	server := fs.String("server", "", "`host:port` of the server's client port (default: DNS SRV of the domain)")
	caFile := fs.String("ca", "", "PEM `file` of the server's certificate (default: system roots)")
	alice := fs.String("alice", "alice@localhost", "first account's `JID`")
	alicePass := fs.String("alice-password", "alicepass", "first account's password")
	bob := fs.String("bob", "bob@localhost", "second account's `JID`")
	bobPass := fs.String("bob-password", "bobpass", "second account's password")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	opts := &options{server: *server, timeout: *timeout, tls: &tls.Config{MinVersion: tls.VersionTLS12}}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return nil, err
		}
		opts.tls.RootCAs = x509.NewCertPool()
		if !opts.tls.RootCAs.AppendCertsFromPEM(pem) {
			return nil, errors.New(*caFile + ": no PEM certificate")
		}
	}
	for i, a := range []struct{ name, jid, pass string }{{"alice", *alice, *alicePass}, {"bob", *bob, *bobPass}} {
		j, err := jid.Parse(a.jid)
		if err != nil {
			return nil, fmt.Errorf("-%s: %w", a.name, err)
		}
		opts.accounts[i] = login{name: a.name, jid: j, password: a.pass}
	}
	return opts, nil
}
