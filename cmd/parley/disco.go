package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/jid"
)

var discoCmd = &command{
	name:    "disco",
	args:    "[JID] [--node N] [--items] [--json]",
	summary: "ask an entity what it is and offers (XEP-0030)",
	about: `Ask JID (default: your server) for its identities and features
(disco#info, XEP-0030 §3) or, with --items, for the entities it lists
(disco#items, §4), at --node if given. With --json the answer is one JSON
object.`,
	examples: []string{
		"parley disco",
		"parley disco --items example.org",
		"parley disco --json conference.example.org | jq -r '.features[]'",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		node := fs.String("node", "", "query the node `N`")
		items := fs.Bool("items", false, "list items (disco#items) instead of identities and features")
		asJSON := fs.Bool("json", false, "print the answer as one JSON object")
		return func(ctx context.Context, args []string) error {
			if len(args) > 1 {
				return usagef("want at most one JID, got %q", args)
			}
			return a.withTarget(ctx, args, func(s *xmpp.Session, to jid.JID) error {
				if *items {
					res, err := disco.GetItems(ctx, s, to, *node)
					if err != nil {
						return remoteErr("disco#items of "+to.String(), err)
					}
					return a.printItems(res, *asJSON)
				}
				res, err := disco.GetInfo(ctx, s, to, *node)
				if err != nil {
					return remoteErr("disco#info of "+to.String(), err)
				}
				return a.printInfo(res, *asJSON)
			})
		}
	},
}

type identityJSON struct {
	Category string `json:"category"`
	Type     string `json:"type"`
	Name     string `json:"name,omitempty"`
	Lang     string `json:"lang,omitempty"`
}

type infoJSON struct {
	Node       string         `json:"node,omitempty"`
	Identities []identityJSON `json:"identities"`
	Features   []string       `json:"features"`
}

type itemJSON struct {
	JID  string `json:"jid"`
	Node string `json:"node,omitempty"`
	Name string `json:"name,omitempty"`
}

type itemsJSON struct {
	Node  string     `json:"node,omitempty"`
	Items []itemJSON `json:"items"`
}

func (a *app) printInfo(info *disco.Info, asJSON bool) error {
	if asJSON {
		out := infoJSON{Node: info.Node, Identities: []identityJSON{}, Features: info.Features}
		if out.Features == nil {
			out.Features = []string{}
		}
		for _, id := range info.Identities {
			out.Identities = append(out.Identities, identityJSON(id))
		}
		return writeJSON(a.stdout, out)
	}
	for _, id := range info.Identities {
		line := "identity " + id.Category + "/" + id.Type
		if id.Name != "" {
			line += fmt.Sprintf(" %q", id.Name)
		}
		fmt.Fprintln(a.stdout, line)
	}
	for _, f := range info.Features {
		fmt.Fprintln(a.stdout, "feature "+f)
	}
	for _, f := range info.Forms {
		fmt.Fprintln(a.stdout, "form "+f.FormType())
	}
	return nil
}

func (a *app) printItems(items *disco.Items, asJSON bool) error {
	if asJSON {
		out := itemsJSON{Node: items.Node, Items: []itemJSON{}}
		for _, it := range items.Items {
			out.Items = append(out.Items, itemJSON{JID: it.JID.String(), Node: it.Node, Name: it.Name})
		}
		return writeJSON(a.stdout, out)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	for _, it := range items.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", it.JID, it.Node, it.Name)
	}
	return tw.Flush()
}

// withTarget logs in and runs f with the JID argument, or the account's
// server when there is none.
func (a *app) withTarget(ctx context.Context, args []string, f func(*xmpp.Session, jid.JID) error) error {
	var to jid.JID
	if len(args) == 1 {
		var err error
		if to, err = jid.Parse(args[0]); err != nil {
			return usagef("%q: %v", args[0], err)
		}
	}
	s, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if to.IsZero() {
		to = s.JID().Domain()
	}
	return f(s, to)
}
