package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

var pingCmd = &command{
	name:    "ping",
	args:    "[JID] [--count N] [--interval D]",
	summary: "measure round trips to an entity (XEP-0199)",
	about: `Send XMPP pings (XEP-0199) to JID (default: your server, §4.2) and print
each round-trip time, then a summary when more than one was sent. An entity
that answers with an error (it does not support ping, or does not exist) is
reported and exits with code 5.`,
	examples: []string{
		"parley ping",
		"parley ping --count 5 --interval 200ms example.org",
		"parley ping alice@example.org/phone",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		count := fs.Int("count", 1, "send `N` pings")
		interval := fs.Duration("interval", time.Second, "wait `D` between pings")
		return func(ctx context.Context, args []string) error {
			if len(args) > 1 {
				return usagef("want at most one JID, got %q", args)
			}
			if *count < 1 {
				return usagef("--count %d: want 1 or more", *count)
			}
			return a.withTarget(ctx, args, func(s *xmpp.Session, to jid.JID) error {
				return a.ping(ctx, s, to, *count, *interval)
			})
		}
	},
}

func (a *app) ping(ctx context.Context, s *xmpp.Session, to jid.JID, count int, interval time.Duration) error {
	var total, lo, hi time.Duration
	for i := range count {
		if i > 0 {
			t := time.NewTimer(interval)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		rtt, err := ping.Ping(ctx, s, to)
		if err != nil {
			var se stanza.Error
			if errors.As(err, &se) {
				return remoteErr("ping "+to.String(), err)
			}
			return err
		}
		fmt.Fprintf(a.stdout, "reply from %s: seq=%d time=%s\n", to, i+1, ms(rtt))
		total += rtt
		if i == 0 || rtt < lo {
			lo = rtt
		}
		hi = max(hi, rtt)
	}
	if count > 1 {
		fmt.Fprintf(a.stdout, "%d pings: min %s, avg %s, max %s\n", count, ms(lo), ms(total/time.Duration(count)), ms(hi))
	}
	return nil
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

var versionCmd = &command{
	name:    "version",
	args:    "JID",
	summary: "ask an entity which software it runs (XEP-0092)",
	about: `Ask JID for its software name, version and (if it says) operating system
(XEP-0092). For the version of parley itself, run parley --version.`,
	examples: []string{
		"parley version example.org",
		"parley version alice@example.org/laptop",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		asJSON := fs.Bool("json", false, "print a JSON object with name, version and os")
		return func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return usagef("want exactly one JID (for parley's own version: parley --version)")
			}
			return a.withTarget(ctx, args, func(s *xmpp.Session, to jid.JID) error {
				info, err := version.Get(ctx, s, to)
				if err != nil {
					return remoteErr("version of "+to.String(), err)
				}
				if *asJSON {
					return writeJSON(a.stdout, struct {
						Name    string `json:"name"`
						Version string `json:"version"`
						OS      string `json:"os,omitempty"`
					}{info.Name, info.Version, info.OS})
				}
				line := info.Name + " " + info.Version
				if info.OS != "" {
					line += " (" + info.OS + ")"
				}
				fmt.Fprintln(a.stdout, line)
				return nil
			})
		}
	},
}
