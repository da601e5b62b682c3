package chatstate_test

import (
	"context"
	"testing"
	"time"

	"parley.dev/xmpp/ext/chatstate"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func msg(t *testing.T, s string) stanza.Message {
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

func TestOf(t *testing.T) {
	for i, tc := range []struct {
		in   string
		want chatstate.State
		ok   bool
	}{
		0: {`<message type='chat'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`, chatstate.Active, true},
		1: {`<message type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`, chatstate.Composing, true},
		2: {`<message type='chat'><gone xmlns='http://jabber.org/protocol/chatstates'/><paused xmlns='http://jabber.org/protocol/chatstates'/></message>`, chatstate.Gone, true},
		3: {`<message type='chat'><sleeping xmlns='http://jabber.org/protocol/chatstates'/></message>`, "sleeping", false},
		4: {`<message type='chat'><body>hi</body></message>`, "", false},
		5: {`<message type='chat'><composing xmlns='urn:other'/></message>`, "", false},
	} {
		got, ok := chatstate.Of(msg(t, tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d: %q %v", i, got, ok)
		}
	}
}

func TestSetReplaces(t *testing.T) {
	m := chatstate.Notification(jid.MustParse("juliet@capulet.lit"), chatstate.Composing)
	chatstate.Set(&m, chatstate.Paused)
	if got := m.Element().String(); got != `<message to='juliet@capulet.lit' type='chat'><paused xmlns='http://jabber.org/protocol/chatstates'/></message>` {
		t.Errorf("got %s", got)
	}
}

func TestOnState(t *testing.T) {
	a, b := newPair(t)
	type ev struct {
		from jid.JID
		s    chatstate.State
	}
	ch := make(chan ev, 4)
	if _, err := b.Add(chatstate.New(&chatstate.Config{OnState: func(ctx context.Context, from jid.JID, s chatstate.State, m stanza.Message) {
		ch <- ev{from, s}
	}})); err != nil {
		t.Fatal(err)
	}
	if f := b.Features(); len(f) != 1 || f[0] != chatstate.NS {
		t.Errorf("features %v", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.Send(ctx, chatstate.Notification(b.JID(), chatstate.Composing))
	m := stanza.NewMessage(stanza.MessageChat, b.JID())
	m.AddBody("", "hello")
	chatstate.Set(&m, chatstate.Active)
	a.Send(ctx, m)
	for _, want := range []chatstate.State{chatstate.Composing, chatstate.Active} {
		if got := <-ch; got.s != want || !got.from.Equal(a.JID()) {
			t.Errorf("got %+v, want %s", got, want)
		}
	}
}
