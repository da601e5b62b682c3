package sasl

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"
)

// testCert makes a self-signed certificate for "example.org" with key.
func testCert(t *testing.T, key crypto.Signer) tls.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "example.org"},
		DNSNames:     []string{"example.org"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// handshake runs a TLS handshake over an in-memory pipe and returns both
// sides' connection states.
func handshake(t *testing.T, cert tls.Certificate, version uint16) (client, server tls.ConnectionState) {
	t.Helper()
	c, s := net.Pipe()
	defer c.Close()
	defer s.Close()
	srv := tls.Server(s, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: version, MaxVersion: version})
	cli := tls.Client(c, &tls.Config{InsecureSkipVerify: true, MinVersion: version, MaxVersion: version})
	errc := make(chan error, 1)
	go func() { errc <- srv.Handshake() }()
	if err := cli.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return cli.ConnectionState(), srv.ConnectionState()
}

func TestChannelBindingFor(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert := testCert(t, key)
	certHash := sha256.Sum256(cert.Certificate[0])

	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cli, srv := handshake(t, cert, version)
		for i, tc := range []struct {
			preferred string
			wantType  string // "" = error
			want      []byte // server's view of the same binding
		}{
			0: {BindingTLSExporter, BindingTLSExporter, exporter(t, srv)},
			1: {BindingTLSUnique, map[uint16]string{tls.VersionTLS12: BindingTLSUnique}[version], srv.TLSUnique},
			2: {BindingTLSServerEndPoint, BindingTLSServerEndPoint, certHash[:]},
			3: {"", map[uint16]string{tls.VersionTLS12: BindingTLSUnique, tls.VersionTLS13: BindingTLSExporter}[version], nil},
			4: {"tls-foo", "", nil},
		} {
			cb, err := ChannelBindingFor(&cli, tc.preferred)
			if tc.wantType == "" {
				if !errors.Is(err, ErrNoChannelBinding) {
					t.Errorf("%x %d: ChannelBindingFor(%q) = %v, %v; want ErrNoChannelBinding", version, i, tc.preferred, cb, err)
				}
				continue
			}
			if err != nil || cb.Type != tc.wantType || len(cb.Data) == 0 {
				t.Errorf("%x %d: ChannelBindingFor(%q) = %+v, %v", version, i, tc.preferred, cb, err)
				continue
			}
			if tc.want != nil && !bytes.Equal(cb.Data, tc.want) {
				t.Errorf("%x %d: %s data %x, server has %x", version, i, cb.Type, cb.Data, tc.want)
			}
		}
	}
	if _, err := ChannelBindingFor(nil, ""); !errors.Is(err, ErrNoChannelBinding) {
		t.Errorf("nil state: %v", err)
	}
	if _, err := ChannelBindingFor(&tls.ConnectionState{}, ""); !errors.Is(err, ErrNoChannelBinding) {
		t.Errorf("incomplete handshake: %v", err)
	}

	// tls-server-end-point is undefined for Ed25519 (RFC 5929 §4.1).
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	cli, _ := handshake(t, testCert(t, edKey), tls.VersionTLS13)
	if _, err := ChannelBindingFor(&cli, BindingTLSServerEndPoint); !errors.Is(err, ErrNoChannelBinding) {
		t.Errorf("Ed25519 end-point: %v", err)
	}
}

func exporter(t *testing.T, cs tls.ConnectionState) []byte {
	t.Helper()
	b, err := cs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestScramPlusOverTLS binds a SCRAM-SHA-256-PLUS exchange to a real TLS 1.3
// session: the client's binding comes from ChannelBindingFor, the server's
// from its own connection state.
func TestScramPlusOverTLS(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cli, srv := handshake(t, testCert(t, key), tls.VersionTLS13)
	cb, err := ChannelBindingFor(&cli, "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Select([]string{"SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"}, Credentials{Username: "u", Password: "p"},
		&Config{TLS: true, ChannelBinding: cb, ServerTypes: []string{"tls-exporter"}})
	if err != nil || m.Name() != "SCRAM-SHA-256-PLUS" {
		t.Fatalf("Select = %v, %v", m, err)
	}
	server := &testScramServer{h: hashSHA256, password: "p", salt: []byte("salt"), iter: 4096, nonceSuffix: "s",
		cbType: BindingTLSExporter, cbData: exporter(t, srv)}
	if err := exchange(m, server); err != nil {
		t.Fatal(err)
	}
}
