// Package xmpptest holds in-memory Session fixtures for Parley's own tests,
// in the spirit of net/http/httptest: Sessions whose streams are linked over
// net.Pipe, so extensions can be tested end to end without a server. It is
// internal: not part of the library's API.
package xmpptest

import (
	"context"
	"net"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Header opens the stream each side's decoder starts in, as if negotiation
// had happened.
const Header = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='p1' version='1.0'>`

// pairConnector hands out conn as a negotiated stream bound to self; every
// stanza sent without from gets from=self stamped, as a server would.
func pairConnector(t testing.TB, conn net.Conn, self jid.JID) xmpp.Connector {
	return xmpp.ConnectorFunc(func(ctx context.Context, tr *xmpp.Trace) (*xmpp.Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(Header))
		ev, err := dec.Next()
		if err != nil || ev.Kind != xmlstream.EventStreamStart {
			t.Fatalf("xmpptest: header: %v %v", ev.Kind, err)
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

// Pair returns two Sessions, alice@localhost/a and bob@localhost/b, whose
// streams are linked: what one sends, the other receives. Both are closed
// when the test ends.
func Pair(t testing.TB) (a, b *xmpp.Session) {
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
