package stanza

import (
	"errors"
	"slices"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

func TestPresenceFromElement(t *testing.T) {
	tests := []struct {
		in       string
		typ      PresenceType
		show     Show
		status   string // Status("")
		statusDE string
		prio     int8
		payloads []string
		err      Condition
	}{
		0: {in: `<presence/>`},
		1: {
			in: `<presence xml:lang='en'><show>dnd</show><status>busy</status>` +
				`<status xml:lang='de'>beschäftigt</status><priority>5</priority>` +
				`<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>`,
			show: ShowDND, status: "busy", statusDE: "beschäftigt", prio: 5,
			payloads: []string{"{http://jabber.org/protocol/caps}c"},
		},
		2:  {in: `<presence type='unavailable'><status>gone</status></presence>`, typ: PresenceUnavailable, status: "gone", statusDE: "gone"},
		3:  {in: `<presence type='subscribe' to='a@b'/>`, typ: PresenceSubscribe},
		4:  {in: `<presence type='subscribed'/>`, typ: PresenceSubscribed},
		5:  {in: `<presence type='unsubscribe'/>`, typ: PresenceUnsubscribe},
		6:  {in: `<presence type='unsubscribed'/>`, typ: PresenceUnsubscribed},
		7:  {in: `<presence type='probe'/>`, typ: PresenceProbe},
		8:  {in: `<presence type='error'/>`, typ: PresenceError},
		9:  {in: `<presence type='available'/>`}, // pre-XMPP clients
		10: {in: `<presence type='bogus'/>`, err: BadRequest},
		11: {in: `<presence from='a@@b'/>`, err: JIDMalformed},
		12: {in: `<presence><show>away</show><show>xa</show></presence>`, show: ShowAway},
		13: {in: `<presence><show>sleeping</show></presence>`},
		14: {in: `<presence><show> xa </show></presence>`, show: ShowXA},
		15: {in: `<presence><show>chat</show><priority>-128</priority></presence>`, show: ShowChat, prio: -128},
		16: {in: `<presence><priority>127</priority></presence>`, prio: 127},
		17: {in: `<presence><priority>128</priority></presence>`},
		18: {in: `<presence><priority>-129</priority></presence>`},
		19: {in: `<presence><priority> +7 </priority></presence>`, prio: 7},
		20: {in: `<presence><priority>ten</priority></presence>`},
		21: {in: `<presence><priority>1.5</priority></presence>`},
		22: {in: `<presence><priority>99999999999999999999</priority></presence>`},
		23: {in: `<presence><priority>-</priority></presence>`},
		24: {in: `<presence><priority>-0</priority></presence>`},
	}
	for i, tt := range tests {
		p, err := PresenceFromElement(parse(t, tt.in))
		if tt.err != "" {
			if !errors.Is(err, Error{Condition: tt.err}) {
				t.Errorf("%d: err = %v, want %s", i, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d: unexpected error %v", i, err)
			continue
		}
		if p.Type != tt.typ {
			t.Errorf("%d: Type = %q, want %q", i, p.Type, tt.typ)
		}
		if got := p.Show(); got != tt.show {
			t.Errorf("%d: Show = %q, want %q", i, got, tt.show)
		}
		if got := p.Status(""); got != tt.status {
			t.Errorf("%d: Status = %q, want %q", i, got, tt.status)
		}
		if got := p.Status("de"); got != tt.statusDE {
			t.Errorf("%d: Status(de) = %q, want %q", i, got, tt.statusDE)
		}
		if got := p.Priority(); got != tt.prio {
			t.Errorf("%d: Priority = %d, want %d", i, got, tt.prio)
		}
		if got := names(p.Payloads()); !slices.Equal(got, tt.payloads) {
			t.Errorf("%d: Payloads = %v, want %v", i, got, tt.payloads)
		}
	}
}

func TestPresenceBuild(t *testing.T) {
	var p Presence
	p.SetShow(ShowAway)
	p.SetShow(ShowXA) // replaces
	p.SetStatus("", "out")
	p.SetStatus("de", "weg")
	p.SetStatus("", "out for lunch") // replaces the one without xml:lang
	p.SetPriority(3)
	p.SetPriority(-1) // replaces
	p.AddPayload(xmlstream.New("vcard-temp:x:update", "x"))
	p.ID = "p1"
	const want = `<presence id='p1'><show>xa</show><status>out for lunch</status>` +
		`<status xml:lang='de'>weg</status><priority>-1</priority><x xmlns='vcard-temp:x:update'/></presence>`
	out := p.AppendXML(nil)
	if string(out) != want {
		t.Fatalf("AppendXML =\n%s\nwant\n%s", out, want)
	}
	if got := string(xmlstream.AppendElement(nil, p.Element(), NSClient)); got != want {
		t.Errorf("AppendElement(Element()) =\n%s\nwant\n%s", got, want)
	}
	back, err := PresenceFromElement(parse(t, string(out)))
	if err != nil {
		t.Fatal(err)
	}
	if back.Show() != ShowXA || back.Status("") != "out for lunch" || back.Status("de") != "weg" || back.Priority() != -1 {
		t.Errorf("round trip: %q %q %q %d", back.Show(), back.Status(""), back.Status("de"), back.Priority())
	}
	if got := pairs(back.Statuses()); !slices.Equal(got, [][2]string{{"", "out for lunch"}, {"de", "weg"}}) {
		t.Errorf("Statuses = %v", got)
	}
	p.SetShow(ShowOnline)
	if p.Show() != ShowOnline || ownChild(p.El, "show") != nil {
		t.Error("SetShow(ShowOnline) left a show element")
	}

	u := NewPresence(PresenceUnavailable, j("room@muc.example.com/me"))
	if got := string(u.AppendXML(nil)); got != `<presence to='room@muc.example.com/me' type='unavailable'/>` {
		t.Errorf("unavailable = %s", got)
	}
	r := u.ErrorReply(Error{Condition: RemoteServerNotFound})
	if got := string(r.AppendXML(nil)); got != `<presence from='room@muc.example.com/me' type='error'><error type='cancel'>`+
		`<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>` {
		t.Errorf("ErrorReply = %s", got)
	}
	if e, ok := r.Error(); !ok || e.Condition != RemoteServerNotFound {
		t.Errorf("Error() = %v %v", e, ok)
	}
}
