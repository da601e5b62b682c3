package component

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"net"
	"strings"
	"testing"
	"time"

	"parley.dev/xmpp/xmlstream"
)

// server is a scripted component-port peer on a loopback listener.
type server struct {
	t    *testing.T
	ln   net.Listener
	conn net.Conn
	dec  *xmlstream.Decoder
	buf  []byte
}

func newServer(t *testing.T) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return &server{t: t, ln: ln, buf: make([]byte, 4096)}
}

func (s *server) addr() string { return s.ln.Addr().String() }

// accept takes the component's connection (run it in the test goroutine
// while Dial runs in another).
func (s *server) accept() {
	s.t.Helper()
	c, err := s.ln.Accept()
	if err != nil {
		s.t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	s.conn = c
	s.dec = xmlstream.NewDecoder(nil)
	s.t.Cleanup(func() { c.Close() })
}

func (s *server) send(xml string) {
	s.t.Helper()
	if _, err := s.conn.Write([]byte(xml)); err != nil {
		s.t.Fatalf("server write: %v", err)
	}
}

// event returns the next event from the component.
func (s *server) event() xmlstream.Event {
	s.t.Helper()
	for {
		ev, err := s.dec.Next()
		if err != nil {
			s.t.Fatalf("server decode: %v", err)
		}
		if ev.Kind != xmlstream.EventNone && ev.Kind != xmlstream.EventWhitespace {
			return ev
		}
		n, err := s.conn.Read(s.buf)
		if err != nil {
			s.t.Fatalf("server read: %v", err)
		}
		s.dec.Feed(s.buf[:n])
	}
}

func (s *server) header() *xmlstream.Header {
	s.t.Helper()
	ev := s.event()
	if ev.Kind != xmlstream.EventStreamStart {
		s.t.Fatalf("want a stream header, got %v", ev.Kind)
	}
	return ev.Header
}

func (s *server) element() *xmlstream.Element {
	s.t.Helper()
	ev := s.event()
	if ev.Kind != xmlstream.EventElement {
		s.t.Fatalf("want an element, got %v", ev.Kind)
	}
	return ev.Element
}

// digestServer answers a DIGEST-MD5 response the way the jabberd2 router
// does: it recomputes the digest from the client's values (RFC 2831 §2.1.2)
// and returns whether it matched and the rspauth value.
func digestServer(resp, password string) (bool, string) {
	kv := map[string]string{}
	for _, part := range splitDirectives(resp) {
		k, v, _ := strings.Cut(part, "=")
		kv[k] = strings.Trim(v, `"`)
	}
	h := func(s string) []byte { b := md5.Sum([]byte(s)); return b[:] }
	hx := func(b []byte) string { return hex.EncodeToString(b) }
	a1 := string(h(kv["username"]+":"+kv["realm"]+":"+password)) + ":" + kv["nonce"] + ":" + kv["cnonce"]
	mid := kv["nonce"] + ":" + kv["nc"] + ":" + kv["cnonce"] + ":" + kv["qop"] + ":"
	want := hx(h(hx(h(a1)) + ":" + mid + hx(h("AUTHENTICATE:"+kv["digest-uri"]))))
	rsp := hx(h(hx(h(a1)) + ":" + mid + hx(h(":"+kv["digest-uri"]))))
	return want == kv["response"], rsp
}

func splitDirectives(s string) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(t *testing.T, s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
