package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// restartEnv turns the restart tests on. They stop and start a shared server,
// which would break every test running at the same time, so "make test" runs
// them alone after the parallel suite.
const restartEnv = "PARLEY_RESTART_TESTS"

// needRestarts skips t unless the restart tests are turned on.
func needRestarts(t *testing.T) {
	if os.Getenv(restartEnv) != "1" {
		t.Skipf("restarts a shared server: set %s=1 and run alone (make test does, after the parallel suite)", restartEnv)
	}
}

// rigDir is test/servers, found from the server's directory
// (<repo>/.servers/<name>) or else from this package's directory.
func rigDir(t *testing.T, srv *testenv.ServerInfo) string {
	for _, d := range []string{filepath.Join(srv.Dir, "..", "..", "test", "servers"), filepath.Join("..", "servers")} {
		if _, err := os.Stat(filepath.Join(d, "stop.sh")); err == nil {
			abs, err := filepath.Abs(d)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Fatal("test/servers/stop.sh not found")
	return ""
}

// stopServer stops srv with test/servers/stop.sh (by the PIDs its start script
// recorded) and returns a function that starts it again in the same
// directory with start-<name>.sh: same ports, certificate, accounts and
// data. From stop to start it holds the rig lock (.servers/.rig.lock, as
// up.sh and down.sh do), so that no up.sh mistakes the stopped server for a
// broken rig and replaces it. If the test ends without calling start, a
// cleanup starts the server anyway.
func stopServer(t *testing.T, srv *testenv.ServerInfo) (start func()) {
	t.Helper()
	rig := rigDir(t, srv)
	lock, err := os.OpenFile(filepath.Join(filepath.Dir(srv.Dir), ".rig.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		t.Fatalf("rig lock: %v", err)
	}
	run := func(script string) error {
		cmd := exec.Command(filepath.Join(rig, script), srv.Dir)
		// A session of its own: the server must outlive this test
		// process and never get a signal meant for its process group.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		cmd.Env = append(os.Environ(), "PARLEY_RIG_LOCKED=1")
		out, err := cmd.CombinedOutput()
		t.Logf("%s %s: %s", script, srv.Dir, strings.TrimSpace(string(out)))
		return err
	}
	started := false
	start = func() {
		t.Helper()
		if started {
			return
		}
		started = true
		defer lock.Close()
		if err := run("start-" + srv.Name + ".sh"); err != nil {
			t.Fatalf("restart %s: %v", srv.Name, err)
		}
	}
	t.Cleanup(start)
	if err := run("stop.sh"); err != nil {
		t.Fatalf("stop %s: %v", srv.Name, err)
	}
	return start
}

// gated is a Connector whose reconnects wait until the gate is opened, so a
// test decides when a Session comes back (its first connection goes
// through at once).
type gated struct {
	xmpp.Connector
	gate  chan struct{}
	calls atomic.Int32
}

func (g *gated) Connect(ctx context.Context, t *xmpp.Trace) (*xmpp.Stream, error) {
	if g.calls.Add(1) > 1 {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.Connector.Connect(ctx, t)
}

// TestRestart restarts each server under connected clients and a component,
// all with Config.Reconnect set, and checks that they come back by
// themselves (RFC 6120 §3.3) and that stanzas sent while the server was down
// were queued and are delivered after the reconnect. Sequential, and only
// with PARLEY_RESTART_TESTS=1.
func TestRestart(t *testing.T) {
	needRestarts(t)
	for _, name := range servers() {
		t.Run(name, func(t *testing.T) { testRestart(t, name) })
	}
}

func testRestart(t *testing.T, name string) {
	srv := testenv.Server(t, name)
	srv.LockComponent(t)
	ctx := testCtx(t)
	// Quick retries: the server is back within seconds.
	backoff := &xmpp.Backoff{Min: 200 * time.Millisecond, Max: 2 * time.Second}
	// Alice comes back only when the test lets her, after bob: what she
	// queued is then delivered to bob live, whatever the server's offline
	// storage would do with it.
	g := &gated{gate: make(chan struct{})}
	alice := loginWrapped(t, srv, srv.Account(t), &xmpp.Config{Reconnect: backoff}, func(c xmpp.Connector) xmpp.Connector {
		g.Connector = c
		return g
	})
	bob := login(t, srv, &xmpp.Config{Reconnect: backoff})
	aliceIn, bobIn := make(inbox, 64), make(inbox, 64)
	alice.s.HandleMessage("", aliceIn.handler())
	bob.s.HandleMessage("", bobIn.handler())
	bob.available(t)

	proto := component.XEP0114
	if name == "jabberd2" {
		proto = component.Jabberd2
	}
	compEv := newEvents()
	comp := dialComponent(t, srv, proto, &xmpp.Config{Reconnect: backoff, OnEvent: compEv.hook(nil)})
	compIn := make(inbox, 16)
	queuedBody := "queued by the component " + token(t)
	comp.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Message.Body("") == queuedBody {
			return compIn.handler()(ctx, in)
		}
		return nil // on to the echo service
	})
	echoService(comp)
	echoTo := jid.MustParse("echo@" + srv.ComponentDomain)
	askEcho := func(body string) {
		t.Helper()
		m := stanza.NewMessage(stanza.MessageChat, echoTo)
		m.AddBody("", body)
		if err := alice.s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		aliceIn.next(t, "the component's echo of "+body, withBody("echo: "+body))
	}
	tok := token(t)
	askEcho("before " + tok)

	start := stopServer(t, srv)
	for who, ev := range map[string]*events{"alice": alice.ev, "bob": bob.ev, "component": compEv} {
		e, err := ev.wait(ctx, xmpp.StatusDisconnected, 1)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		t.Logf("%s disconnected: %v", who, e.Err)
	}

	// Sent while the server is down: queued, not lost, not an error.
	ping, err := alice.s.SendIQAsync(ctx, newIQ(stanza.IQGet, jid.MustParse(srv.Domain), nsPing, "ping"))
	if err != nil {
		t.Fatalf("IQ while down: %v", err)
	}
	m := stanza.NewMessage(stanza.MessageChat, bob.s.JID().Bare())
	m.AddBody("", "queued by alice "+tok)
	if err := alice.s.Send(ctx, m); err != nil {
		t.Fatalf("send while down: %v", err)
	}
	// The component's queued message goes to itself through the server: its
	// delivery then does not depend on how soon the server's user side is
	// back (jabberd2's router accepts components before its sm is up).
	m = stanza.NewMessage(stanza.MessageChat, jid.MustParse("inbox@"+srv.ComponentDomain))
	m.From = jid.MustParse("news@" + srv.ComponentDomain)
	m.AddBody("", queuedBody)
	if err := comp.Send(ctx, m); err != nil {
		t.Fatalf("component send while down: %v", err)
	}
	if n := alice.s.Queued(); n != 2 {
		t.Errorf("alice has %d stanzas queued, want 2", n)
	}
	if n := comp.Queued(); n != 1 {
		t.Errorf("the component has %d stanzas queued, want 1", n)
	}
	if st := alice.s.State(); st != xmpp.StateDisconnected {
		t.Errorf("alice's state while the server is down: %v", st)
	}

	start()
	reconnected := func(who string, ev *events) {
		t.Helper()
		if _, err := ev.wait(ctx, xmpp.StatusReady, 2); err != nil {
			t.Fatalf("%s did not reconnect: %v", who, err)
		}
		if _, err := ev.wait(ctx, xmpp.StatusReconnecting, 1); err != nil {
			t.Errorf("%s: %v", who, err)
		}
	}
	reconnected("bob", bob.ev)
	reconnected("component", compEv)
	// A new stream: bob announces himself again; the ping after it returns
	// once the server has processed the presence.
	bob.available(t)
	if _, err := bob.s.SendIQ(ctx, newIQ(stanza.IQGet, jid.MustParse(srv.Domain), nsPing, "ping")); err != nil {
		t.Fatalf("bob's ping after reconnect: %v", err)
	}
	if ping.Received() || alice.s.Queued() != 2 {
		t.Fatalf("alice's queue was sent before she reconnected (queued %d)", alice.s.Queued())
	}
	close(g.gate)
	reconnected("alice", alice.ev)
	if r, err := ping.Wait(ctx); err != nil || r.Type != stanza.IQResult {
		t.Errorf("the IQ queued while down: %+v, %v; want its result after reconnect", r, err)
	}
	from := bobIn.next(t, "alice's queued message", withBody("queued by alice "+tok)).Get("from")
	if f, err := jid.Parse(from); err != nil || !f.Bare().Equal(alice.s.JID().Bare()) {
		t.Errorf("queued message from %q, want %v", from, alice.s.JID().Bare())
	}
	e := compIn.next(t, "the component's queued message", withBody(queuedBody))
	if e.Get("from") != m.From.String() || e.Get("to") != m.To.String() {
		t.Errorf("component's queued message %v, want from %v to %v", e, m.From, m.To)
	}
	if alice.s.Queued() != 0 || comp.Queued() != 0 {
		t.Errorf("queues after reconnect: alice %d, component %d", alice.s.Queued(), comp.Queued())
	}
	// Everyone works as before.
	askEcho("after " + tok)
	reply, err := alice.s.SendIQ(ctx, echoIQ(jid.MustParse(srv.ComponentDomain), "after"))
	if err != nil {
		t.Fatal(err)
	}
	checkEcho(t, reply, jid.MustParse(srv.ComponentDomain), "after")
}
