package client

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
)

// zeroKStore is the server side of jabberd 1.4's zero-knowledge iq:auth
// (its mod_auth_0k; XEP-0078 §2 leaves the method out): H is lower-case hex
// SHA-1, hash0 = H(H(password) + token), the server stores H^n(hash0) and
// offers <sequence>n-1</sequence> with the <token/>; a client that knows the
// password answers <hash>H^(n-1)(hash0)</hash>, which the server accepts
// when H(hash) is the stored value. Written from that description, not with
// the client's zeroK, so that the test checks the client against it.
type zeroKStore struct {
	token  string
	n      int    // hashes applied to hash0 in stored
	stored string // H^n(hash0)
}

func sha1Hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func newZeroKStore(password, token string, n int) zeroKStore {
	h := sha1Hex(sha1Hex(password) + token)
	for range n {
		h = sha1Hex(h)
	}
	return zeroKStore{token: token, n: n, stored: h}
}

// accepts is the server's check of the client's <hash/>.
func (z zeroKStore) accepts(clientHash string) bool { return sha1Hex(clientHash) == z.stored }

// rawChildText returns the text of the first <name> child in raw XML from
// peer.element, "" when there is none.
func rawChildText(raw, name string) string {
	_, after, ok := strings.Cut(raw, "<"+name+">")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, "</"+name+">")
	return v
}

// TestLegacyZeroK: a jabber:iq:auth server (a pre-XMPP-1.0 stream,
// LegacyOnly) offering <sequence/> and <token/> gets the <hash/> that
// jabberd 1.4's check accepts when Config.LegacyZeroK is on, preferred to
// <digest/> and <password/> (Jabber::Connection's order), and never the
// password. With the option off, zero-k is never used: the client falls back
// to the XEP-0078 §3.2 digest, else the plaintext password (here allowed by
// AllowLegacyPlaintext), else ErrNoAuthMethod; nothing is sent then. A
// malformed sequence is a protocol error before anything is sent.
func TestLegacyZeroK(t *testing.T) {
	const (
		password = "juliet-pw"
		token    = "3EE67AB5"
		streamID = "zk-stream"
	)
	tests := []struct {
		name     string
		zeroK    bool   // Config.LegacyZeroK
		seq      string // offered <sequence/>; "" = no sequence nor token
		methods  string // other methods offered
		wantMech string // "" = an error
		wantErr  error
	}{
		{"on, sequence 499, digest and password offered too", true, "499", "<digest/><password/>", MechLegacyZeroK, nil},
		{"on, sequence 1", true, "1", "", MechLegacyZeroK, nil},
		{"on, sequence 0", true, "0", "<password/>", MechLegacyZeroK, nil},
		{"on, no sequence offered", true, "", "<digest/>", MechLegacyDigest, nil},
		{"on, bad sequence", true, "many", "<digest/>", "", ErrProtocol},
		{"on, negative sequence", true, "-1", "<digest/>", "", ErrProtocol},
		{"off, digest offered", false, "499", "<digest/><password/>", MechLegacyDigest, nil},
		{"off, password offered", false, "499", "<password/>", MechLegacyPlain, nil},
		{"off, only zero-k offered", false, "499", "", "", ErrNoAuthMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, _ := strconv.Atoi(tt.seq)
			store := newZeroKStore(password, token, n+1)
			var set string
			addr, wait := runPeer(t, func(p *peer) {
				p.expect("<stream:stream")
				p.expect(">")
				p.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='" + testDomain + "' id='" + streamID + "'>")
				get := p.element("iq")
				fields := "<username>juliet</username>" + tt.methods + "<resource/>"
				if tt.seq != "" {
					fields += "<sequence>" + tt.seq + "</sequence><token>" + store.token + "</token>"
				}
				p.send("<iq type='result' id='" + attr(get, "id") + "'><query xmlns='jabber:iq:auth'>" + fields + "</query></iq>")
				if tt.wantMech == "" {
					// The client must give up without a set.
					rest, _ := io.ReadAll(p.c)
					set = string(p.buf) + string(rest)
					return
				}
				set = p.element("iq")
				p.send("<iq type='result' id='" + attr(set, "id") + "'/>")
				p.hold()
			})
			cfg := &Config{Password: password, Server: addr, Legacy: LegacyOnly, AllowPlaintext: true,
				AllowLegacyPlaintext: true, LegacyZeroK: tt.zeroK, Resource: "zk"}
			s, err := connect(t, jid.MustParse("juliet@"+testDomain), cfg)
			if s != nil {
				s.Conn.Close()
			}
			wait()
			if tt.wantMech == "" {
				var ce *ConnectError
				if !errors.As(err, &ce) || ce.Step != StepLegacy || !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v at %s", err, tt.wantErr, StepLegacy)
				}
				if xmpp.IsPermanent(err) {
					t.Errorf("err %v is permanent", err)
				}
				if strings.Contains(set, "<iq") {
					t.Errorf("the client sent %s", set)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Mechanism != tt.wantMech || s.JID.String() != "juliet@"+testDomain+"/zk" {
				t.Errorf("mechanism %q JID %v, want %q", s.Mechanism, s.JID, tt.wantMech)
			}
			switch tt.wantMech {
			case MechLegacyZeroK:
				if hash := rawChildText(set, "hash"); !store.accepts(hash) {
					t.Errorf("hash %q for sequence %s is refused by the server's check; set %s", hash, tt.seq, set)
				}
			default:
				if strings.Contains(set, "<hash") {
					t.Errorf("zero-k used while off: %s", set)
				}
			}
			if tt.wantMech == MechLegacyDigest && !strings.Contains(set, "<digest>"+sha1Hex(streamID+password)+"</digest>") {
				t.Errorf("set %s lacks the digest of the stream id", set)
			}
			if tt.wantMech != MechLegacyPlain && strings.Contains(set, password) {
				t.Errorf("password sent: %s", set)
			}
			if tt.wantMech == MechLegacyPlain && !strings.Contains(set, "<password>"+password+"</password>") {
				t.Errorf("set %s lacks the password", set)
			}
			for _, want := range []string{"<username>juliet</username>", "<resource>zk</resource>"} {
				if !strings.Contains(set, want) {
					t.Errorf("set %s lacks %s", set, want)
				}
			}
		})
	}
}
