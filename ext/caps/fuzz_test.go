package caps_test

import (
	"testing"

	"parley.dev/xmpp/ext/caps"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/xmlstream"
)

// FuzzParseClaim: no panic; a claim that parses survives Element → encode
// → Parse → ParseClaim unchanged.
func FuzzParseClaim(f *testing.F) {
	f.Add([]byte(`<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		c, ok := caps.ParseClaim(el)
		if !ok {
			return
		}
		el2, err := xmlstream.Parse(c.Element().AppendXML(nil), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		if again, ok := caps.ParseClaim(el2); !ok || again != c {
			t.Fatalf("round trip %+v, want %+v", again, c)
		}
	})
}

// FuzzVer: any disco#info that parses either hashes or is ErrInvalid, and
// the ver does not depend on the order of identities and features.
func FuzzVer(f *testing.F) {
	f.Add([]byte(simpleInfo))
	f.Add([]byte(complexInfo))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		info, err := disco.ParseInfo(el)
		if err != nil {
			return
		}
		v1, err1 := caps.Ver(info, caps.HashSHA1)
		rev := *info
		rev.Identities = reversed(info.Identities)
		rev.Features = reversed(info.Features)
		v2, err2 := caps.Ver(&rev, caps.HashSHA1)
		if v1 != v2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("order changes the ver: %q %v / %q %v", v1, err1, v2, err2)
		}
	})
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
