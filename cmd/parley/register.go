package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/ext/register"
	"parley.dev/xmpp/jid"
)

var registerCmd = &command{
	name:    "register",
	args:    "[--field NAME=VALUE]... --jid USER@DOMAIN",
	summary: "create an account by in-band registration (XEP-0077)",
	about: `Create the account --jid names on its server by in-band registration
(XEP-0077 §3.1). The user name is the JID's user part and the password
comes from the usual password sources (--password-file, --password-cmd,
$PARLEY_PASSWORD, or a prompt). The server's other fields (e-mail, a data
form) are taken from --field NAME=VALUE or asked for on a terminal.

A taken user name exits with code 5. The password itself is refused as a
--field: command lines are visible to every user of the machine.`,
	examples: []string{
		"parley register --jid alice@example.org --password-file ~/.alice-pw",
		"PARLEY_PASSWORD=$(pwgen 20 1) parley register --jid bot@example.org --field email=ops@example.org",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		var fields stringList
		fs.Var(&fields, "field", "set the registration field `NAME=VALUE` (repeatable)")
		return func(ctx context.Context, args []string) error { return a.register(ctx, fields, args) }
	},
}

func (a *app) register(ctx context.Context, fields []string, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	values := map[string]string{}
	for _, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		if !ok || name == "" {
			return usagef("--field %q: want NAME=VALUE", f)
		}
		if name == "password" {
			return usagef("--field password: give the password with --password-file, --password-cmd or $PARLEY_PASSWORD, never on the command line")
		}
		values[name] = value
	}
	j, err := a.accountJID()
	if err != nil {
		return err
	}
	if j.Localpart() == "" {
		return usagef("--jid %s has no user part: want USER@DOMAIN", j)
	}
	if _, ok := values["username"]; !ok {
		values["username"] = j.Localpart()
	}
	cfg, err := a.clientConfig()
	if err != nil {
		return err
	}
	pw, err := a.newPassword(ctx, secretSource{file: a.acct.passwordFile, cmd: a.acct.passwordCmd, envVar: "PARLEY_PASSWORD", what: "password"},
		"Password for the new account "+j.Bare().String()+": ")
	if err != nil {
		return err
	}
	values["password"] = pw
	fill := func(ctx context.Context, f *register.Fields) error {
		if f.Registered {
			return &exitError{code: exitRemote, msg: "the server says this connection is already registered"}
		}
		if f.Form != nil {
			return a.fillForm(f.Form, f.Instructions, values)
		}
		return a.fillLegacy(f, values)
	}
	var tr = a.trace()
	if err := client.RegisterTrace(ctx, j.Domain(), cfg, fill, tr); err != nil {
		if errors.Is(err, register.ErrConflict) {
			return fmt.Errorf("the user name %q is taken on %s: %w", j.Localpart(), j.Domainpart(), err)
		}
		return err
	}
	fmt.Fprintf(a.stdout, "registered %s\n", j.Bare())
	return nil
}

// fillLegacy sets the legacy fields (XEP-0077 §3.1) from values, asking on
// a terminal for those left empty.
func (a *app) fillLegacy(f *register.Fields, values map[string]string) error {
	var missing []string
	for i := range f.Legacy {
		fd := &f.Legacy[i]
		if v, ok := values[fd.Name]; ok {
			fd.Value = v
			continue
		}
		if fd.Value != "" {
			continue
		}
		if !isTerminal(a.stdin) {
			missing = append(missing, fd.Name)
			continue
		}
		if f.Instructions != "" {
			a.errorf("%s\n", f.Instructions)
			f.Instructions = ""
		}
		v, err := a.ask(fd.Name + ": ")
		if err != nil {
			return err
		}
		fd.Value = v
	}
	if len(missing) > 0 {
		return usagef("the server asks for %s: pass --field NAME=VALUE for each", strings.Join(missing, ", "))
	}
	return nil
}

// fillForm fills a registration data form (XEP-0077 §4, XEP-0004) from
// values, asking on a terminal for required fields left empty.
func (a *app) fillForm(f *form.Form, instructions string, values map[string]string) error {
	var missing []string
	for i := range f.Fields {
		fd := &f.Fields[i]
		if fd.Var == "" || fd.Kind() == "fixed" || fd.Kind() == "hidden" {
			continue
		}
		if v, ok := values[fd.Var]; ok {
			if err := f.Set(fd.Var, v); err != nil {
				return usagef("--field %s: %v", fd.Var, err)
			}
			continue
		}
		if !fd.Required || fd.Value() != "" {
			continue
		}
		if !isTerminal(a.stdin) {
			missing = append(missing, fd.Var)
			continue
		}
		label := fd.Label
		if label == "" {
			label = fd.Var
		}
		var v string
		var err error
		if fd.Kind() == "text-private" {
			v, err = a.prompt(a.stdin.(*os.File), label+": ")
		} else {
			v, err = a.ask(label + ": ")
		}
		if err != nil {
			return err
		}
		if err := f.Set(fd.Var, v); err != nil {
			return usagef("%s: %v", label, err)
		}
	}
	if len(missing) > 0 {
		return usagef("the server's form needs %s: pass --field NAME=VALUE for each", strings.Join(missing, ", "))
	}
	return nil
}

// newPassword reads a new password from src, or asks for it twice on a
// terminal.
func (a *app) newPassword(ctx context.Context, src secretSource, prompt string) (string, error) {
	if src.file != "" || src.cmd != "" || a.getenv(src.envVar) != "" || !isTerminal(a.stdin) {
		return a.secret(ctx, src, prompt)
	}
	tty := a.stdin.(*os.File)
	p1, err := a.prompt(tty, prompt)
	if err != nil {
		return "", err
	}
	p2, err := a.prompt(tty, "Again: ")
	if err != nil {
		return "", err
	}
	if p1 != p2 {
		return "", usagef("the passwords differ")
	}
	return p1, nil
}

var passwdCmd = &command{
	name:    "passwd",
	args:    "[--new-password-file FILE | --new-password-cmd CMD]",
	summary: "change the account's password (XEP-0077 §3.3)",
	about: `Log in and change the account's password (XEP-0077 §3.3). The new password
comes from --new-password-file, --new-password-cmd, $PARLEY_NEW_PASSWORD,
or is asked for twice on a terminal. A server that refuses exits with code 5.`,
	examples: []string{
		"parley passwd --jid alice@example.org --password-file old.txt --new-password-file new.txt",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		src := secretSource{envVar: "PARLEY_NEW_PASSWORD", what: "new password"}
		fs.StringVar(&src.file, "new-password-file", "", "read the new password from the first line of `FILE`")
		fs.StringVar(&src.cmd, "new-password-cmd", "", "run `CMD` with sh -c and read the new password from its first output line")
		return func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q", args)
			}
			j, err := a.accountJID()
			if err != nil {
				return err
			}
			newPW, err := a.newPassword(ctx, src, "New password for "+j.Bare().String()+": ")
			if err != nil {
				return err
			}
			s, err := a.dial(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := register.ChangePassword(ctx, s, s.JID().Domain(), s.JID().Localpart(), newPW); err != nil {
				var fe *register.FormError
				if errors.As(err, &fe) {
					return remoteErr("the server wants a form filled in to change the password, which parley passwd does not do", err)
				}
				return remoteErr("changing the password", err)
			}
			fmt.Fprintf(a.stdout, "password changed for %s\n", s.JID().Bare())
			return nil
		}
	},
}

var unregisterCmd = &command{
	name:    "unregister",
	args:    "--yes",
	summary: "delete the account from its server (XEP-0077 §3.2)",
	about: `Log in and delete the account from the server (XEP-0077 §3.2). This cannot
be undone: --yes is required.`,
	examples: []string{
		"parley unregister --jid old-bot@example.org --password-file pw.txt --yes",
	},
	account: true,
	timeout: oneShotTimeout,
	setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
		yes := fs.Bool("yes", false, "really delete the account")
		return func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q", args)
			}
			if !*yes {
				return usagef("deleting an account cannot be undone: add --yes")
			}
			s, err := a.dial(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			me := s.JID().Bare()
			if err := register.Cancel(ctx, s, jid.JID{}); err != nil {
				return remoteErr("deleting the account", err)
			}
			fmt.Fprintf(a.stdout, "unregistered %s\n", me)
			return nil
		}
	},
}
