package client

import (
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
)

// TestAnonymousLogin: with sasl.Config.Anonymous and a domain-only JID, a
// server that offers only ANONYMOUS (RFC 4505, XEP-0175) is logged in to:
// the initial response is the trace, "=" when empty (RFC 6120 §6.4.2), no
// resource is requested, and the Stream carries the JID the server assigned
// at bind (XEP-0175 §2), localpart and resource both the server's.
func TestAnonymousLogin(t *testing.T) {
	const assigned = "a3f9c2e1@" + testDomain + "/8d1e"
	for _, trace := range []string{"", "juliet@example.org"} {
		var auth, bindReq string
		addr, wait := runPeer(t, func(p *peer) {
			p.open(featStartTLS)
			p.startTLS()
			p.open(featMechs("ANONYMOUS"))
			auth = p.element("auth")
			p.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
			p.open(featBind)
			bindReq = p.bind(assigned)
			p.hold()
		})
		cfg := testConfig(t, addr)
		cfg.Password = ""
		cfg.SASL = &sasl.Config{Anonymous: true, AnonymousTrace: trace}
		s, err := connect(t, jid.MustParse(testDomain), cfg)
		if s != nil {
			s.Conn.Close()
		}
		wait()
		if err != nil {
			t.Fatalf("trace %q: %v", trace, err)
		}
		want := "="
		if trace != "" {
			want = base64.StdEncoding.EncodeToString([]byte(trace))
		}
		if attr(auth, "mechanism") != sasl.MechAnonymous || text(auth) != want {
			t.Errorf("trace %q: auth %s, want ANONYMOUS with %s", trace, auth, want)
		}
		if strings.Contains(bindReq, "<resource") {
			t.Errorf("trace %q: bind request %s asks for a resource", trace, bindReq)
		}
		if s.JID.String() != assigned || s.Mechanism != sasl.MechAnonymous {
			t.Errorf("trace %q: JID %v mechanism %q, want %s by ANONYMOUS", trace, s.JID, s.Mechanism, assigned)
		}
	}
}

// TestAnonymousRefused: ANONYMOUS is opt-in. Without sasl.Config.Anonymous,
// or for an account with a localpart (ANONYMOUS would log in as someone
// else), a server offering only ANONYMOUS gets no <auth/>, and Connect fails
// with a permanent sasl.ErrNoMechanism at the SASL step that says why.
func TestAnonymousRefused(t *testing.T) {
	tests := []struct {
		name    string
		account jid.JID
		sasl    *sasl.Config
		why     string
	}{
		{"not enabled", jid.MustParse(testDomain), nil, "not enabled"},
		{"not enabled with AnonymousTrace", jid.MustParse(testDomain), &sasl.Config{AnonymousTrace: "x"}, "not enabled"},
		{"account with a localpart", testJID, &sasl.Config{Anonymous: true}, "username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var after string
			addr, wait := runPeer(t, func(p *peer) {
				p.open(featStartTLS)
				p.startTLS()
				p.open(featMechs("ANONYMOUS"))
				rest, _ := io.ReadAll(p.c)
				after = string(p.buf) + string(rest)
			})
			cfg := testConfig(t, addr)
			cfg.SASL = tt.sasl
			_, err := connect(t, tt.account, cfg)
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepSASL || !errors.Is(err, sasl.ErrNoMechanism) {
				t.Fatalf("err %v, want ErrNoMechanism at %s", err, StepSASL)
			}
			if !xmpp.IsPermanent(err) {
				t.Errorf("err %v is not permanent", err)
			}
			if !strings.Contains(err.Error(), "ANONYMOUS: ") || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("err %v does not say why ANONYMOUS was passed over (%s)", err, tt.why)
			}
			if strings.Contains(after, "<auth") {
				t.Errorf("the client sent %q", after)
			}
		})
	}
}
