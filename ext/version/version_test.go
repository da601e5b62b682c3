package version_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"parley.dev/xmpp/ext/version"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in   string
		want version.Info
		err  bool
	}{
		0: {`<query xmlns='jabber:iq:version'><name>Exodus</name><version>0.7.0.4</version><os>Windows-XP 5.01.2600</os></query>`, version.Info{"Exodus", "0.7.0.4", "Windows-XP 5.01.2600"}, false},
		1: {`<query xmlns='jabber:iq:version'><name>Prosody</name><version>13.0</version></query>`, version.Info{Name: "Prosody", Version: "13.0"}, false},
		2: {`<query xmlns='jabber:iq:version'/>`, version.Info{}, false},
		3: {`<query xmlns='jabber:iq:last'/>`, version.Info{}, true},
	} {
		e, err := xmlstream.Parse([]byte(tc.in), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := version.Parse(e)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%d: %+v %v", i, got, err)
		}
		if err == nil {
			if again, _ := version.Parse(got.Element()); again != got {
				t.Errorf("%d: round trip %+v", i, again)
			}
		}
	}
}

func TestPairQuery(t *testing.T) {
	a, b := newPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := version.Get(ctx, a, b.JID()); !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Errorf("responder is on by default: %v", err)
	}
	remove, err := b.Add(version.New(version.Info{Name: "Parley test", Version: "1.2"}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := version.Get(ctx, a, b.JID())
	if err != nil || got != (version.Info{Name: "Parley test", Version: "1.2"}) {
		t.Errorf("got %+v %v", got, err)
	}
	remove()
	b.Add(version.New(version.Info{OS: "Plan 9"}))
	got, err = version.Get(ctx, a, b.JID())
	if err != nil || got != (version.Info{Name: "Parley", Version: "devel", OS: "Plan 9"}) {
		t.Errorf("defaults: %+v %v", got, err)
	}
}
