package delay_test

import (
	"testing"
	"time"

	"parley.dev/xmpp/ext/delay"
	"parley.dev/xmpp/xmlstream"
)

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in     string
		stamp  string
		from   string
		reason string
		legacy bool
		ok     bool
	}{
		0: {`<message from='romeo@montague.net/orchard' to='juliet@capulet.com' type='chat'><body>O blessed, blessed night!</body><delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay></message>`,
			"2002-09-10T23:08:25Z", "capulet.com", "Offline Storage", false, true},
		1: {`<presence from='juliet@capulet.com/balcony'><status>anon!</status><delay xmlns='urn:xmpp:delay' from='juliet@capulet.com/balcony' stamp='2002-09-10T23:41:07.123Z'/></presence>`,
			"2002-09-10T23:41:07.123Z", "juliet@capulet.com/balcony", "", false, true},
		2: {`<delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25+02:00'/>`, "2002-09-10T21:08:25Z", "", "", false, true},
		3: {`<message><x xmlns='jabber:x:delay' from='capulet.com' stamp='20020910T23:08:25'>Offline Storage</x></message>`,
			"2002-09-10T23:08:25Z", "capulet.com", "Offline Storage", true, true},
		// Both: the XEP-0203 one wins, wherever it is.
		4: {`<message><x xmlns='jabber:x:delay' stamp='20020910T23:08:25'/><delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:26Z'/></message>`,
			"2002-09-10T23:08:26Z", "", "", false, true},
		5: {`<message><delay xmlns='urn:xmpp:delay' stamp='yesterday'/></message>`, "", "", "", false, false},
		6: {`<message><delay xmlns='urn:xmpp:delay' from='@bad' stamp='2002-09-10T23:08:25Z'/></message>`, "2002-09-10T23:08:25Z", "", "", false, true},
		7: {`<message><body>now</body></message>`, "", "", "", false, false},
	} {
		e, err := xmlstream.Parse([]byte(tc.in), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := delay.Parse(e)
		if ok != tc.ok {
			t.Errorf("%d: ok %v", i, ok)
			continue
		}
		if !ok {
			continue
		}
		if got := d.Stamp.Format(time.RFC3339Nano); got != tc.stamp || d.From.String() != tc.from || d.Reason != tc.reason || d.Legacy != tc.legacy {
			t.Errorf("%d: %+v (stamp %s)", i, d, got)
		}
		again, ok := delay.Parse(d.Element())
		d.Legacy = false
		if !ok || again != d {
			t.Errorf("%d: round trip %+v", i, again)
		}
	}
}
