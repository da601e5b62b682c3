package client

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/sasl"
)

// scramPeer runs STARTTLS and offers SCRAM-SHA-1; after reading the
// client-first message it lets serverFirst build the challenge from the
// client nonce, then finishes with final (raw XML, may be "").
func scramPeer(serverFirst func(clientNonce string) string, final string, expectAbort bool) func(p *peer) {
	return func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("SCRAM-SHA-1"))
		raw := p.element("auth")
		if m := attr(raw, "mechanism"); m != "SCRAM-SHA-1" {
			p.failf("mechanism %q", m)
		}
		first, _ := base64.StdEncoding.DecodeString(text(raw))
		// gs2-header "y,," or "n,,", then n=juliet,r=nonce
		i := strings.Index(string(first), ",r=")
		if i < 0 {
			p.failf("client-first %q", first)
		}
		nonce := string(first[i+3:])
		p.send("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
			base64.StdEncoding.EncodeToString([]byte(serverFirst(nonce))) + "</challenge>")
		if expectAbort {
			p.expect("<abort")
			p.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><aborted/></failure>")
			p.hold()
			return
		}
		p.element("response")
		if final != "" {
			p.send(final)
		}
		p.hold()
	}
}

var salt64 = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))

func TestScramAttacks(t *testing.T) {
	tests := []struct {
		name  string
		first func(string) string
		final string
		abort bool
		want  error
	}{
		{"bad server signature",
			func(n string) string { return "r=" + n + "srv,s=" + salt64 + ",i=4096" },
			"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + base64.StdEncoding.EncodeToString([]byte("v="+base64.StdEncoding.EncodeToString(make([]byte, 20)))) + "</success>",
			false, sasl.ErrServerSignature},
		{"success without signature",
			func(n string) string { return "r=" + n + "srv,s=" + salt64 + ",i=4096" },
			"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
			false, sasl.ErrServerSignature},
		{"nonce not extending ours",
			func(string) string { return "r=someoneelsesnonce,s=" + salt64 + ",i=4096" },
			"", true, sasl.ErrNonce},
		{"huge iteration count",
			func(n string) string { return "r=" + n + "srv,s=" + salt64 + ",i=2000000000" },
			"", true, sasl.ErrIterations},
		{"challenge not base64",
			nil, "", true, ErrProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := scramPeer(tt.first, tt.final, tt.abort)
			if tt.first == nil {
				script = func(p *peer) {
					p.open(featStartTLS)
					p.startTLS()
					p.open(featMechs("SCRAM-SHA-1"))
					p.element("auth")
					p.send("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>!!!notbase64</challenge>")
					p.expect("<abort")
					p.hold()
				}
			}
			addr, wait := runPeer(t, script)
			_, err := connect(t, testJID, testConfig(t, addr))
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepSASL || !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v at the SASL step", err, tt.want)
			}
			if !xmpp.IsPermanent(err) {
				t.Errorf("err %v is not permanent", err)
			}
		})
	}
}

func TestSASLFailureConditions(t *testing.T) {
	conds := []string{
		sasl.CondAborted, sasl.CondAccountDisabled, sasl.CondCredentialsExpired,
		sasl.CondEncryptionRequired, sasl.CondIncorrectEncoding, sasl.CondInvalidAuthzid,
		sasl.CondInvalidMechanism, sasl.CondMalformedRequest, sasl.CondMechanismTooWeak,
		sasl.CondNotAuthorized, sasl.CondTemporaryAuthFailure,
	}
	for _, cond := range conds {
		t.Run(cond, func(t *testing.T) {
			addr, wait := runPeer(t, func(p *peer) {
				p.open(featStartTLS)
				p.startTLS()
				p.open(featMechs("PLAIN"))
				p.element("auth")
				p.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><" + cond + "/><text xml:lang='en'>nope " + cond + "</text></failure>")
				p.hold()
			})
			_, err := connect(t, testJID, testConfig(t, addr))
			wait()
			if !errors.Is(err, &sasl.Failure{Condition: cond, Text: "nope " + cond}) {
				t.Fatalf("err %v, want failure %s", err, cond)
			}
			var f *sasl.Failure
			if !errors.As(err, &f) || f.Condition != cond {
				t.Fatalf("errors.As: %v", err)
			}
			if perm := xmpp.IsPermanent(err); perm == (cond == sasl.CondTemporaryAuthFailure) {
				t.Errorf("IsPermanent = %v for %s", perm, cond)
			}
		})
	}
}

func TestChannelBindingChoice(t *testing.T) {
	// Without TLS there is nothing to bind to.
	if cb := channelBinding(nil, []string{"SCRAM-SHA-1-PLUS"}, nil); cb != nil {
		t.Errorf("binding without TLS: %+v", cb)
	}
}

func TestBase64Framing(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{{nil, "="}, {[]byte{}, "="}, {[]byte("\x00u\x00p"), "AHUAcA=="}}
	for i, tt := range tests {
		if got := encode64(tt.in); got != tt.want {
			t.Errorf("%d: encode64 %q, want %q", i, got, tt.want)
		}
	}
	for i, s := range []string{"", "=", " = "} {
		if b, err := decode64(s); err != nil || len(b) != 0 {
			t.Errorf("%d: decode64(%q) = %q, %v", i, s, b, err)
		}
	}
	if b, err := decode64("AHUAcA=="); err != nil || string(b) != "\x00u\x00p" {
		t.Errorf("decode64: %q %v", b, err)
	}
	if _, err := decode64("***"); !errors.Is(err, ErrProtocol) {
		t.Errorf("bad base64: %v", err)
	}
}
