package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/roster"
	"parley.dev/xmpp/jid"
)

var rosterListCmd = &command{
	name:    "roster list",
	args:    "[--json]",
	summary: "print the roster: JID, name, subscription, groups",
	about: `Fetch the roster (RFC 6121 §2.1.3) and print it as a table sorted by JID:
JID, name, subscription (with "+ask" while a request is pending) and groups.
With --json, one JSON object per item and line: jid, name, subscription,
ask and groups.`,
	examples: []string{
		"parley roster list",
		"parley roster list --json | jq -r 'select(.subscription==\"both\") | .jid'",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		asJSON := fs.Bool("json", false, "print one JSON object per item")
		return func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q", args)
			}
			return a.withRoster(ctx, func(s *xmpp.Session, r *roster.Roster) error {
				items := r.Items()
				slices.SortFunc(items, func(x, y roster.Item) int { return cmp.Compare(x.JID.String(), y.JID.String()) })
				if *asJSON {
					for _, it := range items {
						groups := it.Groups
						if groups == nil {
							groups = []string{}
						}
						if err := writeJSON(a.stdout, rosterJSON{JID: it.JID.String(), Name: it.Name,
							Subscription: string(it.Subscription), Ask: it.Ask, Groups: groups}); err != nil {
							return err
						}
					}
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "JID\tNAME\tSUBSCRIPTION\tGROUPS")
				for _, it := range items {
					sub := string(it.Subscription)
					if it.Ask != "" {
						sub += "+ask"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.JID, it.Name, sub, strings.Join(it.Groups, ", "))
				}
				return tw.Flush()
			})
		}
	},
}

type rosterJSON struct {
	JID          string   `json:"jid"`
	Name         string   `json:"name"`
	Subscription string   `json:"subscription"`
	Ask          string   `json:"ask,omitempty"`
	Groups       []string `json:"groups"`
}

var rosterAddCmd = &command{
	name:    "roster add",
	args:    "JID [--name N] [--group G]...",
	summary: "add a contact to the roster, or update its name and groups",
	about: `Add JID to the roster, or update its name and groups when it is there
(RFC 6121 §2.3, §2.4). This does not ask for the contact's presence
(a subscription); the item starts with subscription none.`,
	examples: []string{
		"parley roster add bob@example.org --name Bob --group Friends --group Work",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		name := fs.String("name", "", "the contact's `N`ame")
		var groups stringList
		fs.Var(&groups, "group", "file the contact under group `G` (repeatable)")
		return func(ctx context.Context, args []string) error {
			j, err := oneJID(args)
			if err != nil {
				return err
			}
			return a.withRoster(ctx, func(s *xmpp.Session, r *roster.Roster) error {
				if err := r.Set(ctx, roster.Item{JID: j, Name: *name, Groups: groups}); err != nil {
					return remoteErr("adding "+j.String(), err)
				}
				return nil
			})
		}
	},
}

var rosterRemoveCmd = &command{
	name:    "roster remove",
	args:    "JID",
	summary: "remove a contact from the roster",
	about: `Remove JID from the roster (RFC 6121 §2.5); the server also cancels the
subscriptions both ways. A JID that is not in the roster exits with code 5.`,
	examples: []string{
		"parley roster remove bob@example.org",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		return func(ctx context.Context, args []string) error {
			j, err := oneJID(args)
			if err != nil {
				return err
			}
			return a.withRoster(ctx, func(s *xmpp.Session, r *roster.Roster) error {
				if !r.Exists(j) {
					// RFC 6121 §2.5.3 wants item-not-found from the server,
					// which ejabberd and jabberd2 do not send: check here.
					return &exitError{code: exitRemote, msg: j.String() + " is not in the roster; see parley roster list"}
				}
				if err := r.Remove(ctx, j); err != nil {
					return remoteErr("removing "+j.String(), err)
				}
				return nil
			})
		}
	},
}

// oneJID reads the one JID argument of a command.
func oneJID(args []string) (jid.JID, error) {
	if len(args) != 1 {
		return jid.JID{}, usagef("want exactly one JID, got %d arguments", len(args))
	}
	j, err := jid.Parse(args[0])
	if err != nil {
		return jid.JID{}, usagef("%q: %v", args[0], err)
	}
	return j, nil
}

// withRoster logs in, adds and fetches the roster, and runs f.
func (a *app) withRoster(ctx context.Context, f func(*xmpp.Session, *roster.Roster) error) error {
	s, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	r := roster.New(nil)
	if _, err := s.Add(r); err != nil {
		return err
	}
	if _, err := r.Fetch(ctx); err != nil {
		return remoteErr("fetching the roster", err)
	}
	return f(s, r)
}
