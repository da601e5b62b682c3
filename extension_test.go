package xmpp

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

type moodPayload struct {
	Value string `xml:",chardata"`
}

// echoExt answers urn:example:echo requests and advertises the feature.
type echoExt struct{ fail bool }

func (e echoExt) Register(r *Registrar) error {
	r.Feature("urn:example:echo")
	r.Identity(Identity{Category: "client", Type: "bot", Name: "echo"})
	r.Payload(xmlstream.Name{Space: "urn:example:mood", Local: "mood"}, func() any { return new(moodPayload) })
	r.HandleIQ(stanza.IQGet, "urn:example:echo", func(ctx context.Context, in *Incoming) error {
		return in.Reply(ctx, in.IQ.Payload())
	})
	if e.fail {
		return errors.New("refused")
	}
	return nil
}

func TestExtensionAddAndRemove(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	remove, err := s.Add(echoExt{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(s.Features(), "urn:example:echo") || len(s.Identities()) != 1 {
		t.Fatalf("features %v identities %v", s.Features(), s.Identities())
	}
	p.send(`<iq type='get' id='e1' from='bob@localhost/x'><q xmlns='urn:example:echo'>hi</q></iq>`)
	if e := p.next(); e.Get("type") != "result" || e.ChildText("urn:example:echo", "q") != "hi" {
		t.Fatalf("echo reply = %v", e)
	}
	remove()
	if slices.Contains(s.Features(), "urn:example:echo") || len(s.Identities()) != 0 {
		t.Fatalf("after remove: features %v identities %v", s.Features(), s.Identities())
	}
	p.send(`<iq type='get' id='e2' from='bob@localhost/x'><q xmlns='urn:example:echo'>hi</q></iq>`)
	if e := p.next(); e.Get("type") != "error" {
		t.Fatalf("removed extension still answers: %v", e)
	}
}

func TestExtensionSeesEvents(t *testing.T) {
	s, _, _ := newTestSession(t, &Config{Reconnect: &Backoff{Min: time.Millisecond}})
	got := make(chan Status, 16)
	remove, _ := s.Add(ExtensionFunc(func(r *Registrar) error {
		r.OnEvent(func(e Event) { got <- e.Status })
		return nil
	}))
	s.Disconnect(errors.New("test"))
	want := []Status{StatusDisconnected, StatusReconnecting, StatusReady}
	for _, w := range want {
		select {
		case st := <-got:
			if st != w {
				t.Fatalf("event %v, want %v", st, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %v event", w)
		}
	}
	remove()
	s.Disconnect(errors.New("again"))
	waitFor(t, func() bool { return s.State() == StateReady })
	select {
	case st := <-got:
		if st == StatusDisconnected {
			t.Fatalf("a removed extension still sees events")
		}
	default:
	}
}

func TestIdentitiesWithoutDuplicates(t *testing.T) {
	s, _, _ := newTestSession(t, nil)
	s.Add(echoExt{})
	remove, _ := s.Add(echoExt{})
	if ids := s.Identities(); len(ids) != 1 {
		t.Fatalf("identities %v, want one", ids)
	}
	remove()
	if ids := s.Identities(); len(ids) != 1 {
		t.Fatalf("after removing the second copy: %v, want the first still there", ids)
	}
}

func TestExtensionFailedRegisterUndone(t *testing.T) {
	s, _, _ := newTestSession(t, nil)
	if _, err := s.Add(echoExt{fail: true}); err == nil {
		t.Fatal("Add succeeded")
	}
	if len(s.Features()) != 0 || len(s.Identities()) != 0 {
		t.Fatalf("a failed Register left %v %v", s.Features(), s.Identities())
	}
}

func TestIncomingPayload(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	s.Add(echoExt{})
	got := make(chan any, 1)
	s.HandleMessage("", func(ctx context.Context, in *Incoming) error {
		v, err := in.Payload(xmlstream.Name{Space: "urn:example:mood", Local: "mood"})
		if err != nil {
			t.Error(err)
		}
		got <- v
		return nil
	})
	p.send(`<message from='bob@localhost/x'><mood xmlns='urn:example:mood'>happy</mood></message>`)
	if v, ok := (<-got).(*moodPayload); !ok || v.Value != "happy" {
		t.Fatalf("payload = %#v", v)
	}
}
