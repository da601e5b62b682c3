package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
)

// app is one run of parley: its standard streams, environment, flags and
// configuration.
type app struct {
	stdin          io.Reader
	in             *bufio.Reader // over stdin, made by lines()
	stdout, stderr io.Writer
	getenv         func(string) string

	cmd    *command
	common common
	acct   accountFlags

	cfgOnce sync.Once
	cfg     *fileConfig
	cfgErr  error

	errMu sync.Mutex // serialises stderr writes (trace, progress, notices)
}

// commands is every command, in the order of the top-level help.
var commands []*command

func main() {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(a.run(os.Args[1:]))
}

// run runs the command line args and returns the exit code.
func (a *app) run(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(a.stderr, "parley: no command; run 'parley --help' for the list")
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return a.run(append(args[1:], "--help"))
		}
		writeTopHelp(a.stdout)
		return exitOK
	case "-version", "--version":
		fmt.Fprintf(a.stdout, "parley %s %s %s/%s\n", toolVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	}
	cmd, n := lookup(args)
	if cmd == nil {
		if _, ok := groups[args[0]]; ok {
			if len(args) == 1 || isHelp(args[1]) {
				writeGroupHelp(a.stdout, args[0])
				if len(args) == 1 {
					return exitUsage
				}
				return exitOK
			}
			fmt.Fprintf(a.stderr, "parley %s: unknown command %q; run 'parley %s --help' for the list\n", args[0], args[1], args[0])
			return exitUsage
		}
		fmt.Fprintf(a.stderr, "parley: unknown command %q; run 'parley --help' for the list\n", args[0])
		return exitUsage
	}
	a.cmd = cmd
	fs, runCmd := cmd.newFlagSet(a)
	pos, err := parseArgs(fs, args[n:])
	if errors.Is(err, flag.ErrHelp) {
		cmd.writeHelp(a.stdout, fs)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "parley %s: %s; run 'parley %s --help' for usage\n", cmd.name, oneLine(err.Error()), cmd.name)
		return exitUsage
	}

	sigCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx := sigCtx
	if a.common.timeout > 0 {
		var c context.CancelFunc
		ctx, c = context.WithTimeout(ctx, a.common.timeout)
		defer c()
	}
	err = runCmd(ctx, pos)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(a.stderr, "parley %s: %s; run 'parley %s --help' for usage\n", cmd.name, oneLine(ue.msg), cmd.name)
		return exitUsage
	}
	if sigCtx.Err() != nil {
		err = errInterrupted // the command failed because of the signal
	}
	code, msg := classify(err)
	a.errorf("parley %s: %s\n", cmd.name, msg)
	return code
}

func isHelp(s string) bool { return s == "-h" || s == "-help" || s == "--help" || s == "help" }

// version is the module version the binary was built from, "(devel)" for
// a work tree build.
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// errorf writes to stderr, serialised with the trace and notices.
func (a *app) errorf(format string, args ...any) {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	fmt.Fprintf(a.stderr, format, args...)
}

// notice reports a state change of a long-running command ("ready as
// user@example.org/parley") on stderr: on a terminal, or with --debug.
// Piped output stays quiet.
func (a *app) notice(format string, args ...any) {
	if isTerminal(a.stderr) || a.common.debug {
		a.errorf("parley: "+format+"\n", args...)
	}
}

func writeTopHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: parley COMMAND [flags] [arguments]

Parley's command-line XMPP client: send alerts from scripts, listen for
stanzas, manage the roster and the account, poke at servers, run bots.

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  parley send -m 'backup done' ops@example.org
  parley listen --json --count 1 --match "/message[@type='chat']"
  parley ping --count 3 example.org

Account: --jid, then $PARLEY_JID, then jid in the configuration file.
Password: --password-file FILE, --password-cmd CMD, $PARLEY_PASSWORD, the
configuration file (password_file, password_cmd, or password when the file is
private), else a prompt on a terminal. It is never taken from the command line.
Configuration file: $XDG_CONFIG_HOME/parley/parley.toml (default
~/.config/parley/parley.toml, or $PARLEY_CONFIG), key = "value" lines.

Exit codes: 0 success, 1 other failure, 2 usage error, 3 cannot connect,
4 authentication failed, 5 the remote side returned an error or refused,
6 timeout.

Run 'parley COMMAND --help' for the flags of a command, 'parley --version'
for the version.
`)
}
