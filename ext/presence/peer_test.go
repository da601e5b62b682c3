package presence

import (
	"context"
	"net"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// peer is the server end of an in-memory stream: the test reads what the
// Session writes and writes raw XML back (the pattern of the root package's
// peer_test.go).
type peer struct {
	t    testing.TB
	conn net.Conn
	els  chan *xmlstream.Element
}

const peerHeader = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>`

// newPeerSession returns a Session bound to own over an in-memory pipe and
// the scripted server on the other end.
func newPeerSession(t *testing.T, own string) (*xmpp.Session, *peer) {
	t.Helper()
	client, server := net.Pipe()
	p := &peer{t: t, conn: server, els: make(chan *xmlstream.Element, 64)}
	go p.read()
	conn := xmpp.ConnectorFunc(func(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader))
		ev, err := dec.Next()
		if err != nil {
			return nil, err
		}
		return &xmpp.Stream{Conn: tr.Conn(client), Decoder: dec, Header: ev.Header,
			JID: jid.MustParse(own), Namespace: "jabber:client"}, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := xmpp.NewSession(ctx, conn, &xmpp.Config{CloseTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); server.Close() })
	return s, p
}

func (p *peer) read() {
	defer close(p.els)
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	buf := make([]byte, 4096)
	for {
		n, err := p.conn.Read(buf)
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
				p.conn.Write([]byte(`</stream:stream>`))
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

// send writes raw XML to the Session.
func (p *peer) send(xml string) {
	p.t.Helper()
	if _, err := p.conn.Write([]byte(xml)); err != nil {
		p.t.Fatalf("peer write: %v", err)
	}
}

// sync makes sure the Session handled everything sent before: it sends a
// ping-like iq nobody handles and waits for the automatic error answer,
// which the dispatcher sends after running the handlers of every earlier
// stanza.
func (p *peer) sync() {
	p.t.Helper()
	p.send(`<iq type='get' id='sync'><sync xmlns='urn:test:sync'/></iq>`)
	for {
		e := p.next()
		if e.Name.Local == "iq" && e.Get("id") == "sync" {
			return
		}
		p.t.Fatalf("peer: unexpected %s while syncing", e)
	}
}
