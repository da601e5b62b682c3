package xmpp

import (
	"context"
	"sync/atomic"
	"testing"
	"unsafe"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// The dispatcher exits when no stanza waits: an idle Session ends up with
// the reader goroutine alone.
func TestDispatcherEndsWhenIdle(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var n atomic.Int32
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		n.Add(1)
		return nil
	})
	for round := int32(1); round <= 3; round++ {
		p.send(`<message from='bob@localhost/x' type='chat' id='a'/><message from='bob@localhost/x' type='chat' id='b'/>`)
		waitFor(t, func() bool { return n.Load() == 2*round })
		waitFor(t, func() bool {
			s.dmu.Lock()
			defer s.dmu.Unlock()
			return !s.drunning
		})
	}
}

// An Incoming carries the typed stanza of its kind and no other: the
// handlers of a message see Message set and Presence and IQ nil, and so on.
// Reply answers only an IQ.
func TestIncomingTypedByKind(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	type seen struct {
		kind          stanza.Kind
		msg, pres, iq bool
		id            string
		replyErr      error
	}
	got := make(chan seen, 3)
	s.HandleDirect(nil, func(ctx context.Context, in *Incoming) error {
		v := seen{kind: in.Kind, msg: in.Message != nil, pres: in.Presence != nil, iq: in.IQ != nil}
		switch {
		case in.Message != nil:
			v.id = in.Message.ID
		case in.Presence != nil:
			v.id = in.Presence.ID
		case in.IQ != nil:
			v.id = in.IQ.ID
		}
		if in.Kind != stanza.KindIQ {
			v.replyErr = in.Reply(ctx, nil)
		}
		got <- v
		return Handled
	})
	p.send(`<message from='bob@localhost/x' id='m1'/><presence from='bob@localhost/x' id='p1'/><iq from='bob@localhost/x' type='result' id='i1'/>`)
	want := []seen{
		{kind: stanza.KindMessage, msg: true, id: "m1", replyErr: ErrNotIQ},
		{kind: stanza.KindPresence, pres: true, id: "p1", replyErr: ErrNotIQ},
		{kind: stanza.KindIQ, iq: true, id: "i1"},
	}
	for _, w := range want {
		if g := <-got; g != w {
			t.Errorf("handler saw %+v, want %+v", g, w)
		}
	}
}

var incomingSink *Incoming

// A stanza's Incoming and its typed value are one allocation, small enough
// for the 176-byte size class: it is made for every stanza received, and
// its bytes are a fifth of what receiving a chat message allocates
// (BenchmarkLoopReceive).
func TestIncomingOneAllocation(t *testing.T) {
	if n := unsafe.Sizeof(incomingMessage{}); n > 176 {
		t.Errorf("incomingMessage is %d bytes, over the 176-byte size class", n)
	}
	s := &Session{}
	for _, xml := range []string{
		`<message from='bob@localhost/x' to='alice@localhost' type='chat' id='m1'><body>hi</body></message>`,
		`<presence from='bob@localhost/x' id='p1'/>`,
		`<iq from='bob@localhost/x' type='get' id='i1'><ping xmlns='urn:xmpp:ping'/></iq>`,
	} {
		e, err := xmlstream.Parse([]byte(xml), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { incomingSink, _ = s.newIncoming(e) }); n != 1 {
			t.Errorf("%s: %v allocations for its Incoming, want 1", e.Name.Local, n)
		}
	}
}
