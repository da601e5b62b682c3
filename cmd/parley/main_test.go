package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"parley.dev/xmpp/internal/testenv"
)

// parleyBin is the binary built once by TestMain; every test runs it with
// os/exec, as a user would.
var parleyBin string

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "parley-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	parleyBin = filepath.Join(dir, "parley")
	build := exec.Command("go", "build", "-o", parleyBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building parley:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testCtx bounds one test's processes.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// cleanEnv is the environment of a parley process: no PARLEY_* from the
// caller, a private HOME and XDG_CONFIG_HOME (no user configuration), and
// the extra variables given as KEY=VALUE.
func cleanEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	return append(env, extra...)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs parley with args and env (nil: cleanEnv) and stdin, and waits.
func runParley(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	if env == nil {
		env = cleanEnv(t)
	}
	cmd := exec.CommandContext(testCtx(t), parleyBin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running parley %q: %v", args, err)
	}
	return r
}

// proc is a parley process running in the background.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line
	mu     sync.Mutex
	stderr bytes.Buffer
	notice chan string // stderr lines starting with "parley: "
	exited chan struct{}
	err    error
}

// startParley starts parley with args; the process is killed (by its own
// PID) when the test ends if it is still running.
func startParley(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	if env == nil {
		env = cleanEnv(t)
	}
	p := &proc{t: t, lines: make(chan string, 100), notice: make(chan string, 100), exited: make(chan struct{})}
	p.cmd = exec.Command(parleyBin, args...)
	p.cmd.Env = env
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if strings.HasPrefix(line, "parley: ") {
				select {
				case p.notice <- line:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() {
		wg.Wait() // pipes drained before Wait, as os/exec requires
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		// SIGTERM first: parley then closes its stream cleanly. A killed
		// process leaves the server a stream management session to keep
		// for resumption (Prosody: smacks_hibernation_time, 60 s in the
		// test rig), whose resource stays online for the next test that
		// takes the same pool account.
		select {
		case <-p.exited:
			return
		default:
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// waitNotice waits for a stderr notice containing want (printed with
// --debug once the command is ready).
func (p *proc) waitNotice(want string) {
	p.t.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		select {
		case n := <-p.notice:
			if strings.Contains(n, want) {
				return
			}
		case <-p.exited:
			p.t.Fatalf("parley exited (%v) before %q; stderr:\n%s", p.err, want, p.stderrText())
		case <-timeout.C:
			p.t.Fatalf("no %q from parley; stderr:\n%s", want, p.stderrText())
		}
	}
}

// line returns the next stdout line.
func (p *proc) line() string {
	p.t.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	select {
	case l, ok := <-p.lines:
		if !ok {
			<-p.exited
			p.t.Fatalf("parley ended (%v) without more output; stderr:\n%s", p.err, p.stderrText())
		}
		return l
	case <-timeout.C:
		p.t.Fatalf("no output from parley; stderr:\n%s", p.stderrText())
	}
	return ""
}

// lineWith returns the next stdout line containing want, skipping others
// (stale offline messages from earlier tests).
func (p *proc) lineWith(want string) string {
	p.t.Helper()
	for {
		if l := p.line(); strings.Contains(l, want) {
			return l
		}
	}
}

// wait waits for the process and returns its exit code.
func (p *proc) wait() int {
	p.t.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	select {
	case <-p.exited:
	case <-timeout.C:
		p.t.Fatalf("parley did not exit; stderr:\n%s", p.stderrText())
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		p.t.Fatal(p.err)
	}
	return 0
}

func (p *proc) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// acct is a test account and the flags that log in to it.
type acct struct {
	testenv.Account
	srv  *testenv.ServerInfo
	file string // password file
}

func newAcct(t *testing.T, srv *testenv.ServerInfo) acct {
	a := acct{Account: srv.Account(t), srv: srv}
	a.file = writeFile(t, a.Password+"\n")
	return a
}

// flags are the account flags for a.
func (a acct) flags(extra ...string) []string {
	return append([]string{"--jid", a.JID, "--password-file", a.file, "--server", a.srv.Addr, "--ca", a.srv.CAFile}, extra...)
}

// args builds a command line: the command words, a's flags, then rest.
func (a acct) args(cmd string, rest ...string) []string {
	return append(append(strings.Fields(cmd), a.flags()...), rest...)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
