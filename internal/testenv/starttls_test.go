package testenv

import (
	"crypto/tls"
	"net"
	"slices"
	"testing"
	"time"

	"parley.dev/xmpp/xmlstream"
)

// Real-server check of the rig itself: every server negotiates STARTTLS (RFC 6120 §5) and
// direct TLS (XEP-0368) with the generated certificate as the only root and the XMPP domain as
// the server name, and offers SASL mechanisms afterwards (RFC 6120 §6.3.3). The stream is read
// with the xmlstream decoder and written with its encoder.

const (
	nsTLS  = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL = "urn:ietf:params:xml:ns:xmpp-sasl"
)

// streamFeatures is the part of <stream:features/> this test looks at.
type streamFeatures struct {
	startTLS   bool
	required   bool // <starttls><required/></starttls>
	mechanisms []string
}

// stream is one side of a test connection: the connection and the decoder fed from it.
type stream struct {
	conn net.Conn
	dec  *xmlstream.Decoder
	buf  []byte
}

// next returns the next event other than whitespace, reading from the connection as needed.
func (s *stream) next(t *testing.T) xmlstream.Event {
	t.Helper()
	for {
		ev, err := s.dec.Next()
		if err != nil {
			t.Fatalf("decode stream: %v", err)
		}
		switch ev.Kind {
		case xmlstream.EventWhitespace:
			continue
		case xmlstream.EventNone:
			if s.buf == nil {
				s.buf = make([]byte, 4096)
			}
			n, err := s.conn.Read(s.buf)
			if n > 0 {
				s.dec.Feed(s.buf[:n])
			}
			if err != nil && n == 0 {
				t.Fatalf("read stream: %v", err)
			}
			continue
		}
		return ev
	}
}

// element returns the next top-level element; anything else fails the test.
func (s *stream) element(t *testing.T) *xmlstream.Element {
	t.Helper()
	ev := s.next(t)
	if ev.Kind != xmlstream.EventElement {
		t.Fatalf("got %v, want an element", ev.Kind)
	}
	return ev.Element
}

// send writes raw bytes to the connection.
func (s *stream) send(t *testing.T, b []byte) {
	t.Helper()
	if _, err := s.conn.Write(b); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// openStream sends a client stream header for domain on conn and returns the stream and the
// features the server announces.
func openStream(t *testing.T, conn net.Conn, domain string) (*stream, *streamFeatures) {
	t.Helper()
	s := &stream{conn: conn, dec: xmlstream.NewDecoder(nil)}
	s.send(t, xmlstream.AppendHeader(nil, &xmlstream.Header{To: domain, Version: "1.0", Default: "jabber:client"}))
	ev := s.next(t)
	if ev.Kind != xmlstream.EventStreamStart {
		t.Fatalf("got %v, want the stream header", ev.Kind)
	}
	if ev.Header.From != "" && ev.Header.From != domain {
		t.Errorf("stream from %q, want %q", ev.Header.From, domain)
	}
	e := s.element(t)
	if e.Name != (xmlstream.Name{Space: xmlstream.NSStream, Local: "features"}) {
		t.Fatalf("element after the header = %v, want stream:features", e.Name)
	}
	f := &streamFeatures{}
	if st := e.Child(nsTLS, "starttls"); st != nil {
		f.startTLS = true
		f.required = st.Child(nsTLS, "required") != nil
	}
	if m := e.Child(nsSASL, "mechanisms"); m != nil {
		for c := range m.Children() {
			if c.Name == (xmlstream.Name{Space: nsSASL, Local: "mechanism"}) {
				f.mechanisms = append(f.mechanisms, c.Text())
			}
		}
	}
	return s, f
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
	got := f.mechanisms
	for _, m := range []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"} {
		if !slices.Contains(got, m) {
			t.Errorf("mechanisms after TLS = %q, missing %s", got, m)
		}
	}
	if f.startTLS {
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
	s, f := openStream(t, c, srv.Domain)
	if !f.startTLS {
		t.Fatalf("no starttls feature on %s", srv.Addr)
	}
	// Prosody and ejabberd are configured to require TLS before authentication; jabberd2 is not
	// (its variant JABBERD2_REQUIRE_STARTTLS=1 is off in the rig).
	wantRequired := srv.Name != "jabberd2"
	if f.required != wantRequired {
		t.Errorf("starttls required = %v, want %v", f.required, wantRequired)
	}
	if wantRequired && len(f.mechanisms) > 0 {
		t.Errorf("SASL offered before TLS: %q", f.mechanisms)
	}

	s.send(t, xmlstream.New(nsTLS, "starttls").AppendXML(nil))
	if e := s.element(t); e.Name != (xmlstream.Name{Space: nsTLS, Local: "proceed"}) {
		t.Fatalf("answer to starttls = %v, want proceed", e.Name)
	}
	// Nothing may follow <proceed/> before the client's handshake (RFC 6120 §5.4.3.3).
	if n := s.dec.Buffered(); n != 0 {
		t.Fatalf("%d bytes after <proceed/>", n)
	}
	tc := tls.Client(c, srv.TLSConfig())
	if err := tc.Handshake(); err != nil {
		t.Fatalf("TLS handshake (root %s, server name %s): %v", srv.CAFile, srv.Domain, err)
	}
	_, f = openStream(t, tc, srv.Domain)
	t.Logf("%s STARTTLS: %s, mechanisms %q", srv.Addr, tls.VersionName(tc.ConnectionState().Version), f.mechanisms)
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
	t.Logf("%s direct TLS: %s, mechanisms %q", srv.TLSAddr, tls.VersionName(version), f.mechanisms)
	checkSASL(t, f)
	if srv.TLSMaxVersion != 0 && version > srv.TLSMaxVersion {
		t.Errorf("direct TLS negotiated %s, above the declared cap %s",
			tls.VersionName(version), tls.VersionName(srv.TLSMaxVersion))
	}
	// On a TLS 1.2 session Prosody offers channel binding with tls-unique (servers.md §3.6).
	if srv.Name == "prosody" && version == tls.VersionTLS12 {
		if !slices.Contains(f.mechanisms, "SCRAM-SHA-1-PLUS") {
			t.Errorf("Prosody on TLS 1.2: mechanisms %q lack SCRAM-SHA-1-PLUS", f.mechanisms)
		}
	}
}
