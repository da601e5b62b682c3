package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/stanza"
)

// Session-level tests of see-other-host (RFC 6120 §4.9.3.19) and
// Session.Reconnect(hostport) with the real Connector: scripted servers on
// loopback listeners, each connection running the next script of its
// listener. The redirect target is resolved (SRV for a bare name, through
// the Connector's lookupSRV hook), the certificate is checked against the
// JID's domain, and a redirect holds only until a stream is established.

// seqServer is a loopback listener whose n-th connection runs the n-th
// script; connections beyond the scripts are counted and closed at once.
type seqServer struct {
	addr     string
	accepted atomic.Int32
}

func serveSeq(t *testing.T, scripts ...func(p *peer)) *seqServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := peerCert(t)
	srv := &seqServer{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(srv.accepted.Add(1))
			if n > len(scripts) {
				c.Close()
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second)) // a safety net only
				p := &peer{t: t, c: c, tlsCfg: &tls.Config{Certificates: []tls.Certificate{cert}}}
				defer func() {
					if r := recover(); r != nil && r != errScript {
						panic(r)
					}
				}()
				scripts[n-1](p)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return srv
}

func (s *seqServer) port() uint16 {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return uint16(n)
}

// login runs a whole negotiation: STARTTLS, SASL PLAIN, bind of resource.
func login(p *peer, resource string) {
	p.open(featStartTLS)
	p.startTLS()
	p.open(featMechs("PLAIN"))
	p.plainAuth()
	p.open(featBind)
	p.bind("juliet@" + testDomain + "/" + resource)
}

// answerClose waits until the client closes the stream or the connection;
// it answers a closing tag with its own (RFC 6120 §4.4), so that the
// Session's Close does not wait for it.
func (p *peer) answerClose() {
	const tag = "</stream:stream>"
	buf := make([]byte, 4096)
	var tail []byte
	for {
		n, err := p.c.Read(buf)
		tail = append(tail, buf[:n]...)
		if bytes.Contains(tail, []byte(tag)) {
			io.WriteString(p.c, tag)
			return
		}
		if err != nil {
			return
		}
		tail = tail[max(0, len(tail)-len(tag)):]
	}
}

// Scripts: log in as resource, then stay, drop the connection (a stream
// that ends normally) or redirect the live stream.
func stay(resource string) func(*peer) {
	return func(p *peer) { login(p, resource); p.answerClose() }
}

func drop(resource string) func(*peer) {
	return func(p *peer) { login(p, resource) }
}

func redirectLive(resource string, target func() string) func(*peer) {
	return func(p *peer) {
		login(p, resource)
		p.send(sohXML(target()))
		p.answerClose()
	}
}

// redirectEarly answers with see-other-host once TLS is up, before
// authentication (where RFC 6120 §4.9.3.19 wants it at the earliest).
func redirectEarly(target func() string) func(*peer) {
	return func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open("")
		p.send(sohXML(target()))
	}
}

func sohXML(target string) string {
	return "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>" + target + "</see-other-host></stream:error></stream:stream>"
}

// srvFor answers _xmpp-client._tcp.name with 127.0.0.1 on port, records
// every name looked up, and has no other record.
type srvFor struct {
	name string
	port uint16
	mu   sync.Mutex
	seen []string
}

func (s *srvFor) lookup(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
	s.mu.Lock()
	s.seen = append(s.seen, service+"."+name)
	s.mu.Unlock()
	if service == srvStartTLS && name == s.name {
		return "", []*net.SRV{{Target: "127.0.0.1.", Port: s.port}}, nil
	}
	return "", nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (s *srvFor) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// watcher collects the Session's events: the resource of each stream that
// became ready, in order, and the reconnect events.
type watcher struct {
	ready chan string
	mu    sync.Mutex
	recon []xmpp.Event
}

func newWatcher() *watcher { return &watcher{ready: make(chan string, 16)} }

func (w *watcher) event(e xmpp.Event) {
	switch e.Status {
	case xmpp.StatusReady:
		w.ready <- e.JID.Resourcepart()
	case xmpp.StatusReconnecting:
		w.mu.Lock()
		w.recon = append(w.recon, e)
		w.mu.Unlock()
	}
}

// next returns the resource of the next stream that became ready.
func (w *watcher) next(t *testing.T) string {
	t.Helper()
	select {
	case r := <-w.ready:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no stream became ready within 10s")
		return ""
	}
}

// session logs in through c with reconnection on (1 ms at first) and the
// redirect limit max.
func session(t *testing.T, c *Connector, max int, w *watcher) (*xmpp.Session, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, c, &xmpp.Config{
		Reconnect:    &xmpp.Backoff{Min: time.Millisecond, Max: time.Hour},
		MaxRedirects: max,
		OnEvent:      w.event,
	})
	if s != nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func newTestConnector(t *testing.T, server string) *Connector {
	t.Helper()
	c, err := NewConnector(testJID, testConfig(t, server))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func checkAccepted(t *testing.T, name string, s *seqServer, want int) {
	t.Helper()
	if n := int(s.accepted.Load()); n != want {
		t.Errorf("%s accepted %d connections, want %d", name, n, want)
	}
}

func waitEnd(t *testing.T, s *xmpp.Session) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the Session did not end; state %v", s.State())
	}
}

// TestSessionFollowsSeeOtherHostToBareName: a see-other-host naming a host
// without port is resolved like a domain (SRV _xmpp-client._tcp of that
// name) and followed; the certificate (for the JID's domain, served on
// 127.0.0.1) is accepted there. When the redirected stream drops, the
// Session reconnects to the configured server, not to the redirect target.
func TestSessionFollowsSeeOtherHostToBareName(t *testing.T) {
	b := serveSeq(t, drop("b"))
	a := serveSeq(t, redirectEarly(func() string { return "other.example" }), stay("a2"))
	c := newTestConnector(t, a.addr)
	dns := &srvFor{name: "other.example", port: b.port()}
	c.lookupSRV = dns.lookup
	w := newWatcher()
	if _, err := session(t, c, 5, w); err != nil {
		t.Fatal(err)
	}
	if r := w.next(t); r != "b" {
		t.Fatalf("first stream on %q, want the redirect target's b", r)
	}
	if r := w.next(t); r != "a2" {
		t.Fatalf("after the redirected stream dropped: on %q, want the configured server's a2", r)
	}
	checkAccepted(t, "the configured server", a, 2)
	checkAccepted(t, "the redirect target", b, 1)
	for _, n := range dns.names() {
		if n != "xmpps-client.other.example" && n != "xmpp-client.other.example" {
			t.Errorf("looked up %s", n)
		}
	}
	if len(dns.names()) == 0 {
		t.Errorf("the bare name was not resolved through SRV")
	}
}

// TestSessionFollowsSeeOtherHostOnLiveStream: a see-other-host with
// host:port on an established stream is followed at once, to that address;
// when that stream drops, the next reconnect goes to the configured server.
func TestSessionFollowsSeeOtherHostOnLiveStream(t *testing.T) {
	b := serveSeq(t, drop("b"))
	a := serveSeq(t, redirectLive("a1", func() string { return b.addr }), stay("a2"))
	c := newTestConnector(t, a.addr)
	w := newWatcher()
	if _, err := session(t, c, 5, w); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a1", "b", "a2"} {
		if r := w.next(t); r != want {
			t.Fatalf("stream on %q, want %q", r, want)
		}
	}
	checkAccepted(t, "the configured server", a, 2)
	checkAccepted(t, "the redirect target", b, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.recon) < 1 || w.recon[0].Addr != b.addr || w.recon[0].Delay != 0 {
		t.Errorf("reconnect events %+v, want the first to %s at once", w.recon, b.addr)
	}
}

// otherCert returns a certificate for other.example (and 127.0.0.1) issued
// by the test CA: valid, but not for the JID's domain.
func otherCert(t *testing.T) tls.Certificate {
	t.Helper()
	ca, pool := peerCert(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "other.example"},
		DNSNames:     []string{"other.example"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Leaf, ca.Leaf.PublicKey, ca.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	// The certificate is good for the redirect target's name: only the
	// name checked can make the client refuse it.
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "other.example", Roots: pool}); err != nil {
		t.Fatalf("other.example certificate: %v", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: ca.PrivateKey, Leaf: leaf}
}

// TestSessionRedirectChecksJIDDomain: the redirect target presents a
// certificate for its own name, not the JID's domain: the Connector refuses
// it (RFC 6120 §4.9.3.19: the same reference identity as the original
// connection) and falls back to the configured server.
func TestSessionRedirectChecksJIDDomain(t *testing.T) {
	cert := otherCert(t)
	handshake := make(chan error, 1)
	b := serveSeq(t, func(p *peer) {
		p.open(featStartTLS)
		p.expect("<starttls")
		p.expect(">")
		p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
		handshake <- tls.Server(p.c, &tls.Config{Certificates: []tls.Certificate{cert}}).Handshake()
	})
	a := serveSeq(t, redirectEarly(func() string { return "other.example" }), stay("a2"))
	c := newTestConnector(t, a.addr)
	c.lookupSRV = (&srvFor{name: "other.example", port: b.port()}).lookup
	w := newWatcher()
	s, err := session(t, c, 5, w)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.JID().Resourcepart(); r != "a2" {
		t.Fatalf("on %q, want the configured server's a2", r)
	}
	select {
	case err := <-handshake:
		if err == nil {
			t.Fatal("the client accepted a certificate for the redirect host")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the redirect target saw no handshake")
	}
	checkAccepted(t, "the configured server", a, 2)
	checkAccepted(t, "the redirect target", b, 1)
}

// TestSessionRedirectTargetUnreachable: a redirect to an address where
// nothing listens falls back to the configured server in the same attempt.
func TestSessionRedirectTargetUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	a := serveSeq(t, redirectLive("a1", func() string { return closed }), stay("a2"))
	c := newTestConnector(t, a.addr)
	w := newWatcher()
	if _, err := session(t, c, 5, w); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a1", "a2"} {
		if r := w.next(t); r != want {
			t.Fatalf("stream on %q, want %q", r, want)
		}
	}
	checkAccepted(t, "the configured server", a, 2)
}

// TestSessionRedirectTargetRefusesLogin: a refused login at the redirect
// target is permanent: no fallback, no reconnect, the Session ends.
func TestSessionRedirectTargetRefusesLogin(t *testing.T) {
	b := serveSeq(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.element("auth")
		p.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>")
		p.hold()
	})
	a := serveSeq(t, redirectLive("a1", func() string { return b.addr }), stay("a2"))
	c := newTestConnector(t, a.addr)
	w := newWatcher()
	s, err := session(t, c, 5, w)
	if err != nil {
		t.Fatal(err)
	}
	waitEnd(t, s)
	if !errors.Is(s.Err(), &sasl.Failure{Condition: sasl.CondNotAuthorized}) {
		t.Fatalf("Err = %v, want not-authorized", s.Err())
	}
	checkAccepted(t, "the configured server", a, 1)
	checkAccepted(t, "the redirect target", b, 1)
}

// TestSessionReconnectToHostOnce: Session.Reconnect(hostport) connects
// there once; when that stream drops, the Session reconnects to the
// configured server.
func TestSessionReconnectToHostOnce(t *testing.T) {
	b := serveSeq(t, drop("b"))
	a := serveSeq(t, stay("a1"), stay("a2"))
	c := newTestConnector(t, a.addr)
	w := newWatcher()
	s, err := session(t, c, 5, w)
	if err != nil {
		t.Fatal(err)
	}
	if r := w.next(t); r != "a1" {
		t.Fatalf("on %q", r)
	}
	if err := s.Reconnect(b.addr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"b", "a2"} {
		if r := w.next(t); r != want {
			t.Fatalf("stream on %q, want %q", r, want)
		}
	}
	checkAccepted(t, "the configured server", a, 2)
	checkAccepted(t, "the requested host", b, 1)
}

// TestSessionRedirectLoopBetweenListeners: two servers sending the client
// to each other, while it negotiates or once each stream is up, are
// followed MaxRedirects times; the next see-other-host ends the Session
// (or fails NewSession) with *xmpp.RedirectLoopError and nothing more is
// dialed.
func TestSessionRedirectLoopBetweenListeners(t *testing.T) {
	for _, live := range []bool{false, true} {
		name := map[bool]string{false: "negotiation", true: "live"}[live]
		t.Run(name, func(t *testing.T) {
			var a, b *seqServer
			toA := func() string { return a.addr }
			toB := func() string { return b.addr }
			if live {
				a = serveSeq(t, redirectLive("a1", toB), redirectLive("a2", toB))
				b = serveSeq(t, redirectLive("b1", toA))
			} else {
				a = serveSeq(t, redirectEarly(toB), redirectEarly(toB))
				b = serveSeq(t, redirectEarly(toA))
			}
			c := newTestConnector(t, a.addr)
			w := newWatcher()
			s, err := session(t, c, 2, w)
			if live {
				if err != nil {
					t.Fatal(err)
				}
				waitEnd(t, s)
				err = s.Err()
			} else if s != nil {
				t.Fatal("NewSession succeeded")
			}
			var rl *xmpp.RedirectLoopError
			if !errors.As(err, &rl) || rl.Redirects != 2 || !errors.Is(err, xmpp.ErrRedirectLoop) {
				t.Fatalf("err = %v, want a RedirectLoopError after 2 redirects", err)
			}
			var se stanza.StreamError
			if !errors.As(err, &se) || se.Condition != stanza.StreamSeeOtherHost || se.Redirect != b.addr {
				t.Errorf("err = %v, want it to wrap the see-other-host to %s", err, b.addr)
			}
			checkAccepted(t, "a", a, 2)
			checkAccepted(t, "b", b, 1)
		})
	}
}

// TestRedirectToTheServerTriedOnce: a redirect whose target is
// Config.Server itself is not tried a second time as the fallback.
func TestRedirectToTheServerTriedOnce(t *testing.T) {
	cfg := testConfig(t, "127.0.0.1:5999")
	var calls []string
	refused := errors.New("refused")
	cfg.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		calls = append(calls, addr)
		return nil, refused
	}
	c, err := NewConnector(testJID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Redirect("127.0.0.1:5999")
	if _, err := c.Connect(context.Background(), nil); !errors.Is(err, refused) {
		t.Fatalf("Connect = %v, want the dial error", err)
	}
	if len(calls) != 1 {
		t.Fatalf("dialed %q, want the one address once", calls)
	}
}
