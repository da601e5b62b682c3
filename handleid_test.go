package xmpp

import (
	"context"
	"strings"
	"sync"
	"testing"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// elementLog records the elements a handler saw.
type elementLog struct {
	mu  sync.Mutex
	els []*xmlstream.Element
}

func (l *elementLog) handler(result error) HandlerFunc {
	return func(ctx context.Context, in *Incoming) error {
		l.mu.Lock()
		l.els = append(l.els, in.Element)
		l.mu.Unlock()
		return result
	}
}

func (l *elementLog) all() []*xmlstream.Element {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*xmlstream.Element(nil), l.els...)
}

// withID returns the elements of els whose id is id.
func withID(els []*xmlstream.Element, id string) []*xmlstream.Element {
	var out []*xmlstream.Element
	for _, e := range els {
		if e.Get("id") == id {
			out = append(out, e)
		}
	}
	return out
}

// firstWithID are stanzas carrying the id pt1 that a HandleID handler takes
// as its stanza, documented as such: only the id is checked.
var firstWithID = []struct {
	name, xml string
}{
	{"result-from-stranger", `<iq type='result' id='pt1' from='mallory@localhost/x'/>`},
	{"error-without-from", `<iq type='error' id='pt1'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`},
	{"get", `<iq type='get' id='pt1' from='alice@localhost/test'><ping xmlns='urn:xmpp:ping'/></iq>`},
	{"message", `<message type='chat' id='pt1' from='mallory@localhost/x'><body>hi</body></message>`},
	{"presence", `<presence id='pt1' from='mallory@localhost/x'/>`},
	{"undecodable", `<message id='pt1' from='@bad'/>`},
}

// TestHandleIDChecksOnlyTheID: a HandleID handler runs for the first stanza
// whose id is exactly its id, whatever its kind, type or sender, among the
// direct handlers (so before the typed ones, and even for a stanza that
// does not decode); returning nil passes the stanza on; a second stanza
// with the id goes to the other handlers only (one-shot). Ids that differ
// in case or length, and stanzas without an id, do not fire it.
func TestHandleIDChecksOnlyTheID(t *testing.T) {
	for _, tc := range firstWithID {
		t.Run(tc.name, func(t *testing.T) {
			s, _, p := newTestSession(t, nil)
			var once, direct, typed elementLog
			s.HandleID("pt1", once.handler(nil))
			s.HandleDirect(nil, direct.handler(nil))
			s.HandleStanza(stanza.KindOf(mustParse(t, tc.xml)), typed.handler(nil))
			p.send(`<message from='bob@localhost/x' id='PT1'/>`)
			p.send(`<message from='bob@localhost/x' id='pt10'/>`)
			p.send(`<message from='bob@localhost/x'/>`)
			p.send(tc.xml)
			p.send(`<iq type='result' id='pt1' from='bob@localhost/x'/>`)
			syncHandlers(t, s, p)

			got := once.all()
			if len(got) != 1 || !got[0].Equal(mustParse(t, tc.xml)) {
				t.Fatalf("one-shot handler saw %v, want only %s", got, tc.xml)
			}
			// Passed on (nil) to the rest of the chain, and the second
			// stanza with the id reached only the others.
			if n := len(withID(direct.all(), "pt1")); n != 2 {
				t.Errorf("the direct handler after it saw %d stanzas with the id, want 2", n)
			}
			// The typed handler is for the stanza's kind: it sees the stanza
			// unless it does not decode, and the second one if that is an iq.
			wantTyped := 0
			if tc.name != "undecodable" {
				wantTyped++
			}
			if stanza.KindOf(mustParse(t, tc.xml)) == stanza.KindIQ {
				wantTyped++
			}
			if n := len(withID(typed.all(), "pt1")); n != wantTyped {
				t.Errorf("typed handler saw %d stanzas with the id, want %d", n, wantTyped)
			}
		})
	}
}

// TestHandleIDEndsChain: a HandleID handler that returns Handled ends the
// chain, like any handler; for an IQ get carrying the id this means no
// service-unavailable answer, and the next request is answered as usual.
func TestHandleIDEndsChain(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var once, typed elementLog
	s.HandleID("pt1", once.handler(Handled))
	s.HandleStanza(stanza.KindIQ, typed.handler(nil))
	p.send(`<iq type='get' id='pt1' from='bob@localhost/x'><query xmlns='urn:example:q'/></iq>`)
	p.send(`<iq type='get' id='pt2' from='bob@localhost/x'><query xmlns='urn:example:q'/></iq>`)
	if e := p.next(); e.Get("id") != "pt2" || e.Get("type") != "error" {
		t.Fatalf("answered %v, want only pt2's service-unavailable", e)
	}
	if n := len(once.all()); n != 1 {
		t.Errorf("one-shot handler ran %d times", n)
	}
	if got := typed.all(); len(got) != 1 || got[0].Get("id") != "pt2" {
		t.Errorf("typed handler saw %v, want only pt2", got)
	}
}

// TestSendIQPassthruChecksOnlyTheID: the passthru mode tracks nothing, and
// its one-shot handler takes the first stanza with the request's id even
// when it does not come from the addressee or is not an IQ reply (the
// documented behaviour: the handler sees the sender and checks it itself).
// The addressee's reply that follows then goes to the other handlers.
func TestSendIQPassthruChecksOnlyTheID(t *testing.T) {
	for _, tc := range []struct {
		name, xml string // {ID} is the request's id
	}{
		{"result-from-stranger", `<iq type='result' id='{ID}' from='mallory@localhost/x'/>`},
		{"result-from-other-resource", `<iq type='result' id='{ID}' from='bob@localhost/y'/>`},
		{"result-without-from", `<iq type='result' id='{ID}'/>`},
		{"message-from-addressee", `<message id='{ID}' from='bob@localhost/x'><body>hi</body></message>`},
		{"request-echoed", `<iq type='get' id='{ID}' from='alice@localhost/test'><ping xmlns='urn:xmpp:ping'/></iq>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, p := newTestSession(t, nil)
			var once, direct elementLog
			id, err := s.SendIQPassthru(ctxT(t), pingIQ("bob@localhost/x"), once.handler(Handled))
			if err != nil {
				t.Fatal(err)
			}
			s.HandleDirect(nil, direct.handler(nil))
			s.imu.Lock()
			tracked := len(s.pending)
			s.imu.Unlock()
			if tracked != 0 {
				t.Errorf("%d requests tracked, want none", tracked)
			}
			if req := p.next(); req.Get("id") != id {
				t.Fatalf("sent %v, want id %s", req, id)
			}
			p.reply(id, tc.xml)
			p.reply(id, `<iq type='result' id='{ID}' from='bob@localhost/x'/>`)
			syncHandlers(t, s, p)

			want := mustParse(t, strings.ReplaceAll(tc.xml, "{ID}", id))
			got := once.all()
			if len(got) != 1 || !got[0].Equal(want) {
				t.Fatalf("one-shot handler saw %v, want only %v", got, want)
			}
			if rest := withID(direct.all(), id); len(rest) != 1 || rest[0].Get("from") != "bob@localhost/x" || rest[0].Get("type") != "result" {
				t.Errorf("the other handlers saw %v, want the addressee's reply", rest)
			}
		})
	}
}

func mustParse(t *testing.T, xml string) *xmlstream.Element {
	t.Helper()
	e, err := xmlstream.Parse([]byte(xml), "jabber:client", nil)
	if err != nil {
		t.Fatalf("parse %s: %v", xml, err)
	}
	return e
}
