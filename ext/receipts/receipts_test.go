package receipts_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/receipts"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func msg(t testing.TB, s string) stanza.Message {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := stanza.MessageFromElement(e)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in        string
		requested bool
		received  string
	}{
		0: {`<message id='richard2-4.1.247'><body>My lord, dispatch</body><request xmlns='urn:xmpp:receipts'/></message>`, true, ""},
		1: {`<message id='bi29sg183b4v'><received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/></message>`, false, "richard2-4.1.247"},
		2: {`<message id='old-1'><received xmlns='urn:xmpp:receipts'/></message>`, false, "old-1"},
		3: {`<message><received xmlns='urn:xmpp:receipts'/></message>`, false, ""},
		4: {`<message id='x'><body>hi</body></message>`, false, ""},
	} {
		m := msg(t, tc.in)
		id, _ := receipts.Received(m)
		if receipts.Requested(m) != tc.requested || id != tc.received {
			t.Errorf("%d: requested %v received %q", i, receipts.Requested(m), id)
		}
	}
	var m stanza.Message
	id := receipts.Request(&m)
	if id == "" || m.ID != id || !receipts.Requested(m) {
		t.Errorf("Request: %q %v", id, m.Element())
	}
	receipts.Request(&m)
	n := 0
	for range m.Payloads() {
		n++
	}
	if n != 1 || m.ID != id {
		t.Errorf("second Request changed the message: %v", m.Element())
	}
}

func TestAutoAnswer(t *testing.T) {
	a, b := newPair(t)
	got := make(chan string, 4)
	if _, err := a.Add(receipts.New(&receipts.Config{OnReceived: func(ctx context.Context, from jid.JID, id string) {
		if from.Equal(b.JID()) {
			got <- id
		}
	}})); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(receipts.New(&receipts.Config{AutoAnswer: true})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// No receipt for groupchat, for error messages, or when none was asked.
	for _, typ := range []stanza.MessageType{stanza.MessageGroupchat, stanza.MessageError} {
		m := stanza.NewMessage(typ, b.JID())
		receipts.Request(&m)
		a.Send(ctx, m)
	}
	plain := stanza.NewMessage(stanza.MessageChat, b.JID())
	plain.ID = "plain"
	a.Send(ctx, plain)

	m := stanza.NewMessage(stanza.MessageChat, b.JID())
	m.AddBody("", "ack this")
	id := receipts.Request(&m)
	if err := a.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r != id {
		t.Errorf("receipt for %q, want %q (the others must not be acknowledged)", r, id)
	}
	// The receipt is a message with an id of its own (XEP-0184 §5.1).
	seen := make(chan stanza.Message, 1)
	a.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		if _, ok := receipts.Received(*in.Message); ok {
			seen <- *in.Message
		}
		return nil
	})
	m2 := stanza.NewMessage(stanza.MessageNormal, b.JID())
	id2 := receipts.Request(&m2)
	a.Send(ctx, m2)
	r := <-seen
	if r.ID == "" || r.ID == id2 {
		t.Errorf("receipt id %q", r.ID)
	}
	if x := <-got; x != id2 {
		t.Errorf("second receipt %q", x)
	}
}
