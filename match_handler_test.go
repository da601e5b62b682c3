package xmpp

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// trail records which handlers ran for which stanza id, in order.
type trail struct {
	mu  sync.Mutex
	ran map[string][]string
}

func (tr *trail) handler(name string, result error) HandlerFunc {
	return func(ctx context.Context, in *Incoming) error {
		tr.mu.Lock()
		if tr.ran == nil {
			tr.ran = make(map[string][]string)
		}
		id := in.Element.Get("id")
		tr.ran[id] = append(tr.ran[id], name)
		tr.mu.Unlock()
		return result
	}
}

func (tr *trail) of(id string) string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return strings.Join(tr.ran[id], ",")
}

// syncHandlers sends a message that a one-shot handler waits for: once it ran, every
// stanza sent before it went through its whole handler chain.
func syncHandlers(t *testing.T, s *Session, p *peer) {
	t.Helper()
	id := NewID()
	done := make(chan struct{})
	s.HandleID(id, func(ctx context.Context, in *Incoming) error { close(done); return Handled })
	p.send(`<message from='localhost' id='` + id + `'/>`)
	select {
	case <-done:
	case <-ctxT(t).Done():
		t.Fatal("the handlers did not get to the sync message")
	}
}

// TestHandleMatch: a HandleMatch handler (Net::XMPP's XPath callbacks) runs
// for the stanzas its expression selects, in the chain of typed handlers in
// registration order (after every direct handler, and not for a stanza that
// does not decode into its typed form), may end the chain with Handled or
// answer an IQ, and is gone once removed.
func TestHandleMatch(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var tr trail
	s.HandleMessage("", tr.handler("message", nil))
	removeChat := s.HandleMatch(xmlstream.MustCompile("/message[@type='chat' and body]"), func(ctx context.Context, in *Incoming) error {
		tr.handler("chat-body", nil)(ctx, in)
		if in.Message.Body("") == "stop" {
			return Handled
		}
		return nil
	})
	s.HandleMatch(xmlstream.MustCompile("/message/{urn:example:x}x[@n='1']"), tr.handler("x1", nil))
	s.HandleStanza(stanza.KindMessage, tr.handler("stanza", nil))
	s.HandleDirect(nil, tr.handler("direct", nil)) // registered last, runs first

	p.send(`<message type='chat' from='bob@localhost/x' id='m1'><body>hi</body></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='m2'><x xmlns='urn:example:x' n='1'/></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='m3'><x xmlns='urn:example:x' n='2'/></message>`)
	p.send(`<message type='headline' from='bob@localhost/x' id='m4'><body>news</body></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='m5'><body>hi</body><x xmlns='urn:example:y' n='1'/></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='m6'><body>hi</body><x xmlns='urn:example:x' n='1'/></message>`)
	p.send(`<message type='chat' from='bob@localhost/x' id='stop'><body>stop</body><x xmlns='urn:example:x' n='1'/></message>`)
	p.send(`<message type='chat' from='@bad' id='undecodable'><body>hi</body></message>`)
	syncHandlers(t, s, p)
	removeChat()
	p.send(`<message type='chat' from='bob@localhost/x' id='removed'><body>hi</body></message>`)
	syncHandlers(t, s, p)

	for id, want := range map[string]string{
		"m1":          "direct,message,chat-body,stanza",
		"m2":          "direct,message,x1,stanza",
		"m3":          "direct,message,stanza",           // n is not 1
		"m4":          "direct,message,stanza",           // not chat
		"m5":          "direct,message,chat-body,stanza", // x in another namespace
		"m6":          "direct,message,chat-body,x1,stanza",
		"stop":        "direct,message,chat-body", // Handled ends the chain
		"undecodable": "direct",                   // typed handlers only run on typed stanzas
		"removed":     "direct,message,stanza",
	} {
		if got := tr.of(id); got != want {
			t.Errorf("%s: ran %q, want %q", id, got, want)
		}
	}
}

// TestHandleMatchAnswersIQ: a HandleMatch handler that answers an IQ
// request takes it; a request nobody takes still gets service-unavailable
// (RFC 6120 §8.4).
func TestHandleMatchAnswersIQ(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	s.HandleMatch(xmlstream.MustCompile("/iq[@type='set']/{jabber:iq:roster}query[item/@jid='carol@localhost']"), func(ctx context.Context, in *Incoming) error {
		in.Reply(ctx, nil)
		return Handled
	})
	p.send(`<iq type='set' id='push1' from='alice@localhost'><query xmlns='jabber:iq:roster'><item jid='carol@localhost'/></query></iq>`)
	p.send(`<iq type='set' id='push2' from='alice@localhost'><query xmlns='jabber:iq:roster'><item jid='dave@localhost'/></query></iq>`)
	if e := p.next(); e.Get("id") != "push1" || e.Get("type") != "result" {
		t.Fatalf("first answer %v, want the result to push1", e)
	}
	e := p.next()
	se, _ := stanza.ErrorFromElement(e.Child("", "error"))
	if e.Get("id") != "push2" || e.Get("type") != "error" || se.Condition != stanza.ServiceUnavailable {
		t.Fatalf("second answer %v, want service-unavailable to push2", e)
	}
}

// TestHandleMatchBadExpression: an expression outside the supported subset
// is an error when it is compiled, before anything is registered, and a nil
// Matcher (what a Compile whose error was ignored returns) is refused when
// it is registered instead of failing at the first stanza.
func TestHandleMatchBadExpression(t *testing.T) {
	m, err := xmlstream.Compile("/message | /iq")
	var ce *xmlstream.CompileError
	if m != nil || !errors.As(err, &ce) || ce.Pos != 9 {
		t.Fatalf("Compile = %v, %v; want a *CompileError at 9", m, err)
	}
	s, _, p := newTestSession(t, nil)
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Error("HandleMatch(nil) did not panic")
			} else if !strings.Contains(r.(string), "nil Matcher") {
				t.Errorf("HandleMatch(nil) panicked with %v", r)
			}
		}()
		s.HandleMatch(m, func(ctx context.Context, in *Incoming) error { return nil })
	}()
	// Nothing was registered: stanzas still flow.
	p.send(`<message type='chat' from='bob@localhost/x' id='after'><body>hi</body></message>`)
	syncHandlers(t, s, p)
}
