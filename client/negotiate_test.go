package client

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

var testJID = jid.MustParse("juliet@" + testDomain)

// testConfig trusts the peer's certificate and dials addr.
func testConfig(t testing.TB, addr string) *Config {
	_, pool := peerCert(t)
	return &Config{
		Password:    "secret",
		Server:      addr,
		TLSConfig:   &tls.Config{RootCAs: pool},
		StepTimeout: 10 * time.Second,
	}
}

// recorder collects status events.
type recorder struct {
	mu      sync.Mutex
	events  []xmpp.Event
	changed chan struct{} // closed by the next add, for waitFor
}

func (r *recorder) trace() *xmpp.Trace {
	return xmpp.NewTrace(nil, nil, r.add, nil)
}

// add records e; it is an OnEvent function.
func (r *recorder) add(e xmpp.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.mu.Unlock()
}

// waitFor waits until n events of status st have been recorded. A broken
// test fails after 20 s instead of hanging; no test asserts on the time.
func (r *recorder) waitFor(t testing.TB, st xmpp.Status, n int) {
	t.Helper()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		r.mu.Lock()
		count := 0
		for _, e := range r.events {
			if e.Status == st {
				count++
			}
		}
		if count >= n {
			r.mu.Unlock()
			return
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-timeout.C:
			t.Fatalf("waiting for %d %v events; have %s", n, st, r.statuses())
		}
	}
}

// last returns the last event of status st.
func (r *recorder) last(st xmpp.Status) (xmpp.Event, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.events) - 1; i >= 0; i-- {
		if r.events[i].Status == st {
			return r.events[i], true
		}
	}
	return xmpp.Event{}, false
}

func (r *recorder) statuses() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, e := range r.events {
		s = append(s, e.Status.String())
	}
	return strings.Join(s, ",")
}

func connect(t testing.TB, j jid.JID, cfg *Config) (*xmpp.Stream, error) {
	t.Helper()
	c, err := NewConnector(j, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Connect(context.Background(), nil)
	if s != nil {
		t.Cleanup(func() { s.Conn.Close() })
	}
	return s, err
}

func TestConnectStartTLSPlainBind(t *testing.T) {
	var plain, bindReq string
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS + featMechs("PLAIN"))
		p.startTLS()
		p.open(featMechs("PLAIN") + featIQAuth)
		plain = p.plainAuth()
		p.open(featBind + "<sm xmlns='urn:xmpp:sm:3'/>")
		bindReq = p.bind("juliet@" + testDomain + "/balcony")
		p.hold()
	})
	cfg := testConfig(t, addr)
	cfg.Resource = "balcony"
	var rec recorder
	c, _ := NewConnector(testJID, cfg)
	s, err := c.Connect(context.Background(), rec.trace())
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if plain != "\x00juliet\x00secret" {
		t.Errorf("PLAIN response %q", plain)
	}
	if !strings.Contains(bindReq, "<resource>balcony</resource>") {
		t.Errorf("bind request %q lacks the resource", bindReq)
	}
	if got := s.JID.String(); got != "juliet@example.test/balcony" {
		t.Errorf("JID %q", got)
	}
	if s.Mechanism != "PLAIN" || s.Namespace != "jabber:client" || s.TLS == nil || s.Decoder == nil {
		t.Errorf("stream %+v", s)
	}
	if s.Header == nil || s.Header.ID != "stream-3" {
		t.Errorf("header %+v, want the third stream's", s.Header)
	}
	if s.Features == nil || s.Features.Child("urn:xmpp:sm:3", "sm") == nil || s.Features.Child("", "mechanisms") != nil {
		t.Errorf("features are not the post-SASL ones: %v", s.Features)
	}
	if _, ok := s.Conn.(*tls.Conn); !ok {
		t.Errorf("Conn is %T, want *tls.Conn (no hooks)", s.Conn)
	}
	want := "connecting,connected,tls,authenticated,bound"
	if got := rec.statuses(); got != want {
		t.Errorf("events %s, want %s", got, want)
	}
}

func TestConnectDirectTLS(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.handshake()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind)
		p.bind("juliet@" + testDomain + "/gen")
		p.hold()
	})
	cfg := testConfig(t, addr)
	cfg.DirectTLS = true
	s, err := connect(t, testJID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if s.JID.Resourcepart() != "gen" || s.TLS == nil {
		t.Errorf("JID %v TLS %v", s.JID, s.TLS)
	}
}

func TestStartTLSErrors(t *testing.T) {
	tests := []struct {
		name   string
		script func(p *peer)
		step   string
		want   error
	}{
		{"missing", func(p *peer) { p.open(featMechs("PLAIN")); p.hold() }, StepStartTLS, ErrTLSRequired},
		{"failure", func(p *peer) {
			p.open(featStartTLS)
			p.expect("<starttls")
			p.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>")
			p.hold()
		}, StepStartTLS, ErrTLSRefused},
		{"data after proceed", func(p *peer) {
			p.open(featStartTLS)
			p.expect("<starttls")
			p.expect(">")
			// One write: the client reads both at once (net.Pipe, below).
			p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>")
			p.hold()
		}, StepStartTLS, ErrDataAfterProceed},
		{"not proceed", func(p *peer) {
			p.open(featStartTLS)
			p.expect("<starttls")
			p.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
			p.hold()
		}, StepStartTLS, ErrProtocol},
		{"bad certificate name", func(p *peer) {
			p.open(featStartTLS)
			p.expect("<starttls")
			p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
			tls.Server(p.c, p.tlsCfg).Handshake()
		}, StepTLS, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := testJID
			if tt.name == "bad certificate name" {
				j = jid.MustParse("juliet@other.example") // cert is for example.test
			}
			var c *Connector
			var wait func()
			if tt.name == "data after proceed" {
				// net.Pipe: one write of the peer is one read of the client.
				var name string
				name, wait = runPipePeer(t, tt.script)
				c, _ = NewConnector(j, testConfig(t, name))
				c.dialer = pipeDialer(name)
			} else {
				var addr string
				addr, wait = runPeer(t, tt.script)
				c, _ = NewConnector(j, testConfig(t, addr))
			}
			_, err := c.Connect(context.Background(), nil)
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != tt.step {
				t.Fatalf("%d: err %v, want a ConnectError at %s", i, err, tt.step)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("%d: err %v, want %v", i, err, tt.want)
			}
			if tt.name == "bad certificate name" {
				var cv *tls.CertificateVerificationError
				if !errors.As(err, &cv) {
					t.Errorf("err %v is not a certificate verification error", err)
				}
			}
		})
	}
}

func TestAllowPlaintext(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featMechs("PLAIN", "SCRAM-SHA-1"))
		p.hold()
	})
	cfg := testConfig(t, addr)
	cfg.AllowPlaintext = true
	// PLAIN without TLS is still refused by the sasl policy; SCRAM is
	// picked instead, and the silent peer then times out the step.
	cfg.StepTimeout = 200 * time.Millisecond
	_, err := connect(t, testJID, cfg)
	wait()
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Step != StepSASL || !errors.Is(err, ErrStepTimeout) {
		t.Fatalf("err %v, want a SASL step timeout after plaintext was allowed", err)
	}
}

func TestStreamErrorDuringNegotiation(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open("")
		p.send("<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>[2001:db8::1]:9222</see-other-host></stream:error></stream:stream>")
		p.hold()
	})
	_, err := connect(t, testJID, testConfig(t, addr))
	wait()
	var se stanza.StreamError
	if !errors.As(err, &se) || se.Condition != stanza.StreamSeeOtherHost || se.Redirect != "[2001:db8::1]:9222" {
		t.Fatalf("err %v, want see-other-host with the address", err)
	}
	if !errors.Is(err, stanza.StreamError{Condition: stanza.StreamSeeOtherHost}) {
		t.Errorf("errors.Is does not see the stream error")
	}
}

func TestRedirectKeepsDomain(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS() // certificate for example.test, dialed as 127.0.0.1
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind)
		p.bind("juliet@" + testDomain + "/r")
		p.hold()
	})
	cfg := testConfig(t, "192.0.2.1:1") // never dialed
	c, _ := NewConnector(testJID, cfg)
	c.Redirect(addr)
	s, err := c.Connect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if got := s.TLS.PeerCertificates[0].DNSNames[0]; got != testDomain {
		t.Errorf("peer certificate for %q", got)
	}
}

// runPipePeer is runPeer over net.Pipe, where one write of the peer is one
// read of the client: the "data after proceed" case needs that.
func runPipePeer(t testing.TB, script func(p *peer)) (string, func()) {
	pipesMu.Lock()
	defer pipesMu.Unlock()
	cli, srv := net.Pipe()
	name := "pipe-" + t.Name()
	pipes[name] = cli
	return name, servePeer(t, srv, script)
}

var (
	pipesMu sync.Mutex
	pipes   = map[string]net.Conn{}
)

func pipeDialer(name string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		pipesMu.Lock()
		defer pipesMu.Unlock()
		c, ok := pipes[name]
		if !ok {
			return nil, errors.New("no pipe " + name)
		}
		delete(pipes, name)
		return c, nil
	}
}

func testJIDOn(domain string) jid.JID { return jid.MustParse("juliet@" + domain) }

// Features learnt before TLS are forgotten: mechanisms offered only on the
// plaintext stream must not be used after the restart.
func TestFeaturesDiscardedAfterTLS(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS + featMechs("PLAIN") + featBind)
		p.startTLS()
		p.open("<ver xmlns='urn:xmpp:features:rosterver'/>")
		p.hold()
	})
	cfg := testConfig(t, addr)
	cfg.Legacy = LegacyNever
	_, err := connect(t, testJID, cfg)
	wait()
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Step != StepSASL || !errors.Is(err, ErrNoAuthMethod) {
		t.Fatalf("err %v, want ErrNoAuthMethod at sasl", err)
	}
}

// The traced connection is re-wrapped after TLS: the hooks see the
// decrypted post-TLS traffic, with credentials redacted.
func TestTraceAfterTLS(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind)
		p.bind("juliet@" + testDomain + "/traced")
		p.hold()
	})
	var mu sync.Mutex
	var sent, recv strings.Builder
	tr := xmpp.NewTrace(func(b []byte) { mu.Lock(); sent.Write(b); mu.Unlock() },
		func(b []byte) { mu.Lock(); recv.Write(b); mu.Unlock() }, nil, nil)
	c, _ := NewConnector(testJID, testConfig(t, addr))
	s, err := c.Connect(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(recv.String(), "<jid>juliet@example.test/traced</jid>") {
		t.Errorf("post-TLS bind result not traced: %q", recv.String())
	}
	if !strings.Contains(sent.String(), "mechanism='PLAIN'>[redacted]</auth>") || strings.Contains(sent.String(), "AGp1bGlldABzZWNyZXQ=") {
		t.Errorf("SASL payload not redacted: %q", sent.String())
	}
	if _, ok := s.Conn.(*tls.Conn); ok {
		t.Errorf("Conn is not traced")
	}
}
