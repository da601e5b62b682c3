package client

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
)

// dialLog is a Config.DialContext that records each call and connects the
// names it is asked for to the scripted peers' loopback addresses, as a
// proxy would: routes maps a "host:port" to the peer addresses to use, one
// per call; a name without a route is refused.
type dialLog struct {
	mu     sync.Mutex
	calls  []string // "network addr"
	routes map[string][]string
}

func (d *dialLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.calls = append(d.calls, network+" "+addr)
	var to string
	if r := d.routes[addr]; len(r) > 0 {
		to, d.routes[addr] = r[0], r[1:]
	}
	d.mu.Unlock()
	if to == "" {
		return nil, errors.New("proxy: connection to " + addr + " refused")
	}
	var nd net.Dialer
	return nd.DialContext(ctx, "tcp", to)
}

func (d *dialLog) log() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.calls...)
}

// Every connection a Session makes goes through Config.DialContext: both
// SRV candidates of the first connection (the first refused), the same
// again when the stream drops and the Session reconnects, and the
// see-other-host address the server then redirects to (RFC 6120 §3.2.1,
// §3.3, §4.9.3.19). None of the names resolve: only DialContext can reach
// the peers.
func TestDialContextEveryConnection(t *testing.T) {
	full := "juliet@" + testDomain + "/r"
	first, wait1 := runPeer(t, func(p *peer) {
		p.login(full) // then the connection drops
	})
	redirecting, wait2 := runPeer(t, func(p *peer) {
		p.open("")
		p.send("<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>moved.example.test:5222</see-other-host></stream:error></stream:stream>")
		p.hold()
	})
	moved, wait3 := runPeer(t, func(p *peer) {
		p.login(full)
		p.expect("</stream:stream>")
		p.send("</stream:stream>")
	})
	d := &dialLog{routes: map[string][]string{
		"b.example.test:5222":     {first, redirecting},
		"moved.example.test:5222": {moved},
	}}
	var rec recorder
	cfg := testConfig(t, "")
	cfg.DialContext = d.dial
	cfg.Session = &xmpp.Config{OnEvent: rec.add, Reconnect: &xmpp.Backoff{Min: time.Millisecond}}
	c, err := NewConnector(testJID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.lookupSRV = func(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
		if service == srvStartTLS && name == testDomain {
			return "", []*net.SRV{{Target: "a.example.test.", Port: 5222, Priority: 10}, {Target: "b.example.test.", Port: 5222, Priority: 20}}, nil
		}
		return "", nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	s, err := start(context.Background(), c) // what Dial does with its Connector
	if err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, xmpp.StatusReady, 2) // before the waits: a peer never reached would hang them
	wait1()
	wait2()
	s.Close()
	wait3()
	want := []string{
		"tcp a.example.test:5222", "tcp b.example.test:5222", // first connection
		"tcp a.example.test:5222", "tcp b.example.test:5222", // reconnect: see-other-host
		"tcp moved.example.test:5222", // the redirect
	}
	if got := d.log(); !reflect.DeepEqual(got, want) {
		t.Errorf("DialContext calls %q, want %q", got, want)
	}
	if s.JID().String() != full {
		t.Errorf("JID %v", s.JID())
	}
}

// The certificate is checked against the JID's domain whatever
// DialContext connected to (RFC 6120 §13.7.2.1): here a peer whose
// certificate is for example.test, reached for juliet@other.example.
func TestDialContextChecksDomain(t *testing.T) {
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.expect("<starttls")
		p.expect(">")
		p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
		tls.Server(p.c, p.tlsCfg).Handshake()
	})
	d := &dialLog{routes: map[string][]string{"xmpp.other.example:5222": {addr}}}
	cfg := testConfig(t, "xmpp.other.example:5222")
	cfg.DialContext = d.dial
	_, err := Dial(context.Background(), jid.MustParse("juliet@other.example"), cfg)
	if got := d.log(); !reflect.DeepEqual(got, []string{"tcp xmpp.other.example:5222"}) {
		t.Fatalf("DialContext calls %q (err %v)", got, err) // the peer was not reached: do not wait for it
	}
	wait()
	var ce *ConnectError
	var cv *tls.CertificateVerificationError
	if !errors.As(err, &ce) || ce.Step != StepTLS || !errors.As(err, &cv) {
		t.Fatalf("err %v, want a certificate verification error at %s", err, StepTLS)
	}
}
