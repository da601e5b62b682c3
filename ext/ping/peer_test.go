package ping_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// peer is the server end of an in-memory stream, scripted by the test: it
// reads what the Session writes and writes raw XML back.
type peer struct {
	t    testing.TB
	conn net.Conn
	dec  *xmlstream.Decoder
	els  chan *xmlstream.Element
}

// pipeConnector hands out a new in-memory stream, bound to
// alice@localhost/test, on every Connect; the server ends arrive on peers.
type pipeConnector struct {
	t     testing.TB
	peers chan *peer
}

func newPipeConnector(t testing.TB) *pipeConnector {
	return &pipeConnector{t: t, peers: make(chan *peer, 8)}
}

func (c *pipeConnector) Connect(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
	client, server := net.Pipe()
	p := &peer{t: c.t, conn: server, dec: xmlstream.NewDecoder(nil), els: make(chan *xmlstream.Element, 64)}
	p.dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	go p.read()
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(xmpptest.Header))
	ev, err := dec.Next()
	if err != nil {
		c.t.Fatal(err)
	}
	c.peers <- p
	return &xmpp.Stream{Conn: tr.Conn(client), Decoder: dec, Header: ev.Header,
		JID: jid.MustParse("alice@localhost/test"), Namespace: "jabber:client"}, nil
}

func (p *peer) read() {
	defer close(p.els)
	buf := make([]byte, 4096)
	for {
		n, err := p.conn.Read(buf)
		p.dec.Feed(buf[:n])
		for {
			ev, derr := p.dec.Next()
			if derr != nil || ev.Kind == xmlstream.EventNone {
				break
			}
			if ev.Kind == xmlstream.EventElement {
				p.els <- ev.Element
			}
		}
		if err != nil {
			return
		}
	}
}

// next returns the next element the Session wrote.
func (p *peer) next() *xmlstream.Element {
	p.t.Helper()
	select {
	case e, ok := <-p.els:
		if !ok {
			p.t.Fatal("peer: stream closed while waiting for an element")
		}
		return e
	case <-time.After(10 * time.Second):
		p.t.Fatal("peer: no element within 10s")
		return nil
	}
}

// reply writes xml with {ID} replaced by id.
func (p *peer) reply(id, xml string) {
	p.t.Helper()
	if _, err := p.conn.Write([]byte(strings.ReplaceAll(xml, "{ID}", id))); err != nil {
		p.t.Fatalf("peer write: %v", err)
	}
}

func (c *pipeConnector) nextPeer() *peer {
	c.t.Helper()
	select {
	case p := <-c.peers:
		return p
	case <-time.After(10 * time.Second):
		c.t.Fatal("no connection within 10s")
		return nil
	}
}
