package xmpp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// tlsPipe returns the two ends of an in-memory TLS connection (a
// self-signed certificate, trusted by the client end).
func tlsPipe(t *testing.T) (client, server *tls.Conn) {
	t.Helper()
	c, s := net.Pipe()
	return tlsPair(t, c, s)
}

// tlsTCP is tlsPipe over a loopback TCP connection: the client end is a
// socket, so the reader's idle wait (idlewait.go) can wait outside
// crypto/tls.
func tlsTCP(t *testing.T) (client, server *tls.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	return tlsPair(t, c, s)
}

// tlsPair runs the TLS handshake over the connection c (client) and s
// (server), with a self-signed certificate the client trusts.
func tlsPair(t *testing.T, c, s net.Conn) (client, server *tls.Conn) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	client = tls.Client(c, &tls.Config{ServerName: "localhost", RootCAs: pool})
	server = tls.Server(s, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// TestReaderOverTLS: the reader's idle path (a small read, then the rest
// of the record into the decoder's pooled buffer) delivers every stanza
// intact however the peer cuts its TLS records: one byte, a stanza split
// across records, several stanzas in one record, whitespace keepalives, a
// stanza larger than the read buffer. Over TCP with idleWaitAfter at zero,
// every wait for the server goes on outside crypto/tls (idlewait.go), which
// must neither lose nor hold back what crypto/tls already read.
func TestReaderOverTLS(t *testing.T) {
	t.Run("pipe", func(t *testing.T) { testReaderOverTLS(t, tlsPipe) })
	t.Run("tcp", func(t *testing.T) { testReaderOverTLS(t, tlsTCP) })
	t.Run("tcp-shallow", func(t *testing.T) {
		setIdleWaitAfter(t, 0)
		testReaderOverTLS(t, tlsTCP)
	})
}

// openSession returns a Session, as self, over c, on which the peer's
// stream header (peerHeader) has already been read.
func openSession(tb testing.TB, c net.Conn, self string, cfg *Config) *Session {
	tb.Helper()
	conn := ConnectorFunc(func(ctx context.Context, tr *Trace) (*Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader))
		ev, err := dec.Next()
		if err != nil {
			return nil, err
		}
		return &Stream{Conn: c, Decoder: dec, Header: ev.Header,
			JID: jid.MustParse(self), Namespace: "jabber:client"}, nil
	})
	s, err := NewSession(context.Background(), conn, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// setIdleWaitAfter sets idleWaitAfter for the test (not parallel ones).
func setIdleWaitAfter(t *testing.T, d time.Duration) {
	old := idleWaitAfter.Swap(int64(d))
	t.Cleanup(func() { idleWaitAfter.Store(old) })
}

func testReaderOverTLS(t *testing.T, pair func(*testing.T) (*tls.Conn, *tls.Conn)) {
	client, server := pair(t)
	go io.Copy(io.Discard, server)
	s := openSession(t, client, "alice@localhost/test", nil)
	defer s.Close()
	defer server.Close() // first: the Session sees the end at once
	got := make(chan string, 64)
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		got <- in.Element.Get("id") + ":" + in.Message.Body("")
		return nil
	})
	msg := func(i int, body string) string {
		return "<message type='chat' id='m" + strconv.Itoa(i) + "'><body>" + body + "</body></message>"
	}
	big := strings.Repeat("0123456789", 1000) // 10 kB: several reads
	var want []string
	var records []string
	for i := range 8 {
		body := "hello " + strconv.Itoa(i)
		if i == 5 {
			body = big
		}
		want = append(want, "m"+strconv.Itoa(i)+":"+body)
		m := msg(i, body)
		switch i % 4 {
		case 0: // one record
			records = append(records, m)
		case 1: // one byte, then the rest
			records = append(records, m[:1], m[1:])
		case 2: // cut in the middle, a keepalive after it
			records = append(records, m[:len(m)/2], m[len(m)/2:], " ")
		case 3: // shares a record with the next stanza's start
			records = append(records, m+"<")
		}
	}
	records[len(records)-1] = strings.TrimSuffix(records[len(records)-1], "<")
	// Fix up the stanzas that followed a trailing '<'.
	for i := 1; i < len(records); i++ {
		if strings.HasSuffix(records[i-1], "</message><") {
			records[i] = records[i][1:]
		}
	}
	for _, r := range records {
		if _, err := server.Write([]byte(r)); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range want {
		select {
		case g := <-got:
			if g != w {
				t.Fatalf("stanza %d: got %.40q, want %.40q", i, g, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("stanza %d: not received", i)
		}
	}
}

// readerStacks returns the stacks of the goroutines running a Session's
// reader.
func readerStacks() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "(*Session).readStream") {
			out = append(out, g)
		}
	}
	return out
}

// TestIdleReaderWaitsOutsideTLS: on TLS over a socket, a new stream's
// first waits, and any wait after one that lasted idleWaitAfter, happen
// outside crypto/tls, where the reader's stack is small enough for the
// runtime to shrink (idlewait.go); a busy stream waits inside it. A stanza
// that comes during a shallow wait is read at once, and Close ends the
// wait.
func TestIdleReaderWaitsOutsideTLS(t *testing.T) {
	// Long enough that a loaded machine's busy waits stay short.
	const idle = 200 * time.Millisecond
	setIdleWaitAfter(t, idle)
	client, server := tlsTCP(t)
	go io.Copy(io.Discard, server)
	// The peer never answers our closing tag: Close gives up after this.
	s := openSession(t, client, "alice@localhost/test", &Config{CloseTimeout: 100 * time.Millisecond})
	defer s.Close()
	got := make(chan string, 1)
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		got <- in.Message.Body("")
		return nil
	})
	waiting := func(where string) func() bool {
		return func() bool {
			for _, g := range readerStacks() {
				if strings.Contains(g, "internal/poll.runtime_pollWait") &&
					(where == "outside" && strings.Contains(g, "waitReadable") && !strings.Contains(g, "crypto/tls") ||
						where == "inside" && strings.Contains(g, "crypto/tls.(*Conn).Read")) {
					return true
				}
			}
			return false
		}
	}
	send := func(body string) {
		t.Helper()
		if _, err := server.Write([]byte("<message type='chat'><body>" + body + "</body></message>")); err != nil {
			t.Fatal(err)
		}
		select {
		case b := <-got:
			if b != body {
				t.Fatalf("got %q, want %q", b, body)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q was not read", body)
		}
	}
	waitFor(t, waiting("outside")) // a new stream
	send("during the first wait")
	for i := range shallowWaits + 4 { // a busy stream: each stanza a wait of its own
		send("busy " + strconv.Itoa(i))
	}
	waitFor(t, waiting("inside"))
	time.Sleep(2 * idle)
	send("after a long wait")
	waitFor(t, waiting("outside"))
	send("during the shallow wait") // a short wait: the next is inside again
	waitFor(t, waiting("inside"))
	time.Sleep(2 * idle)
	send("after another long wait")
	waitFor(t, waiting("outside"))
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("Close did not end the idle wait:\n%s", strings.Join(readerStacks(), "\n\n"))
	}
	waitFor(t, func() bool { return len(readerStacks()) == 0 })
}
