package main

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

// common holds the flags every command has (docs/cli.md, "Common flags").
type common struct {
	debug   bool
	timeout time.Duration
}

func (c *common) register(fs *flag.FlagSet, defaultTimeout time.Duration, timeoutHelp string) {
	fs.BoolVar(&c.debug, "debug", false, "print the raw XML trace to stderr, credentials redacted")
	if timeoutHelp == "" {
		timeoutHelp = "give up after `D` (a duration: 90s, 2m; 0: no bound)"
	}
	fs.DurationVar(&c.timeout, "timeout", defaultTimeout, timeoutHelp)
}

// accountFlags select and reach the account (docs/cli.md, "Account").
// Values left empty fall back to the environment, then the config file.
type accountFlags struct {
	jid          string
	passwordFile string
	passwordCmd  string
	server       string
	ca           string
	resource     string
	directTLS    bool
	insecure     bool
}

func (a *accountFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.jid, "jid", "", "the account's `JID` (default $PARLEY_JID or jid in the config file)")
	fs.StringVar(&a.passwordFile, "password-file", "", "read the password from the first line of `FILE`")
	fs.StringVar(&a.passwordCmd, "password-cmd", "", "run `CMD` with sh -c and read the password from its first output line")
	fs.StringVar(&a.server, "server", "", "connect to `HOST:PORT` instead of looking up the domain's DNS SRV records")
	fs.StringVar(&a.ca, "ca", "", "also trust the CA certificates in PEM `FILE`")
	fs.StringVar(&a.resource, "resource", "", "request this `RESOURCE` at bind (default: the server picks one)")
	fs.BoolVar(&a.directTLS, "direct-tls", false, "speak TLS from the first byte (XEP-0368) instead of STARTTLS")
	fs.BoolVar(&a.insecure, "insecure-skip-verify", false, "do not verify the server's certificate (INSECURE: anyone on the path can read the password)")
}

// accountFlagNames lists the flags of accountFlags and common, printed in
// their own section of the help.
var accountFlagNames = map[string]bool{
	"jid": true, "password-file": true, "password-cmd": true, "server": true, "ca": true,
	"resource": true, "direct-tls": true, "insecure-skip-verify": true,
}
var commonFlagNames = map[string]bool{"debug": true, "timeout": true}

// stringList is a repeatable string flag (--group A --group B).
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// choice is a string flag restricted to a set of values.
type choice struct {
	value   string
	allowed []string
}

func (c *choice) String() string {
	if c == nil {
		return ""
	}
	return c.value
}
func (c *choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			c.value = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(c.allowed, ", "))
}

// parseArgs parses args with fs, allowing flags after positional
// arguments (parley roster add JID --name N) as the synopses do. A
// "--" ends the flags: everything after it is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
