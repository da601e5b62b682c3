package component

import (
	"context"
	"errors"
	"net"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

type dialResult struct {
	s   *xmpp.Session
	err error
}

func dialAsync(t *testing.T, addr, domain, secret string, cfg *Config) chan dialResult {
	ch := make(chan dialResult, 1)
	go func() {
		s, err := Dial(ctxT(t), addr, domain, secret, cfg)
		if s != nil {
			t.Cleanup(func() { s.Close() })
		}
		ch <- dialResult{s, err}
	}()
	return ch
}

// The handshake value is the one jabberd2 accepted in a recorded run
// (jabberd2.md §10): sha1(stream id + secret) in lower-case hex.
func TestXEP0114HandshakeAndStamping(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "legacy.jabberd2.localhost", "compsecret", nil)
	srv.accept()
	h := srv.header()
	if h.Default != NSAccept || h.To != "legacy.jabberd2.localhost" {
		t.Fatalf("header = %+v", h)
	}
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='legacy.jabberd2.localhost' id='j8ejdadvkm04kiek7tgqmeuzykv39zyt7cclmqg7'>`)
	hs := srv.element()
	if hs.Name.Local != "handshake" || hs.Text() != "96f4abcdb5ddc19cc16c734453e8c7bd0bf9d7f5" {
		t.Fatalf("handshake = %v", hs)
	}
	srv.send(`<handshake/>`)
	r := <-res
	if r.err != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	s := r.s
	if s.JID().String() != "legacy.jabberd2.localhost" {
		t.Fatalf("JID = %v", s.JID())
	}
	// Echo: a jabber:client message in (as jabberd2 sends it), a reply out
	// with from stamped and no foreign namespace on the root.
	s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		reply := stanza.NewMessage(stanza.MessageChat, in.Message.From)
		reply.AddBody("", "echo: "+in.Message.Body(""))
		return s.Send(ctx, reply)
	})
	srv.send(`<message xmlns='jabber:client' to='bot@legacy.jabberd2.localhost' id='m1' type='chat' from='alice@jabberd2.localhost/x114'><body>hi</body></message>`)
	out := srv.element()
	if out.Name.Space != NSAccept || out.Get("from") != "legacy.jabberd2.localhost" || out.Get("to") != "alice@jabberd2.localhost/x114" {
		t.Fatalf("reply = %v", out)
	}
	if out.ChildText("", "body") != "echo: hi" {
		t.Fatalf("reply body = %q", out.ChildText("", "body"))
	}
	// Not addressed to us: dropped, never answered. Then an unknown IQ to us
	// gets service-unavailable from our domain.
	srv.send(`<iq type='get' id='x1' to='elsewhere.example' from='alice@jabberd2.localhost/x'><query xmlns='urn:example'/></iq>`)
	srv.send(`<iq type='get' id='x2' to='legacy.jabberd2.localhost' from='alice@jabberd2.localhost/x'><query xmlns='urn:example'/></iq>`)
	e := srv.element()
	if e.Get("id") != "x2" || e.Get("type") != "error" || e.Get("from") != "legacy.jabberd2.localhost" {
		t.Fatalf("got %v, want the error reply to x2 only", e)
	}
	if se, ok := stanza.ErrorFromElement(e.Child("", "error")); !ok || se.Condition != stanza.ServiceUnavailable {
		t.Fatalf("error = %+v", se)
	}
	// A from outside our domain is refused before it reaches the wire.
	m := stanza.NewMessage(stanza.MessageChat, jid.MustParse("alice@jabberd2.localhost"))
	m.From = jid.MustParse("someone@jabberd2.localhost")
	if err := s.Send(ctxT(t), m); !errors.Is(err, ErrForeignFrom) {
		t.Fatalf("foreign from: %v", err)
	}
}

func TestXEP0114WrongSecret(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "comp.localhost", "wrong", nil)
	srv.accept()
	srv.header()
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='comp.localhost' id='abc'>`)
	srv.element()
	srv.send(`<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>hash didn't match, auth failed</text></stream:error></stream:stream>`)
	r := <-res
	if !errors.Is(r.err, stanza.StreamError{Condition: stanza.StreamNotAuthorized}) {
		t.Fatalf("err = %v, want not-authorized", r.err)
	}
	if !xmpp.IsPermanent(r.err) {
		t.Fatal("a wrong secret must not be retried")
	}
}

// routerLogin plays the jabberd2 router up to the bind request.
func routerLogin(t *testing.T, srv *server, user, password string) *xmlstream.Element {
	srv.accept()
	h := srv.header()
	if h.Version != "1.0" || h.Default != "" {
		t.Fatalf("router header = %+v", h)
	}
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0' id='putcld4'><stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>DIGEST-MD5</mechanism></mechanisms></stream:features>`)
	auth := srv.element()
	if auth.Get("mechanism") != "DIGEST-MD5" {
		t.Fatalf("auth = %v", auth)
	}
	srv.send(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>` + b64(`realm="jabberd-router", nonce="pyo8G9SvhT5aJlcvVrqGIA==", qop="auth", charset=utf-8, algorithm=md5-sess`) + `</challenge>`)
	resp := unb64(t, srv.element().Text())
	ok, rsp := digestServer(resp, password)
	if !ok {
		srv.send(`<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text>Error authenticating user</text></failure>`)
		return nil
	}
	if !contains(resp, `username="`+user+`"`) {
		t.Fatalf("response %q does not name %s", resp, user)
	}
	srv.send(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>` + b64("rspauth="+rsp) + `</success>`)
	srv.dec.Reset()
	srv.header()
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0' id='o823'><stream:features xmlns:stream='http://etherx.jabber.org/streams'></stream:features>`)
	return srv.element()
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0) }
func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestJabberd2RouterProtocol(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "comp.jabberd2.localhost", "compsecret", &Config{Protocol: Jabberd2})
	bind := routerLogin(t, srv, "comp.jabberd2.localhost", "compsecret")
	if bind.Name.Space != NSRouter || bind.Name.Local != "bind" || bind.Get("name") != "comp.jabberd2.localhost" {
		t.Fatalf("bind = %v", bind)
	}
	srv.send(`<bind xmlns='` + NSRouter + `'></bind>`)
	r := <-res
	if r.err != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	s := r.s
	got := make(chan *xmpp.Incoming, 1)
	s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		got <- in
		reply := stanza.NewMessage(stanza.MessageChat, in.Message.From)
		reply.From = in.Message.To
		reply.AddBody("", "pong")
		return s.Send(ctx, reply)
	})
	// Domain advertisements and a route: the user sees only the message.
	srv.send(`<presence xmlns='` + NSRouter + `' from='jabberd2.localhost'></presence>` +
		`<route xmlns='` + NSRouter + `' to='comp.jabberd2.localhost' from='sm'><message xmlns='jabber:client' to='echo@comp.jabberd2.localhost' id='m1' type='chat' from='alice@jabberd2.localhost/comptest'><body>ping from alice</body></message></route>`)
	in := <-got
	if in.Message.Body("") != "ping from alice" || in.Message.From.String() != "alice@jabberd2.localhost/comptest" {
		t.Fatalf("handler saw %+v", in.Message)
	}
	out := srv.element()
	if out.Name.Space != NSRouter || out.Name.Local != "route" || out.Get("to") != "jabberd2.localhost" || out.Get("from") != "comp.jabberd2.localhost" {
		t.Fatalf("route = %v", out)
	}
	inner := out.FirstChild()
	if inner == nil || inner.Name.Space != stanza.NSClient || inner.Get("from") != "echo@comp.jabberd2.localhost" || inner.ChildText("", "body") != "pong" {
		t.Fatalf("routed stanza = %v", inner)
	}
}

func TestJabberd2NameTaken(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "comp.jabberd2.localhost", "compsecret", &Config{Protocol: Jabberd2})
	routerLogin(t, srv, "comp.jabberd2.localhost", "compsecret")
	srv.send(`<bind xmlns='` + NSRouter + `' error='409'></bind>`)
	r := <-res
	var be *BindError
	if !errors.Is(r.err, ErrNameTaken) || !errors.As(r.err, &be) || be.Name != "comp.jabberd2.localhost" || !xmpp.IsPermanent(r.err) {
		t.Fatalf("err = %v", r.err)
	}
}

func TestJabberd2WrongSecret(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "comp.jabberd2.localhost", "wrong", &Config{Protocol: Jabberd2})
	if routerLogin(t, srv, "comp.jabberd2.localhost", "compsecret") != nil {
		t.Fatal("the scripted router accepted a wrong secret")
	}
	r := <-res
	if r.err == nil || !xmpp.IsPermanent(r.err) {
		t.Fatalf("err = %v, want a permanent authentication failure", r.err)
	}
}

// Dial adds a disco responder with the identity component/generic and a
// ping responder; the jabberd2 sm probes every new component this way.
func TestDefaultResponders(t *testing.T) {
	srv := newServer(t)
	res := dialAsync(t, srv.addr(), "comp.localhost", "s", nil)
	srv.accept()
	srv.header()
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='comp.localhost' id='abc'>`)
	srv.element()
	srv.send(`<handshake/>`)
	if r := <-res; r.err != nil {
		t.Fatal(r.err)
	}
	srv.send(`<iq type='get' id='d1' to='comp.localhost' from='sm'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`)
	e := srv.element()
	q := e.Child("http://jabber.org/protocol/disco#info", "query")
	if e.Get("type") != "result" || q == nil {
		t.Fatalf("disco#info answer = %v", e)
	}
	id := q.Child("", "identity")
	if id == nil || id.Get("category") != "component" || id.Get("type") != "generic" {
		t.Fatalf("identity = %v", id)
	}
	srv.send(`<iq type='get' id='p1' to='comp.localhost' from='alice@localhost/x'><ping xmlns='urn:xmpp:ping'/></iq>`)
	if e := srv.element(); e.Get("id") != "p1" || e.Get("type") != "result" {
		t.Fatalf("ping answer = %v", e)
	}
}

// TestDialContextCarriesTheStream: with Config.DialContext set, the
// component's connection is the one it returns (here a TCP connection the
// test opens itself to the scripted server, as a proxy would), asked for
// the Connector's address; the handshake goes over it.
func TestDialContextCarriesTheStream(t *testing.T) {
	srv := newServer(t)
	var asked []string
	cfg := &Config{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		asked = append(asked, network+" "+addr)
		var d net.Dialer
		return d.DialContext(ctx, "tcp", srv.addr())
	}}
	res := dialAsync(t, "component.invalid:5347", "legacy.jabberd2.localhost", "compsecret", cfg)
	srv.accept()
	srv.header()
	srv.send(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='legacy.jabberd2.localhost' id='j8ejdadvkm04kiek7tgqmeuzykv39zyt7cclmqg7'>`)
	if hs := srv.element(); hs.Name.Local != "handshake" {
		t.Fatalf("got %v, want the handshake", hs)
	}
	srv.send(`<handshake/>`)
	if r := <-res; r.err != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	if len(asked) != 1 || asked[0] != "tcp component.invalid:5347" {
		t.Fatalf("DialContext calls %q, want one for tcp component.invalid:5347", asked)
	}
}
