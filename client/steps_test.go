package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// silentAt are scripts that go silent at every negotiation step.
var silentAt = []struct {
	name   string
	step   string
	script func(p *peer)
}{
	{"after connect", StepStream, func(p *peer) { p.hold() }},
	{"after header", StepStream, func(p *peer) {
		p.expect("<stream:stream")
		p.expect(">")
		p.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>")
		p.hold()
	}},
	{"after starttls", StepStartTLS, func(p *peer) { p.open(featStartTLS); p.expect("<starttls"); p.hold() }},
	{"during TLS handshake", StepTLS, func(p *peer) {
		p.open(featStartTLS)
		p.expect("<starttls")
		p.expect(">")
		p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
		p.hold()
	}},
	{"after TLS", StepStream, func(p *peer) { p.open(featStartTLS); p.startTLS(); p.hold() }},
	{"after auth", StepSASL, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.element("auth")
		p.hold()
	}},
	{"after SASL success", StepStream, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.hold()
	}},
	{"after bind", StepBind, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind)
		p.element("iq")
		p.hold()
	}},
	{"after session", StepSession, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>")
		p.bind("juliet@" + testDomain + "/x")
		p.element("iq")
		p.hold()
	}},
	{"after iq:auth get", StepLegacy, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featIQAuth)
		p.element("iq")
		p.hold()
	}},
}

// TestSilentPeerStepTimeout: a server silent at any step makes Connect fail
// with ErrStepTimeout for that step instead of hanging.
func TestSilentPeerStepTimeout(t *testing.T) {
	for _, tt := range silentAt {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, wait := runPeer(t, tt.script)
			cfg := testConfig(t, addr)
			// Long enough for the steps before the silent one (TLS under
			// -race included), short enough to keep the test quick.
			cfg.StepTimeout = time.Second
			_, err := connect(t, testJID, cfg)
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != tt.step || !errors.Is(err, ErrStepTimeout) {
				t.Fatalf("err %v, want ErrStepTimeout at %s", err, tt.step)
			}
			if xmpp.IsPermanent(err) {
				t.Errorf("a timeout is not permanent")
			}
		})
	}
}

// TestSilentPeerContext: the same with an hour of step timeout and the
// caller cancelling ctx once the peer has gone silent: Connect returns the
// ctx error instead of hanging.
func TestSilentPeerContext(t *testing.T) {
	for _, tt := range silentAt {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			silent := make(chan struct{})
			addr, wait := runPeerSignal(t, tt.script, silent)
			cfg := testConfig(t, addr)
			cfg.StepTimeout = time.Hour
			c, _ := NewConnector(testJID, cfg)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { <-silent; cancel() }()
			_, err := c.Connect(ctx, nil)
			wait()
			// The client may still be finishing the step before the silent
			// one when the cancel lands, so only the cause is checked here;
			// TestSilentPeerStepTimeout checks the step.
			var ce *ConnectError
			if !errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want Canceled", err)
			}
		})
	}
}

func TestBindConflictRetry(t *testing.T) {
	var second string
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN"))
		p.plainAuth()
		p.open(featBind)
		raw := p.element("iq")
		p.send("<iq type='error' id='" + attr(raw, "id") + "'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")
		second = p.bind("juliet@" + testDomain + "/server-made")
		p.hold()
	})
	cfg := testConfig(t, addr)
	cfg.Resource = "balcony"
	s, err := connect(t, testJID, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if strings.Contains(second, "<resource") {
		t.Errorf("retry still requests a resource: %s", second)
	}
	if s.JID.Resourcepart() != "server-made" {
		t.Errorf("JID %v", s.JID)
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		name      string
		answer    string // %s = id
		resource  string
		want      error
		permanent bool
	}{
		{"conflict twice", "<iq type='error' id='%s'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", "balcony", stanza.Error{Condition: stanza.Conflict}, true},
		{"not allowed", "<iq type='error' id='%s'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", "", stanza.Error{Condition: stanza.NotAllowed}, true},
		{"resource constraint", "<iq type='error' id='%s'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", "", stanza.Error{Condition: stanza.ResourceConstraint}, false},
		{"foreign JID", "<iq type='result' id='%s'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>romeo@example.test/x</jid></bind></iq>", "", ErrProtocol, false},
		{"bare JID", "<iq type='result' id='%s'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>juliet@example.test</jid></bind></iq>", "", ErrProtocol, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, wait := runPeer(t, func(p *peer) {
				p.open(featStartTLS)
				p.startTLS()
				p.open(featMechs("PLAIN"))
				p.plainAuth()
				p.open(featBind)
				for range 2 {
					raw := p.element("iq")
					p.send(strings.ReplaceAll(tt.answer, "%s", attr(raw, "id")))
					if tt.resource == "" {
						break
					}
				}
				p.hold()
			})
			cfg := testConfig(t, addr)
			cfg.Resource = tt.resource
			_, err := connect(t, testJID, cfg)
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepBind || !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v at bind", err, tt.want)
			}
			if xmpp.IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent = %v", !tt.permanent)
			}
		})
	}
}

func TestSessionEstablishment(t *testing.T) {
	tests := []struct {
		feature string
		want    bool
	}{
		{"<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>", true},
		{"<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>", false},
		{"", false},
	}
	for i, tt := range tests {
		var sent bool
		addr, wait := runPeer(t, func(p *peer) {
			p.open(featStartTLS)
			p.startTLS()
			p.open(featMechs("PLAIN"))
			p.plainAuth()
			p.open(featBind + tt.feature)
			p.bind("juliet@" + testDomain + "/x")
			if tt.want {
				raw := p.element("iq")
				sent = strings.Contains(raw, "xmpp-session")
				p.send("<iq type='result' id='" + attr(raw, "id") + "'/>")
			}
			p.hold()
		})
		s, err := connect(t, testJID, testConfig(t, addr))
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		s.Conn.Close()
		wait()
		if sent != tt.want {
			t.Errorf("%d: session sent = %v", i, sent)
		}
	}
}

// The jabberd2 transcript of jabberd2.md §8: an old-style stream (no
// version), the fields get, then the digest with the stream id.
func TestLegacyDigestJabberd2(t *testing.T) {
	var get, set, header string
	addr, wait := runPeer(t, func(p *peer) {
		p.expect("<stream:stream")
		header = p.expect(">")
		p.send("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' from='jabberd2.localhost' id='od2vs6kjmgf97kt1lxtsoto6g4cek389gb49hot4' xmlns:ack='http://www.xmpp.org/extensions/xep-0198.html#ns'>")
		get = p.element("iq")
		p.send("<iq xmlns='jabber:client' id='" + attr(get, "id") + "' type='result'><query xmlns='jabber:iq:auth'><username>alice</username><resource/><password/><digest></digest></query></iq>")
		set = p.element("iq")
		p.send("<iq xmlns='jabber:client' id='" + attr(set, "id") + "' type='result'></iq>")
		p.hold()
	})
	cfg := &Config{Password: "alicepass", Server: addr, Legacy: LegacyOnly, AllowPlaintext: true, Resource: "legacy"}
	s, err := connect(t, jid.MustParse("alice@jabberd2.localhost"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if strings.Contains(header, "version") {
		t.Errorf("LegacyOnly header has a version: %s", header)
	}
	if !strings.Contains(get, "<username>alice</username>") || attr(get, "type") != "get" {
		t.Errorf("get %s", get)
	}
	for _, want := range []string{"<digest>2deb89f0008913de7f4a8a30dcd79b5cfc3274ed</digest>", "<resource>legacy</resource>", "<username>alice</username>"} {
		if !strings.Contains(set, want) {
			t.Errorf("set %s lacks %s", set, want)
		}
	}
	if strings.Contains(set, "alicepass") {
		t.Errorf("password sent in the clear: %s", set)
	}
	if s.JID.String() != "alice@jabberd2.localhost/legacy" || s.Mechanism != MechLegacyDigest || s.Features != nil {
		t.Errorf("stream JID %v mech %q features %v", s.JID, s.Mechanism, s.Features)
	}
}

func TestLegacyPlainAndErrors(t *testing.T) {
	fieldsPlain := "<query xmlns='jabber:iq:auth'><username/><password/><resource/></query>"
	tests := []struct {
		name       string
		allowPlain bool
		fields     string
		answer     string // to the set; "" = no set expected
		want       error
		permanent  bool
		sent       string
	}{
		{"plain refused without TLS", false, fieldsPlain, "", ErrLegacyPlaintext, false, ""},
		{"plain allowed", true, fieldsPlain, "<iq type='result' id='%s'/>", nil, false, "<password>bobpass</password>"},
		{"jabberd2 401", true, fieldsPlain, "<iq type='error' id='%s'><error code='401'/></iq>", stanza.Error{Condition: stanza.NotAuthorized}, true, ""},
		{"no method", true, "<query xmlns='jabber:iq:auth'><username/><resource/></query>", "", ErrNoAuthMethod, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set string
			addr, wait := runPeer(t, func(p *peer) {
				p.open("")
				get := p.element("iq")
				p.send("<iq type='result' id='" + attr(get, "id") + "'>" + tt.fields + "</iq>")
				if tt.answer != "" {
					set = p.element("iq")
					p.send(strings.ReplaceAll(tt.answer, "%s", attr(set, "id")))
				}
				p.hold()
			})
			cfg := &Config{Password: "bobpass", Server: addr, Legacy: LegacyOnly, AllowPlaintext: true, AllowLegacyPlaintext: tt.allowPlain}
			s, err := connect(t, jid.MustParse("bob@jabberd2.localhost"), cfg)
			if s != nil {
				s.Conn.Close()
			}
			wait()
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if s.Mechanism != MechLegacyPlain || !strings.Contains(set, tt.sent) {
					t.Errorf("mech %s set %s", s.Mechanism, set)
				}
				return
			}
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepLegacy || !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			if xmpp.IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent = %v", !tt.permanent)
			}
		})
	}
}

func TestLegacyAutoWithoutSASL(t *testing.T) {
	// An XMPP 1.0 server offering iq-auth but no SASL after STARTTLS: the
	// digest is used (LegacyAuto).
	var set string
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featIQAuth)
		get := p.element("iq")
		p.send("<iq type='result' id='" + attr(get, "id") + "'><query xmlns='jabber:iq:auth'><username/><digest/><password/><resource/></query></iq>")
		set = p.element("iq")
		p.send("<iq type='result' id='" + attr(set, "id") + "'/>")
		p.hold()
	})
	s, err := connect(t, testJID, testConfig(t, addr))
	if err != nil {
		t.Fatal(err)
	}
	s.Conn.Close()
	wait()
	if s.Mechanism != MechLegacyDigest || !strings.Contains(set, "<digest>"+legacyDigest("stream-2", "secret")+"</digest>") {
		t.Errorf("mech %s set %s", s.Mechanism, set)
	}
	if s.JID.Bare() != testJID || s.JID.Resourcepart() == "" {
		t.Errorf("JID %v", s.JID)
	}
}

func TestZeroK(t *testing.T) {
	// Computed step by step: h0 = hex(sha1(hex(sha1("test")) + "3EE67AB5")),
	// then hashed with hex in between.
	a := legacyDigest("", "test") // hex(sha1("test"))
	if a != "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3" {
		t.Fatalf("sha1 hex %s", a)
	}
	h := legacyDigest(a, "3EE67AB5")
	if got := zeroK("test", "3EE67AB5", 0); got != h {
		t.Errorf("seq 0: %s, want %s", got, h)
	}
	h2 := legacyDigest(legacyDigest(h, ""), "")
	if got := zeroK("test", "3EE67AB5", 2); got != h2 {
		t.Errorf("seq 2: %s, want %s", got, h2)
	}
}
