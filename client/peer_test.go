package client

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// A scripted server for negotiation tests: it accepts one connection on a
// loopback listener and runs a script of expectations (substrings of what
// the client sends) and canned answers, optionally with a real TLS
// handshake. Failures inside the script are reported with t.Errorf.

const testDomain = "example.test"

var (
	certOnce sync.Once
	testCert tls.Certificate
	testPool *x509.CertPool
)

// peerCert returns a self-signed certificate for testDomain (and
// *.testDomain), generated once per test binary, and a pool trusting it.
func peerCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	certOnce.Do(func() {
		testCert, testPool = selfSigned(&x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: testDomain},
			DNSNames:              []string{testDomain, "*." + testDomain},
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
	})
	return testCert, testPool
}

// selfSigned signs tmpl with a new P-256 key, valid from an hour ago for a
// day, and returns the certificate and a pool trusting it.
func selfSigned(tmpl *x509.Certificate) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// peer is the server side of one scripted connection.
type peer struct {
	t      testing.TB
	c      net.Conn
	buf    []byte // received, not yet consumed by expect
	tlsCfg *tls.Config
	nextID int
	maxTLS uint16
	silent chan struct{} // closed by hold, when set
}

// errScript aborts a script; the failure was already reported.
var errScript = errors.New("script failed")

// runPeer listens on 127.0.0.1, serves one connection with script and
// returns the address and a wait function that returns once the script
// (and the connection) is over. The connection is closed after the script;
// scripts that must stay silent call p.hold.
func runPeer(t testing.TB, script func(p *peer)) (addr string, wait func()) {
	t.Helper()
	return runPeerSignal(t, script, nil)
}

// runPeerSignal is runPeer closing silent when the script starts to hold.
func runPeerSignal(t testing.TB, script func(p *peer), silent chan struct{}) (addr string, wait func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			t.Errorf("peer: accept: %v", err)
			return
		}
		runScript(t, c, script, silent)
	}()
	var once sync.Once
	return ln.Addr().String(), func() { once.Do(func() { <-done }) }
}

// servePeer runs script on c, the server side of a connection made by the
// test (a socket pair, a pipe), in a goroutine; wait returns once the
// script is over and c is closed.
func servePeer(t testing.TB, c net.Conn, script func(p *peer)) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScript(t, c, script, nil)
	}()
	var once sync.Once
	return func() { once.Do(func() { <-done }) }
}

// runScript serves one connection with script and closes it.
func runScript(t testing.TB, c net.Conn, script func(p *peer), silent chan struct{}) {
	defer c.Close()
	// A safety net against a broken test hanging the run; no test
	// asserts on it.
	c.SetDeadline(time.Now().Add(20 * time.Second))
	cert, _ := peerCert(t)
	p := &peer{t: t, c: c, tlsCfg: &tls.Config{Certificates: []tls.Certificate{cert}}, silent: silent}
	defer func() {
		if r := recover(); r != nil && r != errScript {
			panic(r)
		}
	}()
	script(p)
}

func (p *peer) failf(format string, args ...any) {
	p.t.Errorf("peer: "+format, args...)
	panic(errScript)
}

// expect reads until the client has sent sub and returns everything up to
// and including it.
func (p *peer) expect(sub string) string {
	for {
		if i := bytes.Index(p.buf, []byte(sub)); i >= 0 {
			out := string(p.buf[:i+len(sub)])
			p.buf = p.buf[i+len(sub):]
			return out
		}
		chunk := make([]byte, 4096)
		n, err := p.c.Read(chunk)
		p.buf = append(p.buf, chunk[:n]...)
		if err != nil && n == 0 {
			p.failf("waiting for %q: %v (have %q)", sub, err, p.buf)
		}
	}
}

// element reads the client's next element whose start is "<"+name and
// returns its raw text (up to "/>" or "</name>").
func (p *peer) element(name string) string {
	p.expect("<" + name)
	rest := p.expect(">")
	if strings.HasSuffix(rest, "/>") {
		return "<" + name + rest
	}
	return "<" + name + rest + p.expect("</"+name+">")
}

// text returns the character data of a raw element from element.
func text(raw string) string {
	i := strings.Index(raw, ">")
	j := strings.LastIndex(raw, "</")
	if i < 0 || j < i {
		return ""
	}
	return raw[i+1 : j]
}

// attr returns attribute name of the start tag of a raw element.
func attr(raw, name string) string {
	for _, q := range []string{"'", `"`} {
		k := " " + name + "=" + q
		if i := strings.Index(raw, k); i >= 0 {
			v := raw[i+len(k):]
			if j := strings.Index(v, q); j >= 0 {
				return v[:j]
			}
		}
	}
	return ""
}

func (p *peer) send(s string) {
	if _, err := io.WriteString(p.c, s); err != nil {
		p.failf("send %q: %v", s, err)
	}
}

// open reads the client's stream header and answers with ours (version 1.0
// unless the client sent none) followed by features (skipped when "").
// It returns the client's header.
func (p *peer) open(features string) string {
	p.expect("<stream:stream")
	h := "<stream:stream" + p.expect(">")
	p.nextID++
	version := " version='1.0'"
	if !strings.Contains(h, "version=") {
		version = ""
	}
	p.send(fmt.Sprintf("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='%s' id='stream-%d'%s>", testDomain, p.nextID, version))
	if features != "" {
		p.send("<stream:features>" + features + "</stream:features>")
	}
	return h
}

// startTLS expects <starttls/>, answers <proceed/> and runs the server
// handshake.
func (p *peer) startTLS() {
	p.expect("<starttls")
	p.expect(">")
	p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
	p.handshake()
}

func (p *peer) handshake() {
	cfg := p.tlsCfg.Clone()
	if p.maxTLS != 0 {
		cfg.MaxVersion = p.maxTLS
	}
	tc := tls.Server(p.c, cfg)
	if err := tc.Handshake(); err != nil {
		p.failf("TLS handshake: %v", err)
	}
	p.c = tc
	p.buf = nil
}

// hold keeps the connection open, silent, until the client closes it.
func (p *peer) hold() {
	if p.silent != nil {
		close(p.silent)
	}
	io.Copy(io.Discard, p.c)
}

// plainAuth expects SASL PLAIN and answers success; it returns the decoded
// initial response.
func (p *peer) plainAuth() string {
	raw := p.element("auth")
	if m := attr(raw, "mechanism"); m != "PLAIN" {
		p.failf("mechanism %q, want PLAIN", m)
	}
	b, err := base64.StdEncoding.DecodeString(text(raw))
	if err != nil {
		p.failf("PLAIN payload: %v", err)
	}
	p.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
	return string(b)
}

// bind expects a bind request and answers with full JID j.
func (p *peer) bind(j string) string {
	raw := p.element("iq")
	p.send(fmt.Sprintf("<iq type='result' id='%s'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>%s</jid></bind></iq>", attr(raw, "id"), j))
	return raw
}

// login runs the usual negotiation: STARTTLS, SASL PLAIN, bind to full.
func (p *peer) login(full string) {
	p.open(featStartTLS + featMechs("PLAIN"))
	p.startTLS()
	p.open(featMechs("PLAIN"))
	p.plainAuth()
	p.open(featBind)
	p.bind(full)
}

// Feature snippets.
const (
	featStartTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
	featBind     = "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
	featIQAuth   = "<auth xmlns='http://jabber.org/features/iq-auth'/>"
)

func featMechs(m ...string) string {
	var b strings.Builder
	b.WriteString("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>")
	for _, s := range m {
		b.WriteString("<mechanism>" + s + "</mechanism>")
	}
	b.WriteString("</mechanisms>")
	return b.String()
}
