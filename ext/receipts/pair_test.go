package receipts_test

import (
	"context"
	"net"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// pairHeader opens the stream each side's decoder starts in, as if
// negotiation had happened.
const pairHeader = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='p1' version='1.0'>`

// pairConnector hands out one end of an in-memory pipe as a negotiated
// stream bound to self; every stanza it sends gets from=self stamped, as a
// server would.
func pairConnector(t testing.TB, conn net.Conn, self jid.JID) xmpp.Connector {
	return xmpp.ConnectorFunc(func(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(pairHeader))
		ev, err := dec.Next()
		if err != nil || ev.Kind != xmlstream.EventStreamStart {
			t.Fatalf("pair header: %v %v", ev.Kind, err)
		}
		return &xmpp.Stream{
			Conn:      tr.Conn(conn),
			Decoder:   dec,
			Header:    ev.Header,
			JID:       self,
			Namespace: "jabber:client",
			Outbound: func(e *xmlstream.Element) (*xmlstream.Element, error) {
				if e.Get("from") != "" {
					return e, nil
				}
				c := *e
				c.Attr = append(append([]xmlstream.Attr(nil), e.Attr...), xmlstream.Attr{Name: xmlstream.Name{Local: "from"}, Value: self.String()})
				return &c, nil
			},
		}, nil
	})
}

// newPair returns two Sessions, alice@localhost/a and bob@localhost/b,
// whose streams are linked: what one sends, the other receives.
func newPair(t testing.TB) (a, b *xmpp.Session) {
	t.Helper()
	ca, cb := net.Pipe()
	ja, jb := jid.MustParse("alice@localhost/a"), jid.MustParse("bob@localhost/b")
	ctx := context.Background()
	var err error
	if a, err = xmpp.NewSession(ctx, pairConnector(t, ca, ja), nil); err != nil {
		t.Fatal(err)
	}
	if b, err = xmpp.NewSession(ctx, pairConnector(t, cb, jb), nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.Close()
		b.Close()
	})
	return a, b
}
