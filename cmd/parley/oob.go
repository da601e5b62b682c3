package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

var oobSendCmd = &command{
	name:    "oob send",
	args:    "JID URL [--desc D]",
	summary: "offer a URL to an entity and print its answer (XEP-0066)",
	about: `Offer URL to JID by jabber:iq:oob (XEP-0066 §3.1) and print its answer:
accepted (it retrieved the data; exit 0), rejected (406; exit 5) or
not-found (404; exit 5). JID is usually a full JID: an offer to a bare JID
is answered by the server.`,
	examples: []string{
		"parley oob send alice@example.org/laptop https://example.org/build.tar.gz --desc 'nightly build'",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		desc := fs.String("desc", "", "description `D` of the URL")
		return func(ctx context.Context, args []string) error {
			if len(args) != 2 {
				return usagef("want JID and URL, got %d arguments", len(args))
			}
			to, err := jid.Parse(args[0])
			if err != nil {
				return usagef("%q: %v", args[0], err)
			}
			if !strings.Contains(args[1], ":") {
				return usagef("%q is not a URL", args[1])
			}
			s, err := a.dial(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := oob.Send(ctx, s, to, oob.Data{URL: args[1], Desc: *desc})
			switch {
			case err != nil && res == 0:
				return remoteErr("offering to "+to.String(), err)
			case res == oob.Accepted:
				fmt.Fprintln(a.stdout, "accepted")
				return nil
			case res == oob.Rejected:
				fmt.Fprintln(a.stdout, "rejected")
				return &exitError{code: exitRemote, msg: to.String() + " rejected the offer"}
			case res == oob.NotFound:
				fmt.Fprintln(a.stdout, "not-found")
				return &exitError{code: exitRemote, msg: to.String() + " could not retrieve " + args[1]}
			}
			return fmt.Errorf("unknown answer %d", res)
		}
	},
}

var oobReceiveCmd = &command{
	name:    "oob receive",
	args:    "[--accept|--reject|--not-found] [--count N]",
	summary: "print the URLs offered to this account (XEP-0066)",
	about: `Go online and print each URL offered by jabber:iq:oob (XEP-0066 §3.1) or
carried by a message's jabber:x:oob (§3.2), one line each: URL, sender and
description, separated by tabs. An iq offer is answered as the flags say:
--accept (success: parley does not fetch the URL itself, whoever reads its
output does), --reject (not-acceptable) or --not-found (item-not-found).
Without them parley asks on a terminal and rejects otherwise. Offers must
reach this resource: give --resource and offer to the full JID.`,
	examples: []string{
		"parley oob receive --resource files --accept --count 1 | cut -f1 | xargs curl -O",
		"parley oob receive --reject",
	},
	account:     true,
	timeoutHelp: "stop after `D` (a duration: 30s, 10m; 0: run until interrupted)",
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		accept := fs.Bool("accept", false, "answer every offer with success")
		reject := fs.Bool("reject", false, "answer every offer with not-acceptable (406)")
		notFound := fs.Bool("not-found", false, "answer every offer with item-not-found (404)")
		count := fs.Int("count", 0, "stop after `N` offers (0: no limit)")
		return func(ctx context.Context, args []string) error {
			n := 0
			for _, b := range []bool{*accept, *reject, *notFound} {
				if b {
					n++
				}
			}
			switch {
			case len(args) > 0:
				return usagef("unexpected arguments %q", args)
			case n > 1:
				return usagef("--accept, --reject and --not-found exclude each other")
			case *count < 0:
				return usagef("--count %d: want 0 or more", *count)
			}
			answer := "ask"
			switch {
			case *accept:
				answer = "accept"
			case *reject:
				answer = "reject"
			case *notFound:
				answer = "not-found"
			case !isTerminal(a.stdin):
				answer = "reject"
			}
			return a.oobReceive(ctx, answer, *count)
		}
	},
}

func (a *app) oobReceive(ctx context.Context, answer string, count int) error {
	s, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	a.addResponders(s)

	done := make(chan struct{})
	var mu sync.Mutex // guards n and orders output and questions
	n := 0
	// seen prints one offer; it reports false once count offers were seen.
	seen := func(from jid.JID, d oob.Data) bool {
		if count > 0 && n >= count {
			return false
		}
		n++
		fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", d.URL, from, oneLine(d.Desc))
		return true
	}
	finish := func() {
		if count > 0 && n == count {
			close(done)
		}
	}
	ext := oob.New(&oob.Config{OnOffer: func(o *oob.Offer) {
		go func() {
			mu.Lock()
			defer mu.Unlock()
			if !seen(o.From, o.Data) {
				o.Reject(ctx)
				return
			}
			defer finish()
			how := answer
			if how == "ask" {
				reply, err := a.ask(fmt.Sprintf("%s offers %s: accept, reject or not-found? [a/r/n] ", o.From, o.Data.URL))
				switch {
				case err != nil:
					how = "reject"
				case strings.HasPrefix(reply, "a"):
					how = "accept"
				case strings.HasPrefix(reply, "n"):
					how = "not-found"
				default:
					how = "reject"
				}
			}
			var err error
			switch how {
			case "accept":
				err = o.Accept(ctx)
			case "not-found":
				err = o.NotFound(ctx)
			default:
				err = o.Reject(ctx)
			}
			if err != nil && !errors.Is(err, context.Canceled) {
				a.notice("answering %s: %v", o.From, err)
			}
		}()
	}})
	if _, err := s.Add(ext); err != nil {
		return err
	}
	s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Message.Type == stanza.MessageError {
			return nil
		}
		for _, d := range oob.FromMessage(*in.Message) {
			mu.Lock()
			if seen(in.Message.From, d) {
				finish()
			}
			mu.Unlock()
		}
		return nil
	})
	if err := a.goOnline(ctx, s, 0); err != nil {
		return err
	}
	a.notice("waiting for offers as %s", s.JID())
	return a.runUntil(ctx, s, done)
}
