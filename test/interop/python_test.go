package interop

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// pythonPeers are the Python libraries of the tests, each with its helper
// script in peers/ (both speak the same commands, see peers/slix.py).
var pythonPeers = []struct {
	tool   tool
	script string
}{
	{toolSlixmpp, "slix.py"},
	{toolAioxmpp, "aio.py"},
}

// TestPython: slixmpp 1.8.3 and aioxmpp 0.13.3 and a Parley client on the
// same server, on Prosody and ejabberd: chat messages both ways (RFC 6121
// §5); the peer's disco#info of the Parley client lists exactly the
// identities and features of the extensions added to it, and loses a
// feature when its extension is removed (XEP-0030 §3.1); pings both ways
// (XEP-0199 §4.2), and service-unavailable once ext/ping is removed
// (XEP-0199 §4.3); a custom-namespace IQ both ways (RFC 6120 §8.2.3); and
// Parley's disco#info of the peer.
func TestPython(t *testing.T) {
	t.Parallel()
	for _, pp := range pythonPeers {
		for _, name := range []string{"prosody", "ejabberd"} {
			t.Run(pp.tool.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv := testenv.Server(t, name)
				require(t, pp.tool)
				testPython(t, srv, pp.tool.name, pp.script)
			})
		}
	}
}

func testPython(t *testing.T, srv *testenv.ServerInfo, lib, script string) {
	p := login(t, srv)
	asked := p.answerInterop()
	p.add(t, disco.New(nil))
	removePing := p.add(t, ping.New(nil))
	removeVersion := p.add(t, version.New(version.Info{Name: "Parley", Version: "interop-test"}))
	own := p.s.JID()

	acct := srv.Account(t)
	full := fmt.Sprintf("%s/%s-%d", acct.JID, lib, time.Now().UnixNano())
	host, port := splitAddr(t, srv.Addr)
	py, peerStr := startPeer(t, lib, nil, python, peerScript(t, script), host, port, full, acct.Password, srv.CAFile)
	peerJID := mustJID(t, peerStr)
	if peerStr != full {
		t.Errorf("%s bound %q, want %q", lib, peerStr, full)
	}
	tok := token(t)

	// Messages both ways.
	py.send("msg", own.String(), "from "+lib+" "+tok)
	py.expect("SENT", nil)
	m := p.message(t, "from "+lib+" "+tok)
	if !m.From.Equal(peerJID) || m.Type != stanza.MessageChat {
		t.Errorf("Parley got a %q message from %v, want chat from %v", m.Type, m.From, peerJID)
	}
	p.chat(t, m.From, "from parley "+tok)
	got := py.expect("MSG", func(f []string) bool { return f[3] == "from parley "+tok })
	if got[1] != own.String() || got[2] != "chat" {
		t.Errorf("%s got %q: want a chat from %v", lib, got, own)
	}

	// The peer's disco#info of the Parley client: exactly the Session's
	// identities and features, those of every added extension.
	ids, features := peerDisco(t, py, own.String())
	if want := []string{"client/bot"}; !slices.Equal(ids, want) {
		t.Errorf("%s sees identities %q, want %q", lib, ids, want)
	}
	if want := sorted(p.s.Features()); !slices.Equal(features, want) {
		t.Errorf("%s sees features %q, want the Session's %q", lib, features, want)
	}
	for _, f := range []string{disco.NSInfo, disco.NSItems, ping.NS, version.NS} {
		if !slices.Contains(features, f) {
			t.Errorf("%s sees features %q: %s missing", lib, features, f)
		}
	}
	removeVersion()
	if _, features = peerDisco(t, py, own.String()); slices.Contains(features, version.NS) ||
		!slices.Contains(features, ping.NS) {
		t.Errorf("after removing ext/version, %s sees features %q: want %s gone, %s kept", lib, features, version.NS, ping.NS)
	}

	// Pings both ways; without ext/ping Parley answers service-unavailable.
	py.send("ping", own.String())
	if f := py.expect("PONG", nil); f[2] != "ok" {
		t.Errorf("%s pinged Parley: %q, want ok", lib, f)
	}
	if _, err := ping.Ping(testCtx(t), p.s, peerJID); err != nil {
		t.Errorf("Parley pinged %s: %v", lib, err)
	}
	removePing()
	py.send("ping", own.String())
	if f := py.expect("PONG", nil); len(f) != 4 || f[2] != "error" || f[3] != "service-unavailable" {
		t.Errorf("%s pinged Parley without ext/ping: %q, want error service-unavailable", lib, f)
	}

	// A custom-namespace IQ both ways.
	py.send("iq", own.String())
	res := py.expect("IQRESULT", nil)
	if res[1] != own.String() || res[2] != "result" {
		t.Fatalf("%s's %s get: %q, want a result from %v", lib, nsInterop, res, own)
	}
	if q := parsePayload(t, res[3]); q.Name != (xmlstream.Name{Space: nsInterop, Local: "query"}) ||
		q.ChildText(nsInterop, "peer") != "Parley" {
		t.Errorf("%s's %s get: payload %v, want <peer>Parley</peer>", lib, nsInterop, q)
	}
	if from := <-asked; !from.Equal(peerJID) {
		t.Errorf("Parley's handler saw the request from %v, want %v", from, peerJID)
	}
	if got := p.interopQuery(t, peerJID); got != lib {
		t.Errorf("%s answered <peer>%s</peer>", lib, got)
	}
	if f := py.expect("IQGET", nil); f[1] != own.String() {
		t.Errorf("%s saw the %s get from %q, want %v", lib, nsInterop, f[1], own)
	}

	// Parley's disco#info of the peer.
	info, err := disco.GetInfo(testCtx(t), p.s, peerJID, "")
	if err != nil {
		t.Fatalf("Parley's disco#info of %s: %v", lib, err)
	}
	if !info.HasFeature(disco.NSInfo) || !info.HasFeature(ping.NS) || len(info.Identities) == 0 {
		t.Errorf("%s's disco#info: identities %v, features %v; want an identity, %s and %s",
			lib, info.Identities, info.Features, disco.NSInfo, ping.NS)
	}
	py.quit()
}

// peerDisco asks the peer for the disco#info of to and returns the
// identities (category/type) and features it printed, sorted.
func peerDisco(t *testing.T, py *peer, to string) (ids, features []string) {
	t.Helper()
	py.send("disco", to)
	f := py.expect("DISCO", func(f []string) bool { return f[1] == to })
	return sorted(strings.Fields(f[2])), sorted(strings.Fields(f[3]))
}

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
