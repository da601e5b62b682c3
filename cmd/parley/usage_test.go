package main

import (
	"flag"
	"net"
	"os"
	"strings"
	"testing"
)

type flagT = flag.Flag

// TestUsageErrors: mistakes on the command line exit with 2 and one line
// on stderr that names the problem and where to look, before any network.
func TestUsageErrors(t *testing.T) {
	pw := writeFile(t, "secret-pw\n")
	for i, c := range []struct {
		args []string
		want string // in stderr
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"roster", "frob"}, `unknown command "frob"`},
		{[]string{"send", "--jid", "a@b", "--password-file", pw}, "no recipient"},
		{[]string{"send", "--type", "bogus", "x@y"}, "want one of chat, normal, headline"},
		{[]string{"send", "--nosuchflag", "x@y"}, "flag provided but not defined"},
		{[]string{"send", "--desc", "d", "-m", "x", "a@b"}, "--desc describes an --oob URL"},
		{[]string{"send", "-m", "hi", "a@b"}, "no account"},
		{[]string{"send", "-m", "hi", "--jid", "a@b", "x@y"}, "no password"},
		{[]string{"send", "-m", "hi", "--jid", "@@", "x@y"}, "account"},
		{[]string{"listen", "--count", "-1"}, "--count -1"},
		{[]string{"listen", "--match", "/message[", "--jid", "a@b"}, "--match"},
		{[]string{"listen", "extra"}, "unexpected arguments"},
		{[]string{"register", "--jid", "a@b", "--field", "password=x"}, "never on the command line"},
		{[]string{"register", "--jid", "a@b", "--field", "novalue"}, "want NAME=VALUE"},
		{[]string{"unregister", "--jid", "a@b", "--password-file", pw}, "add --yes"},
		{[]string{"component", "echo", "--domain", "c.example"}, "are required"},
		{[]string{"component", "echo", "--protocol", "x", "--domain", "c"}, "want one of xep0114, jabberd2"},
		{[]string{"send", "--jid", "a@b", "--password-file", "/nonexistent/pw", "-m", "x", "c@d"}, "password file"},
	} {
		r := runParley(t, nil, "", c.args...)
		if r.code != exitUsage {
			t.Errorf("%d: parley %q: exit %d, want 2 (stderr %q)", i, c.args, r.code, r.stderr)
			continue
		}
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%d: parley %q: stderr %q, want %q", i, c.args, r.stderr, c.want)
		}
		if n := strings.Count(r.stderr, "\n"); n != 1 {
			t.Errorf("%d: parley %q: %d lines on stderr, want one: %q", i, c.args, n, r.stderr)
		}
		if strings.Contains(r.stderr, "secret-pw") {
			t.Errorf("%d: the password leaked: %q", i, r.stderr)
		}
	}
}

// TestExitUnreachable: a closed loopback port is exit code 3.
func TestExitUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	pw := writeFile(t, "pw\n")
	r := runParley(t, nil, "", "send", "--jid", "a@example.org", "--password-file", pw, "--server", addr, "-m", "x", "b@example.org")
	if r.code != exitConnect || !strings.Contains(r.stderr, addr) || !strings.Contains(r.stderr, "check --server") {
		t.Errorf("exit %d, stderr %q; want 3 naming %s", r.code, r.stderr, addr)
	}
}

// TestExitTimeout: a server that accepts the connection and never speaks
// runs into --timeout: exit code 6.
func TestExitTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c) // never answer
		}
	}()
	pw := writeFile(t, "pw\n")
	r := runParley(t, nil, "", "send", "--jid", "a@example.org", "--password-file", pw, "--server", ln.Addr().String(),
		"--timeout", "1s", "-m", "x", "b@example.org")
	if r.code != exitTimeout || !strings.Contains(r.stderr, "--timeout") {
		t.Errorf("exit %d, stderr %q; want 6", r.code, r.stderr)
	}
}

// TestInterrupt: SIGINT during a one-shot command that is stuck waiting
// for the server exits with 130.
func TestInterrupt(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c // hold it open, say nothing
		}
	}()
	pw := writeFile(t, "pw\n")
	p := startParley(t, nil, "send", "--jid", "a@example.org", "--password-file", pw, "--server", ln.Addr().String(), "-m", "x", "b@example.org")
	c := <-accepted // parley is connected and waits for the stream header
	defer c.Close()
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.wait(); code != exitSignaled || !strings.Contains(p.stderrText(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 130", code, p.stderrText())
	}
}
