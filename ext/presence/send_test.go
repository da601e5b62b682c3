package presence

import (
	"context"
	"errors"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func TestBuild(t *testing.T) {
	caps := xmlstream.New("http://jabber.org/protocol/caps", "c").SetAttr("node", "n")
	tests := []struct {
		name string
		p    stanza.Presence
		want string
	}{
		{"plain", Available(nil), `<presence/>`},
		{"show status priority", Available(&Options{Show: stanza.ShowAway, Priority: -3,
			Status: map[string]string{"": "out", "fr": "dehors", "de": "draußen"}}),
			`<presence><show>away</show><priority>-3</priority><status>out</status><status xml:lang='de'>draußen</status><status xml:lang='fr'>dehors</status></presence>`},
		{"directed", Available(&Options{To: jid.MustParse("room@muc.example/nick"), Priority: 5}),
			`<presence to='room@muc.example/nick'><priority>5</priority></presence>`},
		{"signature and payload", Available(&Options{Signature: "iQEVAwUB", Payloads: []*xmlstream.Element{caps}}),
			`<presence><x xmlns='jabber:x:signed'>iQEVAwUB</x><c xmlns='http://jabber.org/protocol/caps' node='n'/></presence>`},
		{"unavailable drops show and priority", Unavailable(&Options{Show: stanza.ShowDND, Priority: 9, Status: map[string]string{"": "bye"}}),
			`<presence type='unavailable'><status>bye</status></presence>`},
		{"unavailable directed", Unavailable(&Options{To: jid.MustParse("bob@example.com")}),
			`<presence to='bob@example.com' type='unavailable'/>`},
	}
	for _, tt := range tests {
		if got := string(tt.p.AppendXML(nil)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestSignature(t *testing.T) {
	p := Available(&Options{Signature: "sig"})
	if s, ok := Signature(p); !ok || s != "sig" {
		t.Errorf("Signature = %q %v", s, ok)
	}
	if _, ok := Signature(Available(nil)); ok {
		t.Error("signature found in a plain presence")
	}
	if _, ok := Signature(stanza.Presence{}); ok {
		t.Error("signature found in an empty presence")
	}
}

// fakeSender records what is sent.
type fakeSender struct{ sent []string }

func (f *fakeSender) Send(ctx context.Context, st xmpp.Stanza) error {
	f.sent = append(f.sent, st.Element().String())
	return nil
}

func TestSendSubscription(t *testing.T) {
	ctx := context.Background()
	full := jid.MustParse("bob@example.com/phone")
	tests := []struct {
		send func(*fakeSender) error
		want string
		err  error
	}{
		{func(f *fakeSender) error { return Subscribe(ctx, f, full) }, `<presence to='bob@example.com' type='subscribe'/>`, nil},
		{func(f *fakeSender) error { return Unsubscribe(ctx, f, full) }, `<presence to='bob@example.com' type='unsubscribe'/>`, nil},
		{func(f *fakeSender) error { return Approve(ctx, f, full) }, `<presence to='bob@example.com' type='subscribed'/>`, nil},
		{func(f *fakeSender) error { return Deny(ctx, f, full) }, `<presence to='bob@example.com' type='unsubscribed'/>`, nil},
		{func(f *fakeSender) error { return SendSubscription(ctx, f, stanza.PresenceProbe, full) }, "", ErrNotSubscription},
		{func(f *fakeSender) error { return SendSubscription(ctx, f, stanza.PresenceAvailable, full) }, "", ErrNotSubscription},
		{func(f *fakeSender) error { return Subscribe(ctx, f, jid.JID{}) }, "", ErrNoAddress},
		{func(f *fakeSender) error { return SendAvailable(ctx, f, &Options{Show: stanza.ShowChat}) }, `<presence><show>chat</show></presence>`, nil},
		{func(f *fakeSender) error { return SendUnavailable(ctx, f, nil) }, `<presence type='unavailable'/>`, nil},
	}
	for i, tt := range tests {
		f := &fakeSender{}
		err := tt.send(f)
		if !errors.Is(err, tt.err) {
			t.Errorf("%d: error %v, want %v", i, err, tt.err)
		}
		got := ""
		if len(f.sent) > 0 {
			got = f.sent[0]
		}
		if got != tt.want || len(f.sent) > 1 {
			t.Errorf("%d: sent %v, want %s", i, f.sent, tt.want)
		}
	}
}

func TestStrings(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Ask.String(), "ask"}, {AcceptAll.String(), "accept-all"}, {RejectAll.String(), "reject-all"}, {Policy(7).String(), "invalid"},
		{Online.String(), "online"}, {Offline.String(), "offline"}, {Failed.String(), "failed"}, {ChangeKind(0).String(), "invalid"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
