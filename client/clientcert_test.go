package client

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"strings"
	"sync"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
)

var (
	clientCertOnce sync.Once
	clientCertVal  tls.Certificate
	clientCertPool *x509.CertPool
)

// clientCert returns a self-signed TLS client certificate whose subject is
// juliet@example.test, generated once per test binary, and a pool trusting
// it (the scripted server's ClientCAs).
func clientCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	clientCertOnce.Do(func() {
		clientCertVal, clientCertPool = selfSigned(&x509.Certificate{
			SerialNumber:          big.NewInt(2),
			Subject:               pkix.Name{CommonName: "juliet@" + testDomain},
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageDigitalSignature,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		})
	})
	return clientCertVal, clientCertPool
}

// requireClientCert makes p's TLS handshakes require and verify a client
// certificate issued by clientCert.
func requireClientCert(t testing.TB, p *peer) {
	_, pool := clientCert(t)
	p.tlsCfg.ClientAuth = tls.RequireAndVerifyClientCert
	p.tlsCfg.ClientCAs = pool
}

// peerClientCN returns the subject of the client certificate on p's TLS
// connection, "" when there is none.
func peerClientCN(p *peer) string {
	tc, ok := p.c.(*tls.Conn)
	if !ok {
		return ""
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return ""
	}
	return certs[0].Subject.CommonName
}

// TestClientCertificateExternal: a server that requires and verifies a TLS
// client certificate accepts the one in Config.TLSConfig.Certificates, over
// STARTTLS and over direct TLS (XEP-0368). It offers EXTERNAL among other
// mechanisms (RFC 6120 §6.3.4); with sasl.Config.External the client prefers
// it (XEP-0178 §2: a client that presented a certificate uses EXTERNAL) and
// sends an empty authorization identity, "=" on the wire (RFC 6120 §6.4.2),
// so that the server derives the identity from the certificate. No password
// is configured; the bound JID is the one the server derived, for an account
// with a localpart or a domain-only JID (NewConnector: a domain-only JID suits
// EXTERNAL).
func TestClientCertificateExternal(t *testing.T) {
	tests := []struct {
		name    string
		direct  bool
		account jid.JID
	}{
		{"starttls", false, testJID},
		{"direct TLS", true, testJID},
		{"starttls domain-only JID", false, jid.MustParse(testDomain)},
		{"direct TLS domain-only JID", true, jid.MustParse(testDomain)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cn, auth, bindReq string
			addr, wait := runPeer(t, func(p *peer) {
				requireClientCert(t, p)
				if tt.direct {
					p.handshake()
				} else {
					p.open(featStartTLS)
					p.startTLS()
				}
				cn = peerClientCN(p)
				p.open(featMechs("SCRAM-SHA-1", "PLAIN", "EXTERNAL"))
				auth = p.element("auth")
				p.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
				p.open(featBind)
				bindReq = p.bind(cn + "/cert")
				p.hold()
			})
			cc, _ := clientCert(t)
			cfg := testConfig(t, addr)
			cfg.Password = ""
			cfg.DirectTLS = tt.direct
			cfg.TLSConfig.Certificates = []tls.Certificate{cc}
			cfg.SASL = &sasl.Config{External: true}
			s, err := connect(t, tt.account, cfg)
			if s != nil {
				s.Conn.Close()
			}
			wait()
			if err != nil {
				t.Fatal(err)
			}
			if cn != "juliet@"+testDomain {
				t.Errorf("server saw client certificate %q", cn)
			}
			if attr(auth, "mechanism") != sasl.MechExternal || text(auth) != "=" {
				t.Errorf("auth %s, want EXTERNAL with an empty response (=)", auth)
			}
			if strings.Contains(bindReq, "<resource") {
				t.Errorf("bind request %s asks for a resource", bindReq)
			}
			if s.Mechanism != sasl.MechExternal || s.JID.String() != "juliet@"+testDomain+"/cert" || s.TLS == nil {
				t.Errorf("stream mechanism %q JID %v TLS %v", s.Mechanism, s.JID, s.TLS != nil)
			}
			if len(s.TLS.PeerCertificates) == 0 || s.TLS.PeerCertificates[0].DNSNames[0] != testDomain {
				t.Errorf("server certificate not verified as %s", testDomain)
			}
		})
	}
}

// TestClientCertificateRequired is the control of
// TestClientCertificateExternal: without Config.TLSConfig.Certificates the
// same server refuses the handshake, so the certificate is what let the
// client in. In TLS 1.3 the client learns of the refusal on its first read
// after the handshake (the stream header), so the step is tls or stream.
func TestClientCertificateRequired(t *testing.T) {
	for _, direct := range []bool{false, true} {
		var serverErr error
		addr, wait := runPeer(t, func(p *peer) {
			requireClientCert(t, p)
			if !direct {
				p.open(featStartTLS)
				p.expect("<starttls")
				p.expect(">")
				p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
			}
			tc := tls.Server(p.c, p.tlsCfg)
			serverErr = tc.Handshake()
			io.Copy(io.Discard, tc)
		})
		cfg := testConfig(t, addr)
		cfg.DirectTLS = direct
		cfg.SASL = &sasl.Config{External: true}
		_, err := connect(t, testJID, cfg)
		wait()
		var ce *ConnectError
		if !errors.As(err, &ce) || (ce.Step != StepTLS && ce.Step != StepStream) {
			t.Errorf("direct %v: err %v, want a ConnectError at %s or %s", direct, err, StepTLS, StepStream)
		}
		t.Logf("direct %v: %v", direct, err)
		if serverErr == nil {
			t.Errorf("direct %v: the server accepted a handshake without client certificate", direct)
		}
	}
}

// TestExternalNotEnabled: a server offering only EXTERNAL, to a client
// with a certificate but without sasl.Config.External, gets no <auth/>:
// EXTERNAL is never picked unasked (sasl.Select), and the failure is a
// permanent sasl.ErrNoMechanism at the SASL step.
func TestExternalNotEnabled(t *testing.T) {
	var after string
	addr, wait := runPeer(t, func(p *peer) {
		requireClientCert(t, p)
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("EXTERNAL"))
		rest, _ := io.ReadAll(p.c)
		after = string(p.buf) + string(rest)
	})
	cc, _ := clientCert(t)
	cfg := testConfig(t, addr)
	cfg.TLSConfig.Certificates = []tls.Certificate{cc}
	_, err := connect(t, testJID, cfg)
	wait()
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Step != StepSASL || !errors.Is(err, sasl.ErrNoMechanism) || !xmpp.IsPermanent(err) {
		t.Fatalf("err %v, want a permanent ErrNoMechanism at %s", err, StepSASL)
	}
	if strings.Contains(after, "<auth") {
		t.Errorf("the client sent %q", after)
	}
}
