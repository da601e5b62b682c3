package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// The server's stream version (RFC 6120 §4.7.5): above 1.x, or not a
// version at all, ends the negotiation with unsupported-version, which the
// server is told; 0.x is a pre-XMPP server, spoken to without features.
func TestServerStreamVersion(t *testing.T) {
	header := "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='" +
		testDomain + "' id='v-1' version='%s'>"
	for _, v := range []string{"2.0", "1", "one.zero", "1.0.1"} {
		t.Run(v, func(t *testing.T) {
			var got string
			addr, wait := runPeer(t, func(p *peer) {
				p.expect("<stream:stream")
				p.expect(">")
				p.send(fmt.Sprintf(header, v))
				got = p.expect("</stream:stream>")
			})
			cfg := &Config{Password: "secret", Server: addr, AllowPlaintext: true}
			s, err := connect(t, jid.MustParse("bob@"+testDomain), cfg)
			if s != nil {
				s.Conn.Close()
			}
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepStream || !errors.Is(err, stanza.StreamError{Condition: stanza.StreamUnsupportedVersion}) {
				t.Fatalf("err %v, want unsupported-version at %s", err, StepStream)
			}
			if !strings.Contains(got, "<unsupported-version") {
				t.Errorf("server got %q, want an unsupported-version stream error", got)
			}
		})
	}
	t.Run("0.9", func(t *testing.T) {
		var set string
		addr, wait := runPeer(t, func(p *peer) {
			p.expect("<stream:stream")
			p.expect(">")
			p.send(fmt.Sprintf(header, "0.9")) // no features follow
			get := p.element("iq")
			p.send("<iq type='result' id='" + attr(get, "id") + "'><query xmlns='jabber:iq:auth'><username/><digest/><resource/></query></iq>")
			set = p.element("iq")
			p.send("<iq type='result' id='" + attr(set, "id") + "'/>")
			p.hold()
		})
		cfg := &Config{Password: "secret", Server: addr, AllowPlaintext: true}
		s, err := connect(t, jid.MustParse("bob@"+testDomain), cfg)
		if err != nil {
			t.Fatal(err)
		}
		s.Conn.Close()
		wait()
		if s.Mechanism != MechLegacyDigest || !strings.Contains(set, "<digest>"+legacyDigest("v-1", "secret")+"</digest>") {
			t.Errorf("mech %s set %s", s.Mechanism, set)
		}
	})
}
