package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// command is one parley command: its help text and how it runs.
type command struct {
	name     string   // "send", "roster add"
	args     string   // the synopsis after the name: "[flags] TO..."
	summary  string   // one line for the command list
	about    string   // what it does, for --help
	examples []string // shown by --help
	// account: the command logs in to an account (account flags).
	account bool
	// timeout is the --timeout default (0: none) and timeoutHelp its text.
	timeout     time.Duration
	timeoutHelp string
	// setup registers the command's own flags on fs and returns the
	// function that runs it with the positional arguments.
	setup func(a *app, fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

// oneShotTimeout bounds commands that make one exchange and exit.
const oneShotTimeout = time.Minute

// groups are the words that only introduce sub-commands.
var groups = map[string]string{
	"roster":    "manage the roster (RFC 6121 §2): list, add, remove",
	"oob":       "offer and receive out-of-band URLs (XEP-0066): send, receive",
	"component": "run a server component (XEP-0114, jabberd2 router): echo",
}

// lookup finds the command named by the first one or two words of args
// and returns it with the number of words used.
func lookup(args []string) (*command, int) {
	if len(args) >= 2 {
		for _, c := range commands {
			if c.name == args[0]+" "+args[1] {
				return c, 2
			}
		}
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c, 1
		}
	}
	return nil, 0
}

// newFlagSet builds c's flag set; the returned function runs c.
func (c *command) newFlagSet(a *app) (*flag.FlagSet, func(context.Context, []string) error) {
	fs := flag.NewFlagSet("parley "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	run := c.setup(a, fs)
	if c.account {
		a.acct.register(fs)
	}
	a.common.register(fs, c.timeout, c.timeoutHelp)
	return fs, run
}

// writeHelp writes c's --help: synopsis, description, examples and every
// flag, the command's own first, then the account and common ones.
func (c *command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: parley %s %s\n\n", c.name, c.args)
	fmt.Fprintf(w, "%s\n", strings.TrimSpace(c.about))
	if len(c.examples) > 0 {
		fmt.Fprintf(w, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	sections := []struct {
		title string
		keep  func(name string) bool
	}{
		{"Flags", func(n string) bool { return !accountFlagNames[n] && !commonFlagNames[n] }},
		{"Account flags", func(n string) bool { return accountFlagNames[n] }},
		{"Common flags", func(n string) bool { return commonFlagNames[n] }},
	}
	for _, sec := range sections {
		var lines []string
		fs.VisitAll(func(f *flag.Flag) {
			if sec.keep(f.Name) {
				lines = append(lines, flagLine(f))
			}
		})
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", sec.title)
		for _, l := range lines {
			fmt.Fprint(w, l)
		}
	}
}

// flagLine formats one flag: "  --name ARG" then its text, aligned.
func flagLine(f *flag.Flag) string {
	arg, usage := flag.UnquoteUsage(f)
	if arg == "value" {
		arg = "VALUE"
	}
	head := "  --" + f.Name
	if len(f.Name) == 1 {
		head = "  -" + f.Name
	}
	if arg != "" {
		head += " " + arg
	}
	if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" && def != "[]" {
		usage += fmt.Sprintf(" (default %s)", def)
	}
	const col = 28
	if len(head) < col-1 {
		return fmt.Sprintf("%-*s%s\n", col, head, usage)
	}
	return fmt.Sprintf("%s\n%*s%s\n", head, col, "", usage)
}

// writeGroupHelp lists the sub-commands of group.
func writeGroupHelp(w io.Writer, group string) {
	fmt.Fprintf(w, "Usage: parley %s COMMAND [flags] [arguments]\n\n%s.\n\nCommands:\n", group, upperFirst(groups[group]))
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintf(w, "\nRun 'parley %s COMMAND --help' for the flags of a command.\n", group)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
