package xmpptest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Peer is the server end of an in-memory stream: a test reads what the
// Session writes (Next) and writes raw XML back (Send). Like a server, it
// answers the Session's closing stream tag with its own.
type Peer struct {
	t    testing.TB
	Conn net.Conn
	els  chan *xmlstream.Element
}

func newPeer(t testing.TB, conn net.Conn) *Peer {
	p := &Peer{t: t, Conn: conn, els: make(chan *xmlstream.Element, 64)}
	go p.read()
	return p
}

func (p *Peer) read() {
	defer close(p.els)
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	buf := make([]byte, 4096)
	for {
		n, err := p.Conn.Read(buf)
		dec.Feed(buf[:n])
		for {
			ev, derr := dec.Next()
			if derr != nil || ev.Kind == xmlstream.EventNone {
				break
			}
			switch ev.Kind {
			case xmlstream.EventElement:
				p.els <- ev.Element
			case xmlstream.EventStreamEnd:
				p.Conn.Write([]byte(`</stream:stream>`))
			}
		}
		if err != nil {
			return
		}
	}
}

// Next returns the next element the Session wrote, failing the test after
// 10 s or when the stream closed.
func (p *Peer) Next() *xmlstream.Element {
	p.t.Helper()
	select {
	case e, ok := <-p.els:
		if !ok {
			p.t.Fatal("xmpptest: stream closed while waiting for an element")
		}
		return e
	case <-time.After(10 * time.Second):
		p.t.Fatal("xmpptest: no element within 10s")
		return nil
	}
}

// Send writes raw XML to the Session.
func (p *Peer) Send(xml string) {
	p.t.Helper()
	if _, err := p.Conn.Write([]byte(xml)); err != nil {
		p.t.Fatalf("xmpptest: peer write: %v", err)
	}
}

// Reply is Send with every {ID} in xml replaced by id.
func (p *Peer) Reply(id, xml string) {
	p.t.Helper()
	p.Send(strings.ReplaceAll(xml, "{ID}", id))
}

// Sync makes sure the Session handled everything sent before: it sends an
// iq nobody handles and waits for the automatic error answer, which the
// dispatcher sends after the handlers of every earlier stanza ran.
func (p *Peer) Sync() {
	p.t.Helper()
	p.Send(`<iq type='get' id='sync'><sync xmlns='urn:test:sync'/></iq>`)
	if e := p.Next(); e.Name.Local != "iq" || e.Get("id") != "sync" {
		p.t.Fatalf("xmpptest: unexpected %s while syncing", e)
	}
}

// Connector hands out a new in-memory stream bound to Self for every
// Connect (so it serves reconnections too) and delivers each server end on
// Peers.
type Connector struct {
	t        testing.TB
	Self     jid.JID
	Features *xmlstream.Element // post-bind features, nil for none
	Peers    chan *Peer
}

// NewConnector returns a Connector for self; features is the content of
// the post-bind <stream:features/>, "" for none.
func NewConnector(t testing.TB, self string, features string) *Connector {
	c := &Connector{t: t, Self: jid.MustParse(self), Peers: make(chan *Peer, 8)}
	if features != "" {
		f, err := xmlstream.Parse([]byte(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'>`+features+`</stream:features>`), "jabber:client", nil)
		if err != nil {
			t.Fatalf("xmpptest: features: %v", err)
		}
		c.Features = f
	}
	return c
}

// Connect implements xmpp.Connector.
func (c *Connector) Connect(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
	client, server := net.Pipe()
	c.t.Cleanup(func() { server.Close() })
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(Header))
	ev, err := dec.Next()
	if err != nil {
		return nil, err
	}
	c.Peers <- newPeer(c.t, server)
	return &xmpp.Stream{Conn: tr.Conn(client), Decoder: dec, Header: ev.Header, Features: c.Features,
		JID: c.Self, Namespace: "jabber:client"}, nil
}

// NextPeer returns the server end of the next connection.
func (c *Connector) NextPeer() *Peer {
	c.t.Helper()
	select {
	case p := <-c.Peers:
		return p
	case <-time.After(10 * time.Second):
		c.t.Fatal("xmpptest: no connection within 10s")
		return nil
	}
}

// PeerSession returns a Session bound to self over an in-memory stream and
// the scripted server end of it. features is the post-bind features
// content ("" for none); cfg may be nil (a 1 s CloseTimeout is used then).
// The Session is closed when the test ends.
func PeerSession(t testing.TB, self, features string, cfg *xmpp.Config) (*xmpp.Session, *Peer, *Connector) {
	t.Helper()
	c := NewConnector(t, self, features)
	if cfg == nil {
		cfg = &xmpp.Config{CloseTimeout: time.Second}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c.NextPeer(), c
}
