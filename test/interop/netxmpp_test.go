package interop

import (
	"fmt"
	"testing"
	"time"

	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestNetXMPP: Net::XMPP 1.05, the Perl library Parley descends from, and a
// Parley client on the same server exchange chat messages (RFC 6121 §5) and
// IQs (RFC 6120 §8) both ways, on Prosody and on jabberd2 (the server
// Net::XMPP is documented against, jabberd2.md §11). ejabberd is left out:
// Net::XMPP's SASL (Authen::SASL's pick, DIGEST-MD5) is refused there with
// not-authorized.
func TestNetXMPP(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"prosody", "jabberd2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			require(t, toolNetXMPP)
			testNetXMPP(t, srv)
		})
	}
}

func testNetXMPP(t *testing.T, srv *testenv.ServerInfo) {
	p := login(t, srv)
	asked := p.answerInterop()
	p.add(t, version.New(version.Info{Name: "Parley", Version: "interop-test"}))
	own := p.s.JID()

	acct := srv.Account(t)
	resource := fmt.Sprintf("netxmpp-%d", time.Now().UnixNano())
	host, port := splitAddr(t, srv.Addr)
	perl, peerStr := startPeer(t, "Net::XMPP", nil, "perl", peerScript(t, "netxmpp.pl"),
		host, port, srv.Domain, acct.Local, acct.Password, resource, srv.CAFile)
	peerJID := mustJID(t, peerStr)
	if want := acct.JID + "/" + resource; peerStr != want {
		t.Errorf("Net::XMPP bound %q, want %q", peerStr, want)
	}
	tok := token(t)

	// Net::XMPP → Parley: a chat message (MessageSend), seen by Parley's
	// handler with the sender's full JID.
	perl.send("msg", own.String(), "from perl "+tok)
	perl.expect("SENT", nil)
	m := p.message(t, "from perl "+tok)
	if !m.From.Equal(peerJID) || m.Type != stanza.MessageChat {
		t.Errorf("Parley got a %q message from %v, want chat from %v", m.Type, m.From, peerJID)
	}

	// Parley → Net::XMPP: the reply reaches the message callback.
	p.chat(t, m.From, "from parley "+tok)
	got := perl.expect("MSG", func(f []string) bool { return f[3] == "from parley "+tok })
	if got[1] != own.String() || got[2] != "chat" {
		t.Errorf("Net::XMPP got %q: want a chat from %v", got, own)
	}

	// Net::XMPP → Parley: jabber:iq:version, answered by ext/version.
	perl.send("iq", own.String(), "get", version.NS)
	id := perl.expect("SENT", nil)[1]
	res := perl.expect("IQRESULT", func(f []string) bool { return f[1] == id })
	if res[2] != "result" || res[3] != own.String() {
		t.Fatalf("version answer %q: want a result from %v", res, own)
	}
	info, err := version.Parse(parsePayload(t, res[4]))
	if err != nil || info != (version.Info{Name: "Parley", Version: "interop-test"}) {
		t.Errorf("version answer %q: parsed %+v, %v", res[4], info, err)
	}

	// Net::XMPP → Parley: a custom namespace, answered by the test's handler.
	perl.send("iq", own.String(), "get", nsInterop)
	id = perl.expect("SENT", nil)[1]
	res = perl.expect("IQRESULT", func(f []string) bool { return f[1] == id })
	if res[2] != "result" {
		t.Fatalf("%s answer %q: want a result", nsInterop, res)
	}
	if q := parsePayload(t, res[4]); q.Name != (xmlstream.Name{Space: nsInterop, Local: "query"}) ||
		q.ChildText(nsInterop, "peer") != "Parley" {
		t.Errorf("%s answer payload %v: want <peer>Parley</peer>", nsInterop, q)
	}
	if from := <-asked; !from.Equal(peerJID) {
		t.Errorf("Parley's handler saw the request from %v, want %v", from, peerJID)
	}

	// Net::XMPP → Parley: a namespace nobody handles gets exactly the
	// automatic service-unavailable error (RFC 6120 §8.4).
	perl.send("iq", own.String(), "get", "urn:parley:test:nobody")
	id = perl.expect("SENT", nil)[1]
	res = perl.expect("IQRESULT", func(f []string) bool { return f[1] == id })
	if res[2] != "error" {
		t.Fatalf("unhandled iq answer %q: want an error", res)
	}
	if e := parsePayload(t, "<x>"+res[4]+"</x>").Child("", "error"); e == nil ||
		e.Child(stanza.NSStanzas, "service-unavailable") == nil {
		t.Errorf("unhandled iq answer %q: want <service-unavailable/>", res[4])
	}

	// Parley → Net::XMPP: an IQ answered by the iq callback.
	if got := p.interopQuery(t, peerJID); got != "Net::XMPP" {
		t.Errorf("Net::XMPP answered <peer>%s</peer>, want Net::XMPP", got)
	}
	if f := perl.expect("IQGET", nil); f[1] != own.String() || f[2] != nsInterop {
		t.Errorf("Net::XMPP's iq callback saw %q: want a %s get from %v", f, nsInterop, own)
	}
	perl.quit()
}
