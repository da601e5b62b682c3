package interop

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testTimeout bounds a whole interop test, peer process included: a real
// server and a local peer answer within milliseconds, so reaching it means
// something is broken, not slow.
const testTimeout = 2 * time.Minute

// python is the interpreter of the Debian-packaged Python libraries
// (servers.md §5: a pyenv/venv python3 first in PATH does not see them).
const python = "/usr/bin/python3"

// nsInterop is the namespace of the IQ every peer and the Parley clients
// answer: not a real XEP, only a payload no server knows.
const nsInterop = "urn:parley:test:interop"

// tool describes an external program a test needs: how to tell that it is
// installed and which Debian package brings it.
type tool struct {
	name  string   // shown in messages
	pkg   string   // Debian package
	check []string // a command that succeeds when the tool is usable
}

var (
	toolNetXMPP   = tool{"Net::XMPP", "libnet-xmpp-perl", []string{"perl", "-MNet::XMPP", "-e", "1"}}
	toolSlixmpp   = tool{"slixmpp", "python3-slixmpp", []string{python, "-c", "import slixmpp"}}
	toolAioxmpp   = tool{"aioxmpp", "python3-aioxmpp", []string{python, "-c", "import aioxmpp"}}
	toolSendxmpp  = tool{"go-sendxmpp", "go-sendxmpp", []string{"go-sendxmpp", "--version"}}
	toolChecks    sync.Map // tool name -> *toolCheck
	errNotPresent = errors.New("not installed")
)

// toolCheck caches the result of one tool's check for the process.
type toolCheck struct {
	once sync.Once
	err  error
}

// require skips the test when tl is not installed, with the command that
// installs it; with CI=true a missing peer is an install problem and fails
// the test instead.
func require(t testing.TB, tl tool) {
	t.Helper()
	v, _ := toolChecks.LoadOrStore(tl.name, &toolCheck{})
	c := v.(*toolCheck)
	c.once.Do(func() {
		if _, err := exec.LookPath(tl.check[0]); err != nil {
			c.err = errNotPresent
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, tl.check[0], tl.check[1:]...).CombinedOutput(); err != nil {
			c.err = fmt.Errorf("%q: %v: %s", tl.check, err, bytes.TrimSpace(out))
		}
	})
	if c.err == nil {
		return
	}
	install := "apt-get install -y " + tl.pkg + " (or: make servers)"
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("%s (%s) is missing: %v; CI=true, so this is an install problem: %s", tl.name, tl.pkg, c.err, install)
	}
	t.Skipf("%s (%s) is missing: %v; install it with: %s", tl.name, tl.pkg, c.err, install)
}

// testCtx returns a context that ends with the test or after testTimeout.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// peerScript returns the absolute path of a helper script in peers/.
func peerScript(t testing.TB, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("peers", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// peer is another XMPP implementation running as a subprocess that speaks
// the line protocol of peers/peerproto.py: commands on its stdin, one line
// of tab-separated, backslash-escaped fields per event on its stdout.
type peer struct {
	t     testing.TB
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser

	// Guarded by mu: the lines read so far (used ones are nil), whether
	// stdout has ended, and a channel closed and replaced on every change.
	mu     sync.Mutex
	lines  [][]string
	eof    bool
	wake   chan struct{}
	stderr lockedBuffer

	readDone chan struct{} // closed when stdout has been read to the end

	waitOnce sync.Once
	waitErr  error // cmd.Wait's result, set by wait
}

// lockedBuffer is a bytes.Buffer safe for the writer goroutine of exec and
// the test reading it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startPeer starts argv as a peer bound to the test's lifetime (and
// testTimeout) and waits for its READY line, whose field is returned (the
// peer's full JID). env entries are added to the process environment.
func startPeer(t testing.TB, name string, env []string, argv ...string) (*peer, string) {
	t.Helper()
	p := &peer{t: t, name: name, wake: make(chan struct{}), readDone: make(chan struct{})}
	p.cmd = exec.CommandContext(testCtx(t), argv[0], argv[1:]...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = 10 * time.Second
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("%s: start %q: %v", name, argv, err)
	}
	go p.read(stdout)
	t.Cleanup(p.stop)
	ready := p.expect("READY", nil)
	return p, ready[1]
}

// read parses stdout into lines until it ends.
func (p *peer) read(r io.Reader) {
	defer close(p.readDone)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		for i, f := range fields {
			fields[i] = unescape(f)
		}
		p.mu.Lock()
		p.lines = append(p.lines, fields)
		close(p.wake)
		p.wake = make(chan struct{})
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.eof = true
	close(p.wake)
	p.wake = make(chan struct{})
	p.mu.Unlock()
}

// unescape undoes the peers' field escaping (\\, \t, \n).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			default:
				c = s[i]
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// escape is the peers' field escaping.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`).Replace(s)
}

// send writes one command line.
func (p *peer) send(fields ...string) {
	p.t.Helper()
	for i, f := range fields {
		fields[i] = escape(f)
	}
	if _, err := io.WriteString(p.stdin, strings.Join(fields, "\t")+"\n"); err != nil {
		p.t.Fatalf("%s: write command %q: %v%s", p.name, fields, err, p.stderrTail())
	}
}

// expect waits for the first unused line of kind for which keep (nil: any)
// returns true, marks it used and returns its fields (kind first). An ERROR
// line, the end of the peer's output or the test's timeout fails the test.
func (p *peer) expect(kind string, keep func(f []string) bool) []string {
	p.t.Helper()
	ctx := testCtx(p.t)
	for {
		p.mu.Lock()
		for i, l := range p.lines {
			if l == nil {
				continue
			}
			if l[0] == "ERROR" {
				p.mu.Unlock()
				p.t.Fatalf("%s reported an error while the test waited for %s: %q%s", p.name, kind, l[1:], p.stderrTail())
			}
			if l[0] == kind && (keep == nil || keep(l)) {
				p.lines[i] = nil
				p.mu.Unlock()
				return l
			}
		}
		eof, wake := p.eof, p.wake
		p.mu.Unlock()
		if eof {
			p.wait() // so that stderr is complete
			p.t.Fatalf("%s ended without a %s line (unused lines: %q)%s", p.name, kind, p.unused(), p.stderrTail())
		}
		select {
		case <-wake:
		case <-ctx.Done():
			p.t.Fatalf("%s: no %s line: %v (unused lines: %q)%s", p.name, kind, ctx.Err(), p.unused(), p.stderrTail())
		}
	}
}

// unused returns the lines no expect has taken.
func (p *peer) unused() [][]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out [][]string
	for _, l := range p.lines {
		if l != nil {
			out = append(out, slices.Clone(l))
		}
	}
	return out
}

// quit asks the peer to log out and checks that it says BYE and exits 0.
func (p *peer) quit() {
	p.t.Helper()
	p.send("quit")
	p.expect("BYE", nil)
	p.stdin.Close()
	if err := p.wait(); err != nil {
		p.t.Errorf("%s: exit: %v%s", p.name, err, p.stderrTail())
	}
}

// wait waits (once) for stdout to end and the process to exit, and returns
// cmd.Wait's error. After it, stderr is complete.
func (p *peer) wait() error {
	p.waitOnce.Do(func() {
		<-p.readDone
		p.waitErr = p.cmd.Wait()
	})
	return p.waitErr
}

// stop ends the peer if quit did not (closing stdin asks it to log out; the
// test's context kills it otherwise) and logs its stderr when the test failed.
func (p *peer) stop() {
	p.stdin.Close()
	select {
	case <-p.readDone:
	case <-time.After(20 * time.Second): // logging out takes milliseconds
		p.cmd.Process.Kill()
	}
	p.wait()
	if p.t.Failed() {
		p.t.Logf("%s stderr:\n%s", p.name, p.stderr.String())
	}
}

// stderrTail returns the end of the peer's stderr for failure messages.
func (p *peer) stderrTail() string {
	s := p.stderr.String()
	if s == "" {
		return ""
	}
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return "\n" + p.name + " stderr:\n" + s
}
