package integration

import (
	"context"
	"errors"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/component"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// componentCase is one way to connect a component to one server.
type componentCase struct {
	server   string
	protocol component.Protocol
}

// componentCases: XEP-0114 everywhere, and jabberd2's router protocol.
var componentCases = []componentCase{
	{"prosody", component.XEP0114},
	{"ejabberd", component.XEP0114},
	{"jabberd2", component.Jabberd2},
	{"jabberd2", component.XEP0114},
}

// componentConfig returns the component configuration for srv.
func componentConfig(srv *testenv.ServerInfo, p component.Protocol, scfg *xmpp.Config) *component.Config {
	cfg := &component.Config{Protocol: p, Session: scfg}
	if p == component.Jabberd2 {
		cfg.User = srv.RouterUser
	}
	return cfg
}

// dialComponent connects srv's component with p; the Session is closed when
// the test ends.
func dialComponent(t testing.TB, srv *testenv.ServerInfo, p component.Protocol, scfg *xmpp.Config) *xmpp.Session {
	t.Helper()
	s, err := component.Dial(testCtx(t), srv.ComponentAddr, srv.ComponentDomain, srv.ComponentSecret, componentConfig(srv, p, scfg))
	if err != nil {
		t.Fatalf("%s: component %s (%v): %v", srv.Name, srv.ComponentDomain, p, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// echoService makes the component answer every message with "echo: " and
// the body, from the address the message was sent to, and nsEcho IQ gets
// (see answerEcho).
func echoService(comp *xmpp.Session) {
	comp.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Message.Type == stanza.MessageError {
			return xmpp.Handled
		}
		r := stanza.NewMessage(in.Message.Type, in.Message.From)
		r.From = in.Message.To
		r.AddBody("", "echo: "+in.Message.Body(""))
		return in.Session.Send(ctx, r)
	})
	answerEcho(&account{s: comp})
}

// TestComponent connects a component to each server (XEP-0114; on jabberd2
// the router protocol too) and checks, from a client of that server: a
// message to user@component is answered by the component; IQ round trips in
// both directions; an unknown IQ gets service-unavailable (RFC 6120 §8.4);
// a from outside its domain is refused before the wire; a wrong secret is a
// permanent, typed error.
func TestComponent(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"prosody", "ejabberd", "jabberd2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			if srv.ComponentAddr == "" {
				t.Fatal("the rig describes no component port")
			}
			srv.LockComponent(t)
			for _, c := range componentCases {
				if c.server != name {
					continue
				}
				t.Run(c.protocol.String(), func(t *testing.T) {
					testComponent(t, srv, c.protocol)
				})
			}
			if name == "jabberd2" {
				t.Run("name-taken", func(t *testing.T) { testNameTaken(t, srv) })
			}
		})
	}
}

func testComponent(t *testing.T, srv *testenv.ServerInfo, p component.Protocol) {
	ctx := testCtx(t)
	ev := newEvents()
	comp := dialComponent(t, srv, p, &xmpp.Config{OnEvent: ev.hook(nil)})
	domain := jid.MustParse(srv.ComponentDomain)
	if !comp.JID().Equal(domain) {
		t.Errorf("component JID %v, want %v", comp.JID(), domain)
	}
	if _, err := ev.wait(ctx, xmpp.StatusReady, 1); err != nil {
		t.Fatal(err)
	}
	echoService(comp)
	user := login(t, srv, nil)
	answerEcho(user)
	userIn := make(inbox, 16)
	user.s.HandleMessage("", userIn.handler())
	tok := token(t)

	t.Run("message", func(t *testing.T) {
		to := jid.MustParse("echo@" + srv.ComponentDomain)
		m := stanza.NewMessage(stanza.MessageChat, to)
		m.AddBody("", tok)
		if err := user.s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		e := userIn.next(t, "the component's reply", withBody("echo: "+tok))
		if e.Get("from") != to.String() || e.Get("type") != "chat" {
			t.Errorf("reply %v: want a chat from %v", e, to)
		}
	})

	t.Run("iq-client-to-component", func(t *testing.T) {
		reply, err := user.s.SendIQ(ctx, echoIQ(domain, "c2comp"))
		if err != nil {
			t.Fatal(err)
		}
		checkEcho(t, reply, domain, "c2comp")
	})

	t.Run("iq-component-to-client", func(t *testing.T) {
		userJID := user.s.JID()
		reply, err := comp.SendIQ(ctx, echoIQ(userJID, "comp2c"))
		if err != nil {
			t.Fatal(err)
		}
		checkEcho(t, reply, userJID, "comp2c")
		// From another address of the component's domain (XEP-0114 §3:
		// the component speaks for every JID at its domain).
		iq := echoIQ(userJID, "comp2c-user")
		iq.From = jid.MustParse("bot@" + srv.ComponentDomain + "/r")
		reply, err = comp.SendIQ(ctx, iq)
		if err != nil {
			t.Fatal(err)
		}
		checkEcho(t, reply, userJID, "comp2c-user")
	})

	t.Run("unknown-iq", func(t *testing.T) {
		_, err := user.s.SendIQ(ctx, newIQ(stanza.IQGet, domain, nsUnknown, "query"))
		if !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
			t.Errorf("unknown IQ to the component: %v, want service-unavailable", err)
		}
	})

	t.Run("foreign-from", func(t *testing.T) {
		m := stanza.NewMessage(stanza.MessageChat, user.s.JID())
		m.From = jid.MustParse("someone@" + srv.Domain)
		m.AddBody("", "spoof")
		if err := comp.Send(ctx, m); !errors.Is(err, component.ErrForeignFrom) {
			t.Errorf("sending from %v: %v, want ErrForeignFrom", m.From, err)
		}
	})

	t.Run("wrong-secret", func(t *testing.T) {
		cfg := componentConfig(srv, p, nil)
		s, err := component.Dial(ctx, srv.ComponentAddr, srv.ComponentDomain, "not"+srv.ComponentSecret, cfg)
		if err == nil {
			s.Close()
			t.Fatal("a wrong secret was accepted")
		}
		if !xmpp.IsPermanent(err) {
			t.Errorf("wrong secret: %v is not permanent", err)
		}
		if p == component.XEP0114 && !errors.Is(err, stanza.StreamError{Condition: stanza.StreamNotAuthorized}) {
			t.Errorf("wrong secret: %v, want a not-authorized stream error (XEP-0114 §3)", err)
		}
		if p == component.Jabberd2 && errors.Is(err, stanza.StreamError{}) {
			t.Errorf("wrong secret: %v, want a SASL failure", err)
		}
		// The refusal did not disturb the connected component.
		reply, err := user.s.SendIQ(ctx, echoIQ(domain, "still"))
		if err != nil {
			t.Fatalf("component after the refused login: %v", err)
		}
		checkEcho(t, reply, domain, "still")
	})
}

// testNameTaken: a second router connection binding a name that is already
// bound gets a 409 (component.ErrNameTaken, permanent); a name the router
// user may not bind (anything but its own name) gets a 403
// (component.ErrBindForbidden).
func testNameTaken(t *testing.T, srv *testenv.ServerInfo) {
	ctx := testCtx(t)
	dialComponent(t, srv, component.Jabberd2, nil)
	_, err := component.Dial(ctx, srv.ComponentAddr, srv.ComponentDomain, srv.ComponentSecret, componentConfig(srv, component.Jabberd2, nil))
	if !errors.Is(err, component.ErrNameTaken) || !xmpp.IsPermanent(err) {
		t.Errorf("second bind of %s: %v, want ErrNameTaken, permanent", srv.ComponentDomain, err)
	}
	var be *component.BindError
	if errors.As(err, &be) && (be.Code != "409" || be.Name != srv.ComponentDomain) {
		t.Errorf("BindError %+v, want code 409 for %s", be, srv.ComponentDomain)
	}

	cfg := componentConfig(srv, component.Jabberd2, nil)
	other := "other." + srv.Domain
	cfg.Names = []string{other}
	_, err = component.Dial(ctx, srv.ComponentAddr, "forbidden."+srv.Domain, srv.ComponentSecret, cfg)
	if !errors.Is(err, component.ErrBindForbidden) || !xmpp.IsPermanent(err) {
		t.Errorf("bind of names the router user may not bind: %v, want ErrBindForbidden, permanent", err)
	}
}
