package testenv

import (
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"slices"
	"testing"
	"time"
)

// Real-server check of the rig itself: every server negotiates STARTTLS (RFC 6120 §5) and
// direct TLS (XEP-0368) with the generated certificate as the only root and the XMPP domain as
// the server name, and offers SASL mechanisms afterwards (RFC 6120 §6.3.3).
//
// It reads the stream with encoding/xml because the xmlstream decoder did not exist yet when
// it was written; it needs nothing but a stream header, <starttls/> and the features.

const (
	nsStream = "http://etherx.jabber.org/streams"
	nsTLS    = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL   = "urn:ietf:params:xml:ns:xmpp-sasl"
)

// streamFeatures is the part of <stream:features/> this test looks at.
type streamFeatures struct {
	StartTLS *struct {
		Required *struct{} `xml:"required"`
	} `xml:"urn:ietf:params:xml:ns:xmpp-tls starttls"`
	Mechanisms *struct {
		Names []string `xml:"mechanism"`
	} `xml:"urn:ietf:params:xml:ns:xmpp-sasl mechanisms"`
}

func (f *streamFeatures) mechanisms() []string {
	if f.Mechanisms == nil {
		return nil
	}
	return f.Mechanisms.Names
}

// openStream sends a client stream header for domain and returns the features the server
// announces, with the decoder positioned after them.
func openStream(t *testing.T, rw io.ReadWriter, domain string) (*xml.Decoder, *streamFeatures) {
	t.Helper()
	header := fmt.Sprintf("<?xml version='1.0'?><stream:stream to='%s' xmlns='jabber:client' "+
		"xmlns:stream='%s' version='1.0'>", domain, nsStream)
	if _, err := io.WriteString(rw, header); err != nil {
		t.Fatalf("send stream header: %v", err)
	}
	d := xml.NewDecoder(rw)
	start := nextStart(t, d)
	if start.Name != (xml.Name{Space: nsStream, Local: "stream"}) {
		t.Fatalf("first element = %v, want the stream header", start.Name)
	}
	start = nextStart(t, d)
	if start.Name != (xml.Name{Space: nsStream, Local: "features"}) {
		t.Fatalf("element after the header = %v, want stream:features", start.Name)
	}
	var f streamFeatures
	if err := d.DecodeElement(&f, &start); err != nil {
		t.Fatalf("read features: %v", err)
	}
	return d, &f
}

// nextStart returns the next start element, skipping the XML declaration and whitespace.
func nextStart(t *testing.T, d *xml.Decoder) xml.StartElement {
	t.Helper()
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("read stream: %v", err)
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s
		}
	}
}

// dial connects to addr with a deadline for the whole exchange.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSASL asserts the mechanisms every server of the rig offers once TLS is up.
func checkSASL(t *testing.T, f *streamFeatures) {
	t.Helper()
	got := f.mechanisms()
	for _, m := range []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"} {
		if !slices.Contains(got, m) {
			t.Errorf("mechanisms after TLS = %q, missing %s", got, m)
		}
	}
	if f.StartTLS != nil {
		t.Error("starttls offered again on a TLS stream")
	}
}

func TestRealServerTLS(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := Server(t, name)
			t.Run("STARTTLS", func(t *testing.T) {
				t.Parallel()
				testSTARTTLS(t, srv)
			})
			t.Run("DirectTLS", func(t *testing.T) {
				t.Parallel()
				testDirectTLS(t, srv)
			})
		})
	}
}

func testSTARTTLS(t *testing.T, srv *ServerInfo) {
	c := dial(t, srv.Addr)
	d, f := openStream(t, c, srv.Domain)
	if f.StartTLS == nil {
		t.Fatalf("no starttls feature on %s", srv.Addr)
	}
	// Prosody and ejabberd are configured to require TLS before authentication; jabberd2 is not
	// (its variant JABBERD2_REQUIRE_STARTTLS=1 is off in the rig).
	if wantRequired := srv.Name != "jabberd2"; (f.StartTLS.Required != nil) != wantRequired {
		t.Errorf("starttls required = %v, want %v", f.StartTLS.Required != nil, wantRequired)
	}
	if wantRequired := srv.Name != "jabberd2"; wantRequired && len(f.mechanisms()) > 0 {
		t.Errorf("SASL offered before TLS: %q", f.mechanisms())
	}

	if _, err := io.WriteString(c, "<starttls xmlns='"+nsTLS+"'/>"); err != nil {
		t.Fatal(err)
	}
	start := nextStart(t, d)
	if start.Name != (xml.Name{Space: nsTLS, Local: "proceed"}) {
		t.Fatalf("answer to starttls = %v, want proceed", start.Name)
	}
	if err := d.Skip(); err != nil {
		t.Fatal(err)
	}
	// Nothing follows <proceed/> until the client's handshake: the decoder has buffered nothing.
	tc := tls.Client(c, srv.TLSConfig())
	if err := tc.Handshake(); err != nil {
		t.Fatalf("TLS handshake (root %s, server name %s): %v", srv.CAFile, srv.Domain, err)
	}
	_, f = openStream(t, tc, srv.Domain)
	t.Logf("%s STARTTLS: %s, mechanisms %q", srv.Addr, tls.VersionName(tc.ConnectionState().Version), f.mechanisms())
	checkSASL(t, f)
}

func testDirectTLS(t *testing.T, srv *ServerInfo) {
	c := dial(t, srv.TLSAddr)
	tc := tls.Client(c, srv.TLSConfig())
	if err := tc.Handshake(); err != nil {
		t.Fatalf("TLS handshake (root %s, server name %s): %v", srv.CAFile, srv.Domain, err)
	}
	version := tc.ConnectionState().Version
	_, f := openStream(t, tc, srv.Domain)
	t.Logf("%s direct TLS: %s, mechanisms %q", srv.TLSAddr, tls.VersionName(version), f.mechanisms())
	checkSASL(t, f)
	if srv.TLSMaxVersion != 0 && version > srv.TLSMaxVersion {
		t.Errorf("direct TLS negotiated %s, above the declared cap %s",
			tls.VersionName(version), tls.VersionName(srv.TLSMaxVersion))
	}
	// On a TLS 1.2 session Prosody offers channel binding with tls-unique (servers.md §3.6).
	if srv.Name == "prosody" && version == tls.VersionTLS12 {
		if !slices.Contains(f.mechanisms(), "SCRAM-SHA-1-PLUS") {
			t.Errorf("Prosody on TLS 1.2: mechanisms %q lack SCRAM-SHA-1-PLUS", f.mechanisms())
		}
	}
}
