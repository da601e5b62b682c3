package time_test

import (
	"context"
	"errors"
	"testing"
	"time"

	xtime "parley.dev/xmpp/ext/time"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in      string
		want    string // RFC 3339 in the entity's zone
		wantErr bool
	}{
		0: {`<time xmlns='urn:xmpp:time'><tzo>-06:00</tzo><utc>2006-12-19T17:58:35Z</utc></time>`, "2006-12-19T11:58:35-06:00", false},
		1: {`<time xmlns='urn:xmpp:time'><tzo>Z</tzo><utc>2006-12-19T17:58:35.123Z</utc></time>`, "2006-12-19T17:58:35.123Z", false},
		2: {`<time xmlns='urn:xmpp:time'><tzo>+05:30</tzo><utc>2024-01-01T00:00:00Z</utc></time>`, "2024-01-01T05:30:00+05:30", false},
		3: {`<time xmlns='urn:xmpp:time'><tzo>+5:30</tzo><utc>2024-01-01T00:00:00Z</utc></time>`, "", true},
		4: {`<time xmlns='urn:xmpp:time'><tzo>+05:30</tzo><utc>2024-01-01T00:00:00+01:00</utc></time>`, "", true},
		5: {`<time xmlns='urn:xmpp:time'><tzo>+25:00</tzo><utc>2024-01-01T00:00:00Z</utc></time>`, "", true},
		6: {`<time xmlns='urn:xmpp:time'><utc>2024-01-01T00:00:00Z</utc></time>`, "", true},
		7: {`<time xmlns='urn:other'><tzo>Z</tzo><utc>2024-01-01T00:00:00Z</utc></time>`, "", true},
		8: {`<time xmlns='urn:xmpp:time'><tzo>+0a:00</tzo><utc>2024-01-01T00:00:00Z</utc></time>`, "", true},
	} {
		e, err := xmlstream.Parse([]byte(tc.in), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := xtime.Parse(e)
		if tc.wantErr {
			if !errors.Is(err, xtime.ErrMalformed) {
				t.Errorf("%d: err %v, want ErrMalformed", i, err)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339Nano) != tc.want {
			t.Errorf("%d: %v %v, want %s", i, got, err, tc.want)
		}
		again, err := xtime.Parse(xtime.Element(got))
		if err != nil || !again.Equal(got) || again.Format(time.RFC3339Nano) != tc.want {
			t.Errorf("%d: round trip %v %v", i, again, err)
		}
	}
}

func TestPairQuery(t *testing.T) {
	a, b := newPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := xtime.Get(ctx, a, b.JID()); !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Errorf("responder is on by default: %v", err)
	}
	fixed := time.Date(2026, 3, 1, 12, 30, 0, 0, time.FixedZone("", -3*3600))
	if _, err := b.Add(xtime.New(&xtime.Config{Now: func() time.Time { return fixed }})); err != nil {
		t.Fatal(err)
	}
	got, err := xtime.Get(ctx, a, b.JID())
	if err != nil || !got.Equal(fixed) || got.Format(time.RFC3339) != "2026-03-01T12:30:00-03:00" {
		t.Errorf("got %v %v", got, err)
	}
	if f := b.Features(); len(f) != 1 || f[0] != xtime.NS {
		t.Errorf("features %v", f)
	}
}
