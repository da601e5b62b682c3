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
	c, s := net.Pipe()
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
	return client, server
}

// TestReaderOverTLS: the reader's idle path (a one-byte read, then the rest
// of the record into the decoder's pooled buffer) delivers every stanza
// intact however the peer cuts its TLS records: one byte, a stanza split
// across records, several stanzas in one record, whitespace keepalives, a
// stanza larger than the read buffer.
func TestReaderOverTLS(t *testing.T) {
	client, server := tlsPipe(t)
	go io.Copy(io.Discard, server)
	conn := ConnectorFunc(func(ctx context.Context, tr *Trace) (*Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader))
		ev, err := dec.Next()
		if err != nil {
			return nil, err
		}
		return &Stream{Conn: client, Decoder: dec, Header: ev.Header,
			JID: jid.MustParse("alice@localhost/test"), Namespace: "jabber:client"}, nil
	})
	s, err := NewSession(context.Background(), conn, nil)
	if err != nil {
		t.Fatal(err)
	}
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
