package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/ext/register"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/stanza"
)

// TestRealAccountLifecycle follows an account made by in-band registration
// (XEP-0077) through its whole life with the library, on every server:
// register (§3.1), log in, change the password (§3.3; a server that asks
// for more with a data form gets it filled and submitted), log out; the old
// password then fails with not-authorized and the new one works; cancel the
// registration (§3.2; Cancel also counts the stream close some servers
// answer with); logging in then fails with not-authorized, and the name can
// be registered again, which only a removed account allows (§3.1: a taken
// name is a conflict).
func TestRealAccountLifecycle(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			user, oldPass, newPass := "life"+randHex(5), "old-"+randHex(6), "new-"+randHex(6)
			l := login{srv: srv, acct: testenv.Account{Local: user, JID: user + "@" + srv.Domain, Password: oldPass}}
			domain := jid.MustParse(srv.Domain)
			registerNew := func() error {
				return retryJabberd2(t, srv, func() error {
					return client.Register(context.Background(), domain, l.config(srv.Addr, false), fillUserPass(user, oldPass))
				})
			}
			if err := registerNew(); err != nil {
				t.Fatalf("register %s: %v", l.acct.JID, err)
			}

			s := l.session(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := register.ChangePassword(ctx, s, s.JID().Domain(), s.JID().Localpart(), newPass)
			var fe *register.FormError
			if errors.As(err, &fe) {
				t.Logf("%s wants the change-password form (XEP-0077 §3.3): %v", name, err)
				err = submitForm(ctx, s, fe.Form, map[string]string{"username": user, "old_password": oldPass, "password": newPass})
			}
			if err != nil {
				t.Fatalf("change password: %v", err)
			}
			s.Close()

			l.wantNotAuthorized(t, "old password after the change")
			l.acct.Password = newPass
			s = l.session(t)
			me, rec := s.JID(), &iqRecorder{s: s}
			if err := register.Cancel(ctx, rec, jid.JID{}); err != nil {
				var fe *register.FormError
				if !errors.As(err, &fe) {
					t.Fatalf("cancel: %v", err)
				}
				t.Logf("%s wants the cancel form (XEP-0077 §3.2): %v", name, err)
				if err := submitForm(ctx, rec, fe.Form, map[string]string{"username": user, "password": newPass}); err != nil && !register.RemovedByStreamClose(err) {
					t.Fatalf("cancel with the form: %v", err)
				}
			}
			select {
			case <-s.Done():
			case <-ctx.Done():
				t.Fatal("the server kept the session of the removed account")
			}
			want := cancelEnds[name]
			var wantFrom jid.JID // no from: the server itself (RFC 6120 §8.1.2.1)
			if want.fromSelf {
				wantFrom = me
			}
			if rec.err != nil || rec.reply.Type != stanza.IQResult || rec.reply.From != wantFrom {
				t.Errorf("remove answered %v from %q (err %v), want a result from %q", rec.reply.Type, rec.reply.From, rec.err, wantFrom)
			}
			var se stanza.StreamError
			switch gotSE := errors.As(s.Err(), &se); {
			case want.streamErr == "" && gotSE:
				t.Errorf("session ended with %v, want a close without stream error", s.Err())
			case want.streamErr != "" && (!gotSE || se.Condition != want.streamErr):
				t.Errorf("session ended with %v, want stream error %s", s.Err(), want.streamErr)
			}
			s.Close()

			l.wantNotAuthorized(t, "login after the cancellation")
			if err := registerNew(); err != nil {
				t.Errorf("registering %s again after the cancellation: %v (the account was not removed)", user, err)
			}
		})
	}
}

// cancelEnds is how each server confirms the cancellation of the logged-in
// account (XEP-0077 §3.2), as seen on the rig. All three answer the iq with
// a result and then end the session: Prosody with the not-authorized stream
// error §3.2 says a server SHOULD send ("Account deleted"); ejabberd 23.01
// with conflict ("User removed"), its result coming from the account's own
// full JID (mod_register routes it from the requester to the requester,
// which RFC 6120 §8.1.2.1 allows; the Session accepts it as the answer to a
// request without to, while a client that wants the server's address drops
// it and sees only the stream error, which register.RemovedByStreamClose
// covers); jabberd2 2.7's c2s answers and its sm then ends the session, c2s
// closing the stream without a stream error.
var cancelEnds = map[string]struct {
	fromSelf  bool                   // the result comes from the account's full JID, not without from
	streamErr stanza.StreamCondition // how the stream ended; "" = closed without one
}{
	"prosody":  {false, stanza.StreamNotAuthorized},
	"ejabberd": {true, stanza.StreamConflict},
	"jabberd2": {false, ""},
}

// iqRecorder sends through the Session and keeps the last answer, so the
// test sees how the server confirmed a request that register wraps.
type iqRecorder struct {
	s     *xmpp.Session
	reply stanza.IQ
	err   error
}

func (r *iqRecorder) SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error) {
	r.reply, r.err = r.s.SendIQ(ctx, iq)
	return r.reply, r.err
}

// session logs l's account in with client.Dial, no extensions, and closes
// the Session when the test ends.
func (l login) session(t *testing.T) *xmpp.Session {
	t.Helper()
	cfg := l.config(l.srv.Addr, false)
	cfg.Extensions = []xmpp.Extension{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var s *xmpp.Session
	err := retryJabberd2(t, l.srv, func() (err error) {
		s, err = client.Dial(ctx, jid.MustParse(l.acct.JID), cfg)
		return err
	})
	if err != nil {
		t.Fatalf("log in as %s: %v", l.acct.JID, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// wantNotAuthorized checks that logging in with l's account and password is
// refused with the SASL failure not-authorized (RFC 6120 §6.5.10), a
// permanent error of the SASL step. Each of tune, if any, adjusts the
// Config first.
func (l login) wantNotAuthorized(t *testing.T, what string, tune ...func(*client.Config) *client.Config) {
	t.Helper()
	cfg := l.config(l.srv.Addr, false)
	for _, f := range tune {
		cfg = f(cfg)
	}
	c, err := client.NewConnector(jid.MustParse(l.acct.JID), cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = retryJabberd2(t, l.srv, func() error {
		s, err := c.Connect(context.Background(), nil)
		if err == nil {
			closeStream(s)
		}
		return err
	})
	var ce *client.ConnectError
	if !errors.Is(err, &sasl.Failure{Condition: sasl.CondNotAuthorized}) || !errors.As(err, &ce) || ce.Step != client.StepSASL || !xmpp.IsPermanent(err) {
		t.Errorf("%s: err %v, want a permanent SASL not-authorized", what, err)
	}
}

// submitForm fills the fields of f named in values and sends it back to the
// server (XEP-0077 §3.2 and §3.3: the form comes with the refusal).
func submitForm(ctx context.Context, s register.IQSender, f *form.Form, values map[string]string) error {
	for name, v := range values {
		if f.Field(name) != nil {
			if err := f.Set(name, v); err != nil {
				return err
			}
		}
	}
	return register.SubmitForm(ctx, s, jid.JID{}, f)
}
