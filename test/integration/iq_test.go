package integration

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// answerEcho makes a answer IQ gets in nsEcho with a result echoing the
// request's payload, marked with the answering JID (RFC 6120 §8.2.3).
func answerEcho(a *account) {
	a.s.HandleIQ(stanza.IQGet, nsEcho, func(ctx context.Context, in *xmpp.Incoming) error {
		p := xmlstream.New(nsEcho, "echo").SetAttr("by", in.Session.JID().String())
		if req := in.IQ.Payload(); req != nil {
			p.SetAttr("n", req.Get("n"))
		}
		return in.Reply(ctx, p)
	})
}

// checkEcho checks that reply answers an nsEcho request with attribute n,
// sent by by.
func checkEcho(t *testing.T, reply stanza.IQ, by jid.JID, n string) {
	t.Helper()
	if reply.Type != stanza.IQResult {
		t.Fatalf("reply type %q, want result", reply.Type)
	}
	if !reply.From.Equal(by) {
		t.Errorf("reply from %v, want %v", reply.From, by)
	}
	p := reply.Payload()
	if p == nil || p.Name.Space != nsEcho || p.Get("by") != by.String() || p.Get("n") != n {
		t.Errorf("reply payload %v, want <echo by=%q n=%q/>", p, by, n)
	}
}

// echoIQ is an nsEcho get to to carrying n.
func echoIQ(to jid.JID, n string) stanza.IQ {
	return stanza.NewIQ(stanza.IQGet, to, xmlstream.New(nsEcho, "echo").SetAttr("n", n))
}

// TestIQModes runs an IQ round trip in each of the three modes (RFC 6120
// §8.2.3; Net::XMPP's block, nonblock and passthru), to the server (XEP-0199
// ping) and to another client's handler, on every server.
func TestIQModes(t *testing.T) {
	t.Parallel()
	for _, name := range servers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			alice, bob := login(t, srv, nil), login(t, srv, nil)
			answerEcho(bob)
			domain := jid.MustParse(srv.Domain)
			bobJID := bob.s.JID()

			t.Run("block", func(t *testing.T) {
				ctx := testCtx(t)
				reply, err := alice.s.SendIQ(ctx, newIQ(stanza.IQGet, domain, nsPing, "ping"))
				if err != nil {
					t.Fatalf("ping %s: %v", domain, err)
				}
				if reply.Type != stanza.IQResult {
					t.Errorf("ping reply type %q", reply.Type)
				}
				reply, err = alice.s.SendIQ(ctx, echoIQ(bobJID, "1"))
				if err != nil {
					t.Fatalf("echo to %v: %v", bobJID, err)
				}
				checkEcho(t, reply, bobJID, "1")
			})

			t.Run("nonblock", func(t *testing.T) {
				ctx := testCtx(t)
				p1, err := alice.s.SendIQAsync(ctx, newIQ(stanza.IQGet, domain, nsPing, "ping"))
				if err != nil {
					t.Fatal(err)
				}
				p2, err := alice.s.SendIQAsync(ctx, echoIQ(bobJID, "2"))
				if err != nil {
					t.Fatal(err)
				}
				if p1.ID() == "" || p1.ID() == p2.ID() {
					t.Errorf("ids %q and %q: want distinct fresh ids", p1.ID(), p2.ID())
				}
				// Received and Get are non-blocking: before the reply they
				// say so, after Wait they hand out the same reply.
				if _, _, ok := p2.Get(); ok != p2.Received() {
					t.Errorf("Get ok = %v, Received = %v", ok, p2.Received())
				}
				r2, err := p2.Wait(ctx)
				if err != nil {
					t.Fatalf("echo: %v", err)
				}
				checkEcho(t, r2, bobJID, "2")
				if !p2.Received() {
					t.Error("Received false after Wait returned")
				}
				g2, gerr, ok := p2.Get()
				if !ok || gerr != nil || g2.ID != r2.ID || g2.ID != p2.ID() {
					t.Errorf("Get = %v, %v, %v; want the reply with id %s", g2.ID, gerr, ok, p2.ID())
				}
				r1, err := p1.Wait(ctx)
				if err != nil || r1.Type != stanza.IQResult || r1.ID != p1.ID() {
					t.Errorf("ping: %+v, %v", r1, err)
				}
			})

			t.Run("passthru", func(t *testing.T) {
				ctx := testCtx(t)
				got := make(inbox, 4)
				id1, err := alice.s.SendIQPassthru(ctx, newIQ(stanza.IQGet, domain, nsPing, "ping"), got.handler())
				if err != nil {
					t.Fatal(err)
				}
				e := got.next(t, "ping reply", nil)
				if e.Get("id") != id1 || e.Get("type") != "result" {
					t.Errorf("ping reply %v, want a result with id %s", e, id1)
				}
				id2, err := alice.s.SendIQPassthru(ctx, echoIQ(bobJID, "3"), got.handler())
				if err != nil {
					t.Fatal(err)
				}
				e = got.next(t, "echo reply", nil)
				if e.Get("id") != id2 {
					t.Fatalf("echo reply %v, want id %s", e, id2)
				}
				iq, err := stanza.IQFromElement(e)
				if err != nil {
					t.Fatal(err)
				}
				checkEcho(t, iq, bobJID, "3")
			})
		})
	}
}

// TestUnknownIQServiceUnavailable: an IQ get that no handler of the
// receiving Session answers gets exactly one service-unavailable error
// (RFC 6120 §8.4), on every server.
func TestUnknownIQServiceUnavailable(t *testing.T) {
	t.Parallel()
	for _, name := range servers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			alice, bob := login(t, srv, nil), login(t, srv, nil)
			answerEcho(bob) // a handler for another namespace must not answer
			ctx := testCtx(t)
			bobJID := bob.s.JID()

			// Block mode: the error comes back as a stanza.Error.
			_, err := alice.s.SendIQ(ctx, newIQ(stanza.IQGet, bobJID, nsUnknown, "query"))
			if !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
				t.Fatalf("unknown IQ get: err = %v, want service-unavailable", err)
			}
			var se stanza.Error
			if errors.As(err, &se) && se.Type != stanza.Cancel {
				t.Errorf("error type %q, want cancel", se.Type)
			}

			// Passthru: count every stanza carrying the request's id. Bob
			// answers in order, so by the time the reply to a later echo
			// request arrives (through the same ordered handlers), any second
			// answer to the first request would have arrived too.
			var replies atomic.Int32
			var id1 atomic.Value
			id1.Store("")
			alice.s.HandleDirect(nil, func(_ context.Context, in *xmpp.Incoming) error {
				if in.Element.Get("id") == id1.Load().(string) {
					replies.Add(1)
					if in.Element.Get("type") != "error" {
						t.Errorf("answer %v, want an error", in.Element)
					}
					return xmpp.Handled
				}
				return nil
			})
			id, err := alice.s.SendIQPassthru(ctx, newIQ(stanza.IQSet, bobJID, nsUnknown, "query"), nil)
			if err != nil {
				t.Fatal(err)
			}
			id1.Store(id)
			got := make(inbox, 1)
			if _, err := alice.s.SendIQPassthru(ctx, echoIQ(bobJID, "after"), got.handler()); err != nil {
				t.Fatal(err)
			}
			got.next(t, "echo reply", nil)
			if n := replies.Load(); n != 1 {
				t.Errorf("%d answers to the unknown IQ set, want exactly 1", n)
			}
		})
	}
}

// TestHandlerWaitsForIQ: a handler that sends an IQ and blocks for its reply
// does not deadlock the Session (replies are resolved by the reader, not by
// the busy handler goroutine). Prosody.
func TestHandlerWaitsForIQ(t *testing.T) {
	t.Parallel()
	srv := testenv.Server(t, "prosody")
	alice, bob := login(t, srv, nil), login(t, srv, nil)
	answerEcho(alice)
	domain := jid.MustParse(srv.Domain)

	// Bob answers nsSleepy only after two nested round trips: one to the
	// server and one back to alice, who is herself waiting for bob.
	bob.s.HandleIQ(stanza.IQGet, nsSleepy, func(ctx context.Context, in *xmpp.Incoming) error {
		if _, err := in.Session.SendIQ(ctx, newIQ(stanza.IQGet, domain, nsPing, "ping")); err != nil {
			return stanza.Error{Type: stanza.Wait, Condition: stanza.InternalServerError, Text: "ping: " + err.Error()}
		}
		r, err := in.Session.SendIQ(ctx, echoIQ(in.IQ.From, "nested"))
		if err != nil {
			return stanza.Error{Type: stanza.Wait, Condition: stanza.InternalServerError, Text: "echo: " + err.Error()}
		}
		return in.Reply(ctx, xmlstream.New(nsSleepy, "done").SetAttr("n", r.Payload().Get("n")))
	})
	reply, err := alice.s.SendIQ(testCtx(t), newIQ(stanza.IQGet, bob.s.JID(), nsSleepy, "q"))
	if err != nil {
		t.Fatalf("nested IQ: %v", err)
	}
	if p := reply.Payload(); p == nil || p.Name.Local != "done" || p.Get("n") != "nested" {
		t.Errorf("reply payload %v, want <done n='nested'/>", p)
	}
}
