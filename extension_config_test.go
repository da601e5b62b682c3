package xmpp

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestConfigExtensionsSeeTheFirstStanza: extensions given in
// Config.Extensions are in place before the Session reads, so a request
// that arrived with the end of the negotiation (already in the decoder's
// buffer) is answered by them, not with service-unavailable.
func TestConfigExtensionsSeeTheFirstStanza(t *testing.T) {
	client, server := net.Pipe()
	p := &peer{t: t, conn: server, dec: xmlstream.NewDecoder(nil), els: make(chan *xmlstream.Element, 64), end: make(chan struct{})}
	p.dec.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`))
	go p.read()
	conn := ConnectorFunc(func(ctx context.Context, tr *Trace) (*Stream, error) {
		dec := xmlstream.NewDecoder(nil)
		dec.Feed([]byte(peerHeader + `<iq type='get' id='early' from='localhost'><query xmlns='urn:test:early'/></iq>`))
		ev, err := dec.Next()
		if err != nil || ev.Kind != xmlstream.EventStreamStart {
			return nil, errors.New("bad header")
		}
		return &Stream{Conn: client, Decoder: dec, Header: ev.Header, JID: jid.MustParse("alice@localhost/test"), Namespace: "jabber:client"}, nil
	})
	var ready atomic.Bool
	ext := ExtensionFunc(func(r *Registrar) error {
		r.OnEvent(func(e Event) {
			if e.Status == StatusReady {
				ready.Store(true)
			}
		})
		r.HandleIQ(stanza.IQGet, "urn:test:early", func(ctx context.Context, in *Incoming) error {
			return in.Reply(ctx, nil)
		})
		return nil
	})
	s, err := NewSession(ctxT(t), conn, &Config{Extensions: []Extension{ext}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !ready.Load() {
		t.Error("the extension did not see the first stream's StatusReady: it was added after the connect")
	}
	if e := p.next(); e.Get("id") != "early" || e.Get("type") != "result" {
		t.Fatalf("the early request got %v, want a result from the extension", e)
	}
}

// TestConfigExtensionFails: an extension that fails to register fails
// NewSession with its error, before anything is dialed, and the ones added
// before it are removed.
func TestConfigExtensionFails(t *testing.T) {
	dialed := false
	conn := ConnectorFunc(func(ctx context.Context, tr *Trace) (*Stream, error) {
		dialed = true
		return nil, errors.New("not reached")
	})
	removed := false
	first := ExtensionFunc(func(r *Registrar) error { r.OnRemove(func() { removed = true }); return nil })
	boom := errors.New("boom")
	second := ExtensionFunc(func(r *Registrar) error { return boom })
	if _, err := NewSession(ctxT(t), conn, &Config{Extensions: []Extension{first, second}}); !errors.Is(err, boom) {
		t.Fatalf("NewSession = %v, want the extension's error", err)
	}
	if dialed || !removed {
		t.Fatalf("dialed %v, first extension removed %v; want false, true", dialed, removed)
	}
}
