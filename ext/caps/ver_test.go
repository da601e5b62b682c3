package caps_test

import (
	"errors"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/caps"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/xmlstream"
)

// XEP-0115 §5.2: the simple example.
const simpleInfo = `<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>
  <identity category='client' name='Exodus 0.9.1' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
</query>`

// XEP-0115 §5.3: the complex example, with two languages and a
// urn:xmpp:dataforms:softwareinfo form; listed out of order on purpose.
const complexInfo = `<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>
  <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
  <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <x xmlns='jabber:x:data' type='result'>
    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
    <field var='ip_version' type='text-multi'><value>ipv6</value><value>ipv4</value></field>
    <field var='os'><value>Mac</value></field>
    <field var='os_version'><value>10.5.1</value></field>
    <field var='software'><value>Psi</value></field>
    <field var='software_version'><value>0.11</value></field>
  </x>
</query>`

func info(t testing.TB, s string) *disco.Info {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	i, err := disco.ParseInfo(e)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestVerXEPExamples(t *testing.T) {
	for i, tc := range []struct {
		in, hash, want string
	}{
		0: {simpleInfo, caps.HashSHA1, "QgayPKawpkPSDYmwT/WM94uAlu0="},
		1: {complexInfo, caps.HashSHA1, "q07IKJEyjvHSyhy//CH0CxmKi8w="},
	} {
		got, err := caps.Ver(info(t, tc.in), tc.hash)
		if err != nil || got != tc.want {
			t.Errorf("%d: ver %q, %v; want %q", i, got, err, tc.want)
		}
	}
}

func TestVerRules(t *testing.T) {
	base := info(t, complexInfo)
	for i, tc := range []struct {
		edit    func(i *disco.Info)
		wantErr error
		same    bool // the ver equals the complex example's
	}{
		0: {func(i *disco.Info) {}, nil, true},
		// Order of identities and features does not matter.
		1: {func(i *disco.Info) {
			i.Identities[0], i.Identities[1] = i.Identities[1], i.Identities[0]
			i.Features[0], i.Features[3] = i.Features[3], i.Features[0]
		}, nil, true},
		2: {func(i *disco.Info) { i.Features = append(i.Features, i.Features[0]) }, caps.ErrInvalid, false},
		3: {func(i *disco.Info) { i.Identities = append(i.Identities, i.Identities[0]) }, caps.ErrInvalid, false},
		4: {func(i *disco.Info) { i.Forms = append(i.Forms, i.Forms[0].Copy()) }, caps.ErrInvalid, false},
		// A form whose FORM_TYPE is not hidden is ignored (§5.4 step 3.6).
		5: {func(i *disco.Info) { i.Forms[0].Fields[0].Type = "text-single" }, nil, false},
		6: {func(i *disco.Info) { i.Features = i.Features[1:] }, nil, false},
		7: {func(i *disco.Info) { i.Identities[0].Lang = "" }, nil, false},
	} {
		in := &disco.Info{Identities: append([]xmpp.Identity(nil), base.Identities...), Features: append([]string(nil), base.Features...)}
		for _, f := range base.Forms {
			in.Forms = append(in.Forms, f.Copy())
		}
		tc.edit(in)
		got, err := caps.Ver(in, caps.HashSHA1)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%d: err %v, want %v", i, err, tc.wantErr)
			continue
		}
		if err == nil && (got == "q07IKJEyjvHSyhy//CH0CxmKi8w=") != tc.same {
			t.Errorf("%d: ver %q", i, got)
		}
	}
}

func TestVerHashes(t *testing.T) {
	in := info(t, simpleInfo)
	seen := map[string]bool{}
	for _, h := range []string{caps.HashSHA1, caps.HashSHA224, caps.HashSHA256, caps.HashSHA384, caps.HashSHA512, caps.HashMD5} {
		v, err := caps.Ver(in, h)
		if err != nil || v == "" || seen[v] {
			t.Errorf("%s: %q %v", h, v, err)
		}
		seen[v] = true
	}
	if _, err := caps.Ver(in, "sha3-256"); !errors.Is(err, caps.ErrUnknownHash) {
		t.Errorf("unknown hash: %v", err)
	}
}

func TestParseClaim(t *testing.T) {
	for i, tc := range []struct {
		in   string
		want caps.Claim
		ok   bool
	}{
		0: {`<presence from='romeo@montague.lit/orchard'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>`,
			caps.Claim{Hash: "sha-1", Node: "http://code.google.com/p/exodus", Ver: "QgayPKawpkPSDYmwT/WM94uAlu0="}, true},
		1: {`<c xmlns='http://jabber.org/protocol/caps' node='http://psi-im.org/caps' ver='0.11' ext='cs ep-notify'/>`,
			caps.Claim{Node: "http://psi-im.org/caps", Ver: "0.11", Ext: "cs ep-notify"}, true},
		2: {`<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' ver='x'/></presence>`, caps.Claim{}, false},
		3: {`<presence><c xmlns='urn:other' node='n' ver='v'/></presence>`, caps.Claim{}, false},
		4: {`<presence/>`, caps.Claim{}, false},
	} {
		e, err := xmlstream.Parse([]byte(tc.in), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := caps.ParseClaim(e)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d: %+v %v", i, got, ok)
			continue
		}
		if ok {
			if again, _ := caps.ParseClaim(got.Element()); again != got {
				t.Errorf("%d: round trip %+v", i, again)
			}
		}
	}
	if got := (caps.Claim{Node: "n", Ver: "v"}).NodeVer(); got != "n#v" {
		t.Errorf("NodeVer %q", got)
	}
}
