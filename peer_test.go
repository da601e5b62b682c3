package xmpp

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// peer is the server end of an in-memory stream: tests script it by reading
// the elements the Session writes and writing raw XML back.
type peer struct {
	t    testing.TB
	conn net.Conn
	dec  *xmlstream.Decoder
	els  chan *xmlstream.Element
	end  chan struct{} // closed when the Session's side closed the stream
	buf  []byte
}

const peerHeader = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>`

// pipeConnector hands out in-memory streams; each Connect creates a new
// peer, delivered on peers. fail, when set, makes the next Connect fail.
type pipeConnector struct {
	mu    sync.Mutex
	peers chan *peer
	t     testing.TB
	fail  []error
	calls int
	// features, when set, is the post-bind <stream:features/> the stream
	// reports; resume decides a stream management resumption request.
	features string
	resume   func(req *SMRequest) *SMResult
	requests []*SMRequest
	// hold, when set, makes Connect wait for a value (the test decides
	// when the server is back).
	hold chan struct{}
	// raw, when set, leaves the peer's side unread: the test reads
	// p.conn itself.
	raw bool
}

func newPipeConnector(t testing.TB) *pipeConnector {
	return &pipeConnector{peers: make(chan *peer, 8), t: t}
}

func (c *pipeConnector) Connect(ctx context.Context, tr *Trace) (*Stream, error) {
	c.mu.Lock()
	hold := c.hold
	c.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.mu.Lock()
	c.calls++
	if len(c.fail) > 0 {
		err := c.fail[0]
		c.fail = c.fail[1:]
		c.mu.Unlock()
		return nil, err
	}
	features, resume, raw := c.features, c.resume, c.raw
	req := tr.StreamManagement()
	if req != nil {
		c.requests = append(c.requests, req)
	}
	c.mu.Unlock()
	client, server := net.Pipe()
	p := &peer{t: c.t, conn: server, dec: xmlstream.NewDecoder(nil), els: make(chan *xmlstream.Element, 64), end: make(chan struct{})}
	// The client's stream header is implied: the peer's decoder starts in
	// a stream, like a server after negotiation.
	p.dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	if !raw {
		go p.read()
	}
	dec := xmlstream.NewDecoder(nil)
	dec.Feed([]byte(peerHeader))
	ev, err := dec.Next()
	if err != nil || ev.Kind != xmlstream.EventStreamStart {
		c.t.Fatalf("peer header: %v %v", ev.Kind, err)
	}
	st := &Stream{
		Conn:      tr.Conn(client),
		Decoder:   dec,
		Header:    ev.Header,
		JID:       jid.MustParse("alice@localhost/test"),
		Namespace: "jabber:client",
	}
	if features != "" {
		f, err := xmlstream.Parse([]byte(features), "", nil)
		if err != nil {
			c.t.Fatalf("features: %v", err)
		}
		st.Features = f
	}
	if req != nil && resume != nil {
		st.SM = resume(req)
	}
	c.peers <- p
	return st, nil
}

func (p *peer) read() {
	defer close(p.els)
	buf := make([]byte, 4096)
	for {
		n, err := p.conn.Read(buf)
		p.dec.Feed(buf[:n])
		for {
			ev, derr := p.dec.Next()
			if derr != nil {
				return
			}
			if ev.Kind == xmlstream.EventNone {
				break
			}
			switch ev.Kind {
			case xmlstream.EventElement:
				p.els <- ev.Element
			case xmlstream.EventStreamEnd:
				// Like a server: answer the closing tag with ours.
				close(p.end)
				p.conn.Write([]byte(`</stream:stream>`))
			}
		}
		if err != nil {
			return
		}
	}
}

// next returns the next element the Session wrote, failing after a while.
func (p *peer) next() *xmlstream.Element {
	p.t.Helper()
	select {
	case e, ok := <-p.els:
		if !ok {
			p.t.Fatalf("peer: stream closed while waiting for an element")
		}
		return e
	case <-time.After(10 * time.Second):
		p.t.Fatalf("peer: no element within 10s")
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

// sendf is send with {ID} replaced by id.
func (p *peer) reply(id, xml string) {
	p.t.Helper()
	p.send(strings.ReplaceAll(xml, "{ID}", id))
}

func (c *pipeConnector) nextPeer(t testing.TB) *peer {
	t.Helper()
	select {
	case p := <-c.peers:
		return p
	case <-time.After(10 * time.Second):
		t.Fatalf("no connection within 10s")
		return nil
	}
}
