package xmpp

import (
	"context"
	"errors"
	"testing"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestIQReplySender: which senders may answer an IQ request (SendIQAsync,
// replyFrom). The account is alice@localhost/test. A request without to
// (handled by the server for the account, RFC 6120 §10.3.3) accepts a
// reply without from, from the account's bare or full JID, or from its
// domain; a request with to accepts a reply from exactly that JID (compared
// as JIDs: the localpart and domain are case-insensitive, the resource is
// not), and one without from only when to is the account's bare JID or its
// domain (from-less stanzas come from the server, RFC 6120 §8.1.2.1). Any
// other reply is not an answer: it goes to the handlers as an untracked
// stanza, and the request keeps waiting for the genuine one. Result and
// error replies are judged alike.
func TestIQReplySender(t *testing.T) {
	const absent = "" // no from attribute
	for _, tc := range []struct {
		to, from string
		accept   bool
	}{
		{"", absent, true},
		{"", "alice@localhost", true},
		{"", "alice@localhost/test", true},
		{"", "localhost", true},
		{"", "ALICE@LocalHost/test", true},
		{"", "alice@localhost/TEST", false},
		{"", "alice@localhost/other", false},
		{"", "bob@localhost", false},
		{"", "bob@localhost/test", false},
		{"", "localhost/test", false},
		{"", "other.localhost", false},
		{"", "not a jid@@", false},

		{"bob@localhost/x", "bob@localhost/x", true},
		{"bob@localhost/x", "BOB@localhost/x", true},
		{"bob@localhost/x", absent, false},
		{"bob@localhost/x", "bob@localhost", false},
		{"bob@localhost/x", "bob@localhost/y", false},
		{"bob@localhost/x", "bob@localhost/X", false},
		{"bob@localhost/x", "localhost", false},
		{"bob@localhost/x", "alice@localhost", false},
		{"bob@localhost/x", "alice@localhost/test", false},

		{"bob@localhost", "bob@localhost", true},
		{"bob@localhost", "bob@localhost/x", false},
		{"bob@localhost", absent, false},

		{"alice@localhost", "alice@localhost", true},
		{"alice@localhost", absent, true},
		{"alice@localhost", "alice@localhost/test", false},
		{"alice@localhost", "localhost", false},

		{"localhost", "localhost", true},
		{"localhost", absent, true},
		{"localhost", "alice@localhost", false},
		{"localhost", "alice@localhost/test", false},

		{"upload.localhost", "upload.localhost", true},
		{"upload.localhost", absent, false},
		{"upload.localhost", "localhost", false},
	} {
		for _, typ := range []string{"result", "error"} {
			name := "to=" + orNone(tc.to) + ",from=" + orNone(tc.from) + "," + typ
			t.Run(name, func(t *testing.T) {
				checkIQReplySender(t, tc.to, tc.from, typ, tc.accept)
			})
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func checkIQReplySender(t *testing.T, to, from, typ string, accept bool) {
	s, _, p := newTestSession(t, nil)
	untracked := make(chan *xmlstream.Element, 4)
	// Direct, so that a reply whose from is not a JID (and so does not
	// decode into a stanza.IQ) is seen too.
	s.HandleDirect(xmlstream.MustCompile("/iq"), func(ctx context.Context, in *Incoming) error {
		untracked <- in.Element
		return Handled
	})
	pend, err := s.SendIQAsync(ctxT(t), pingIQ(to))
	if err != nil {
		t.Fatal(err)
	}
	id := p.next().Get("id")
	reply := func(from string) {
		e := xmlstream.New("", "iq").SetAttr("type", typ).SetAttr("id", id)
		if from != "" {
			e.SetAttr("from", from)
		}
		if typ == "error" {
			e.AppendChild(stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound}.Element())
		}
		p.send(string(e.AppendXML(nil)))
	}
	wait := func() {
		t.Helper()
		got, err := pend.Wait(ctxT(t))
		if typ == "error" {
			if !errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) {
				t.Fatalf("Wait = %v, want the item-not-found reply", err)
			}
		} else if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if got.ID != id {
			t.Fatalf("Wait returned id %q, want %q", got.ID, id)
		}
	}

	reply(from)
	if accept {
		wait()
		syncHandlers(t, s, p)
		select {
		case e := <-untracked:
			t.Fatalf("the accepted reply also reached the handlers: %v", e)
		default:
		}
		return
	}
	select {
	case e := <-untracked:
		if e.Get("id") != id || e.Get("from") != from {
			t.Fatalf("handlers got %v, want the rejected reply", e)
		}
	case <-ctxT(t).Done():
		t.Fatal("the rejected reply did not reach the handlers")
	}
	if pend.Received() {
		t.Fatal("the rejected reply resolved the request")
	}
	// The genuine reply (from the addressee, or without from for a
	// request without to) still resolves it.
	reply(to)
	wait()
}
