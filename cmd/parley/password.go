package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// secretSource is where a secret comes from: a file's first line, the
// first output line of a command, an environment variable or a prompt.
// The secret itself never appears in any message.
type secretSource struct {
	file, cmd, envVar, what string
}

// password returns the account's password, looking in order at
// --password-file, --password-cmd, $PARLEY_PASSWORD, then the config
// file's password_file, password_cmd and password (the last only when the
// file is private), then a prompt when stdin is a terminal.
func (a *app) password(ctx context.Context, account string) (string, error) {
	src := secretSource{file: a.acct.passwordFile, cmd: a.acct.passwordCmd, envVar: "PARLEY_PASSWORD", what: "password"}
	if src.file == "" && src.cmd == "" && a.getenv(src.envVar) == "" {
		cfg, err := a.config()
		if err != nil {
			return "", err
		}
		src.file, _ = cfg.get("password_file")
		src.cmd, _ = cfg.get("password_cmd")
		if p, ok := cfg.get("password"); ok && src.file == "" && src.cmd == "" {
			if !cfg.private {
				return "", usagef("%s holds a password but others can read it: run chmod 600 %s, or use password_cmd", cfg.path, cfg.path)
			}
			return p, nil
		}
	}
	return a.secret(ctx, src, "Password for "+account+": ")
}

// secret reads one secret from src, or prompts for it on a terminal.
func (a *app) secret(ctx context.Context, src secretSource, prompt string) (string, error) {
	switch {
	case src.file != "":
		f, err := os.Open(src.file)
		if err != nil {
			return "", usagef("%s file: %v", src.what, err)
		}
		defer f.Close()
		return firstLine(f, src.what+" file "+src.file)
	case src.cmd != "":
		cmd := exec.CommandContext(ctx, "sh", "-c", src.cmd)
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = a.stderr // password managers talk to the user there
		if f, ok := a.stdin.(*os.File); ok && isTerminal(f) {
			cmd.Stdin = f
		}
		if err := cmd.Run(); err != nil {
			return "", usagef("%s command failed: %v", src.what, err)
		}
		return firstLine(&out, src.what+" command output")
	case src.envVar != "" && a.getenv(src.envVar) != "":
		return a.getenv(src.envVar), nil
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !isTerminal(f) {
		return "", usagef("no %s: use --%s-file FILE, --%s-cmd CMD or $%s", src.what, flagWord(src.what), flagWord(src.what), src.envVar)
	}
	return a.prompt(f, prompt)
}

func flagWord(what string) string { return strings.ReplaceAll(what, " ", "-") }

// firstLine returns the first line of r without its line ending; an empty
// one is an error.
func firstLine(r io.Reader, what string) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", usagef("%s: %v", what, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("%s: the first line is empty", what)
	}
	return line, nil
}

// prompt asks for a secret on the terminal tty with echo turned off
// through stty(1) (no terminal library needed). If echo cannot be turned
// off it refuses rather than show the secret.
func (a *app) prompt(tty *os.File, prompt string) (string, error) {
	if err := stty(tty, "-echo"); err != nil {
		return "", usagef("cannot turn off terminal echo to ask for a password (%v): use --password-file or --password-cmd", err)
	}
	defer func() {
		stty(tty, "echo")
		a.errorf("\n")
	}()
	a.errorf("%s", prompt)
	line, err := a.lines().ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("empty password")
	}
	return line, nil
}

// ask reads one line of text (not secret) from the terminal.
func (a *app) ask(prompt string) (string, error) {
	a.errorf("%s", prompt)
	line, err := a.lines().ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	if err != nil && line == "" {
		return "", fmt.Errorf("end of input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func stty(tty *os.File, arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = tty
	return cmd.Run()
}

// lines returns the one buffered reader over stdin, shared by prompts so
// that no typed-ahead input is lost between them.
func (a *app) lines() *bufio.Reader {
	if a.in == nil {
		a.in = bufio.NewReader(a.stdin)
	}
	return a.in
}
