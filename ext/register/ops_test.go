package register

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// fakeSender is an IQSender that records what it is asked to send and
// answers with a scripted reply iq (given as XML) or error.
type fakeSender struct {
	reply string // XML of the answer, with id 'x'; "" for an empty result
	err   error
	bare  bool // return an error reply as the error only, without the iq
	sent  []string
}

func (f *fakeSender) SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error) {
	iq.ID = "x"
	f.sent = append(f.sent, string(iq.AppendXML(nil)))
	if f.err != nil {
		return stanza.IQ{}, f.err
	}
	s := f.reply
	if s == "" {
		s = `<iq type='result' id='x'/>`
	}
	el, err := parseIQ(s)
	if err != nil {
		return stanza.IQ{}, err
	}
	reply, err := stanza.IQFromElement(el)
	if err != nil {
		return stanza.IQ{}, err
	}
	if reply.Type == stanza.IQError {
		// The Session's contract: an error reply is returned as the error,
		// with the reply.
		e, _ := reply.Error()
		if f.bare {
			return stanza.IQ{}, e
		}
		return reply, e
	}
	return reply, nil
}

// rawSender hands error replies back as iqs, which the operations accept too.
type rawSender struct{ fakeSender }

func (r *rawSender) SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error) {
	el, err := parseIQ(r.reply)
	if err != nil {
		return stanza.IQ{}, err
	}
	return stanza.IQFromElement(el)
}

func TestRequest(t *testing.T) {
	s := &fakeSender{reply: jabberd2Fields}
	q, err := Request(context.Background(), s, jidZero)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Field{{"username", ""}, {"password", ""}}; !reflect.DeepEqual(q.Legacy, want) {
		t.Errorf("Legacy = %v", q.Legacy)
	}
	if want := []string{`<iq id='x' type='get'><query xmlns='jabber:iq:register'/></iq>`}; !reflect.DeepEqual(s.sent, want) {
		t.Errorf("sent %q", s.sent)
	}

	// A server without in-band registration (XEP-0077 §3.1).
	s = &fakeSender{reply: `<iq type='error' id='x'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`}
	if _, err := Request(context.Background(), s, jidZero); !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Errorf("err = %v", err)
	}
	// A result without the query.
	if _, err := Request(context.Background(), &fakeSender{}, jidZero); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty result: err = %v", err)
	}
}

func TestSubmitErrors(t *testing.T) {
	tests := []struct {
		reply string
		is    error
	}{
		// jabberd2 for a taken name (jabberd2.md §6).
		0: {`<iq xmlns='jabber:client' id='x' type='error'><error type='cancel' code='409'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, ErrConflict},
		// XEP-0077 §3.1 example, with the request echoed.
		1: {`<iq type='error' id='x'><query xmlns='jabber:iq:register'><username>bill</username></query><error code='406' type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, ErrNotAcceptable},
		// A pre-XMPP server with only the legacy code (XEP-0086).
		2: {`<iq type='error' id='x'><error code='409'>Username Not Available</error></iq>`, ErrConflict},
		3: {`<iq type='result' id='x'/>`, nil},
	}
	for i, tt := range tests {
		for _, s := range []IQSender{&fakeSender{reply: tt.reply}, &fakeSender{reply: tt.reply, bare: true}, &rawSender{fakeSender{reply: tt.reply}}} {
			err := Submit(context.Background(), s, jidZero, map[string]string{"username": "bill", "password": "pw"})
			if tt.is == nil && err != nil || tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%d %T: err = %v, want %v", i, s, err, tt.is)
			}
			if tt.is == ErrConflict && errors.Is(err, ErrNotAcceptable) {
				t.Errorf("%d: conflict also matches not-acceptable", i)
			}
		}
	}
}

func TestSubmitForm(t *testing.T) {
	q, err := ParseQuery(queryOf(t, prosodyFields))
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSender{}
	// Incomplete: refused before sending.
	err = SubmitForm(context.Background(), s, jidZero, q.Form)
	var verr *form.ValidationError
	if !errors.As(err, &verr) || len(s.sent) != 0 {
		t.Fatalf("err = %v, sent %q", err, s.sent)
	}
	q.Form.Set("username", "frank")
	q.Form.Set("password", "pw")
	if err := SubmitForm(context.Background(), s, jidZero, q.Form); err != nil {
		t.Fatal(err)
	}
	want := `<iq id='x' type='set'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>` +
		`<field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field>` +
		`<field var='username' type='text-single'><value>frank</value></field>` +
		`<field var='password' type='text-private'><value>pw</value></field></x></query></iq>`
	if len(s.sent) != 1 || s.sent[0] != want {
		t.Errorf("sent %q\nwant %q", s.sent, want)
	}
}

func TestChangePassword(t *testing.T) {
	server := jid.MustParse("localhost")
	s := &fakeSender{}
	if err := ChangePassword(context.Background(), s, server, "alice", "n3w"); err != nil {
		t.Fatal(err)
	}
	want := []string{`<iq to='localhost' id='x' type='set'><query xmlns='jabber:iq:register'><username>alice</username><password>n3w</password></query></iq>`}
	if !reflect.DeepEqual(s.sent, want) {
		t.Errorf("sent %q", s.sent)
	}

	s = &fakeSender{}
	if err := ChangePassword(context.Background(), s, server, "alice", ""); !errors.Is(err, ErrEmptyPassword) || len(s.sent) != 0 {
		t.Errorf("empty password: err %v, sent %q", err, s.sent)
	}

	// XEP-0077 §3.3: not-authorized when the channel is not safe enough.
	s = &fakeSender{reply: `<iq type='error' id='x'><error code='401' type='modify'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`}
	err := ChangePassword(context.Background(), s, server, "alice", "n3w")
	if !errors.Is(err, stanza.Error{Type: stanza.Modify, Condition: stanza.NotAuthorized}) {
		t.Errorf("err = %v", err)
	}
	// The context error is passed through.
	s = &fakeSender{err: context.DeadlineExceeded}
	if err := ChangePassword(context.Background(), s, server, "alice", "n3w"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	userRemoved := stanza.StreamError{Condition: stanza.StreamConflict, Text: "User removed"}
	tests := []struct {
		name  string
		reply string
		err   error
		ok    bool
	}{
		0: {"prosody answers", "", nil, true},
		1: {"ejabberd's conflict close, its answer missed", "", userRemoved, true},
		2: {"xep0077 not-authorized close, wrapped", "", fmt.Errorf("session closed: %w", stanza.StreamError{Condition: stanza.StreamNotAuthorized}), true},
		3: {"pointer stream error", "", &stanza.StreamError{Condition: stanza.StreamConflict}, true},
		4: {"other stream error", "", stanza.StreamError{Condition: stanza.StreamSystemShutdown}, false},
		5: {"closed without stream error", "", io.EOF, false},
		6: {"timeout", "", context.DeadlineExceeded, false},
		7: {"not allowed", `<iq type='error' id='x'><error code='405' type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, nil, false},
		8: {"nil pointer stream error", "", (*stanza.StreamError)(nil), false},
	}
	for i, tt := range tests {
		s := &fakeSender{reply: tt.reply, err: tt.err}
		err := Cancel(context.Background(), s, jidZero)
		if (err == nil) != tt.ok {
			t.Errorf("%d %s: err = %v, want ok=%v", i, tt.name, err, tt.ok)
		}
		if !tt.ok && tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("%d %s: err %v does not wrap %v", i, tt.name, err, tt.err)
		}
		want := `<iq id='x' type='set'><query xmlns='jabber:iq:register'><remove/></query></iq>`
		if len(s.sent) != 1 || s.sent[0] != want {
			t.Errorf("%d: sent %q", i, s.sent)
		}
	}
	if RemovedByStreamClose(nil) {
		t.Error("RemovedByStreamClose(nil) = true")
	}
}

// changePasswordFormError is XEP-0077 §3.3's "Server Returns Password
// Change Form With Error".
const changePasswordFormError = `<iq type='error' from='shakespeare.lit' to='bill@shakespeare.lit/globe' id='x'>
  <query xmlns='jabber:iq:register'>
    <x xmlns='jabber:x:data' type='form'>
      <title>Password Change</title>
      <instructions>Use this form to change your password.</instructions>
      <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register:changepassword</value></field>
      <field type='text-single' label='Username' var='username'><required/></field>
      <field type='text-private' label='Old Password' var='old_password'><required/></field>
      <field type='text-private' label='New Password' var='password'><required/></field>
    </x>
  </query>
  <error code='401' type='modify'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
</iq>`

func TestFormError(t *testing.T) {
	server := jid.MustParse("shakespeare.lit")
	for _, s := range []IQSender{&fakeSender{reply: changePasswordFormError}, &rawSender{fakeSender{reply: changePasswordFormError}}} {
		err := ChangePassword(context.Background(), s, server, "bill", "groundlings")
		var fe *FormError
		if !errors.As(err, &fe) || !errors.Is(err, stanza.Error{Condition: stanza.NotAuthorized}) {
			t.Fatalf("%T: err = %v, want *FormError wrapping not-authorized", s, err)
		}
		if fe.Form.FormType() != FormTypeChangePassword || fe.Form.Field("old_password") == nil {
			t.Fatalf("form %#v", fe.Form)
		}
		fe.Form.Set("username", "bill")
		fe.Form.Set("old_password", "theglobe")
		fe.Form.Set("password", "groundlings")
		f := &fakeSender{}
		if err := SubmitForm(context.Background(), f, server, fe.Form); err != nil {
			t.Fatal(err)
		}
		want := `<iq to='shakespeare.lit' id='x' type='set'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>` +
			`<field var='FORM_TYPE' type='hidden'><value>jabber:iq:register:changepassword</value></field>` +
			`<field var='username' type='text-single'><value>bill</value></field>` +
			`<field var='old_password' type='text-private'><value>theglobe</value></field>` +
			`<field var='password' type='text-private'><value>groundlings</value></field></x></query></iq>`
		if len(f.sent) != 1 || f.sent[0] != want {
			t.Errorf("sent %q\nwant %q", f.sent, want)
		}
	}
	// Without the reply iq there is no form: the plain stanza error.
	s := &fakeSender{reply: changePasswordFormError, bare: true}
	err := ChangePassword(context.Background(), s, server, "bill", "groundlings")
	var fe *FormError
	if errors.As(err, &fe) || !errors.Is(err, stanza.Error{Condition: stanza.NotAuthorized}) {
		t.Errorf("bare sender: err = %v", err)
	}
	if want := "stanza error: modify not-authorized (the host sent a form to fill in)"; (&FormError{Err: stanza.Error{Type: stanza.Modify, Condition: stanza.NotAuthorized}}).Error() != want {
		t.Errorf("FormError.Error mismatch")
	}
}
