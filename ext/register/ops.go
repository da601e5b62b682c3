package register

import (
	"context"
	"errors"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// IQSender sends an iq request and waits for its answer. The Session
// satisfies it; tests use a fake.
//
// SendIQ fills in the id, sends iq and returns the matching result iq. An
// answer of type error comes back as a non-nil error that is (or wraps) a
// stanza.Error, together with the error iq itself when the sender has it
// (the Session does; it carries the data form of a FormError); the end of
// the stream while waiting comes back as an error that is, or wraps, the
// stanza.StreamError the peer sent (see RemovedByStreamClose); a done ctx
// comes back as ctx.Err().
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// Registration errors a host returns (XEP-0077 §3.1), for errors.Is. The
// Is method of stanza.Error treats their blank fields as wildcards, so they
// match whatever type, text or legacy code the host added.
var (
	// ErrConflict: the username is taken (conflict, legacy code 409).
	ErrConflict = stanza.Error{Condition: stanza.Conflict}
	// ErrNotAcceptable: a required field is missing or empty
	// (not-acceptable, legacy code 406).
	ErrNotAcceptable = stanza.Error{Condition: stanza.NotAcceptable}
)

// ErrEmptyPassword is returned by ChangePassword for an empty new password:
// a host MUST keep the old password when given an empty one (XEP-0077 §3.3),
// so the request could not do what the caller wants.
var ErrEmptyPassword = errors.New("register: empty new password")

// Request asks to for its registration fields (XEP-0077 §3.1, Net::XMPP's
// RegisterRequest) and parses the answer. A zero to means the server the
// stream is open to. An answer without a jabber:iq:register query is
// ErrMalformed.
func Request(ctx context.Context, s IQSender, to jid.JID) (*Fields, error) {
	reply, err := s.SendIQ(ctx, RequestIQ(to))
	if err != nil {
		return nil, err
	}
	if err := replyError(reply); err != nil {
		return nil, err
	}
	return ParseQuery(reply.Payload())
}

// Submit registers with to using legacy fields (XEP-0077 §3.1, Net::XMPP's
// RegisterSend); see SubmitIQ and Fields.Fill. A taken username is
// ErrConflict, a missing field ErrNotAcceptable.
func Submit(ctx context.Context, s IQSender, to jid.JID, values map[string]string) error {
	return send(ctx, s, SubmitIQ(to, values))
}

// SubmitForm registers with to by answering its data form (XEP-0077 §4);
// see SubmitFormIQ. A form that is not complete is refused before anything
// is sent, with the *form.ValidationError of form.Form.Submit.
func SubmitForm(ctx context.Context, s IQSender, to jid.JID, f *form.Form) error {
	iq, err := SubmitFormIQ(to, f)
	if err != nil {
		return err
	}
	return send(ctx, s, iq)
}

// ChangePassword changes the password of the logged-in account
// (XEP-0077 §3.3). server is the account's domain (the zero JID works with
// servers that take an address-less request as meant for themselves);
// username is the account's localpart. Send it over TLS only: the password
// is in the clear inside the stream (§3.3).
//
// A host that refuses answers bad-request, not-authorized (the channel is
// not safe enough), not-allowed or unexpected-request (§3.3), returned as a
// stanza.Error. A host that wants more data (e.g. the old password) sends a
// data form with its error: that comes back as a *FormError; fill its Form
// and send it with SubmitForm.
func ChangePassword(ctx context.Context, s IQSender, server jid.JID, username, newPassword string) error {
	if newPassword == "" {
		return ErrEmptyPassword
	}
	return send(ctx, s, ChangePasswordIQ(server, username, newPassword))
}

// Cancel cancels the registration of the sender with server
// (XEP-0077 §3.2). For the logged-in account pass the zero JID: §3.2 wants
// no to address on a cancellation sent to the home server; pass a service's
// address to unregister from that service.
//
// It returns nil when the host answers with a result, and also when the
// stream ends as RemovedByStreamClose describes, which is how some servers
// confirm: after that the session is over. Other answers come back as
// stanza.Error: bad-request, forbidden, not-allowed, registration-required,
// unexpected-request (§3.2); a host that wants more data before it
// cancels (§3.2) sends a data form, returned as a *FormError.
func Cancel(ctx context.Context, s IQSender, server jid.JID) error {
	err := send(ctx, s, RemoveIQ(server))
	if err != nil && RemovedByStreamClose(err) {
		return nil
	}
	return err
}

// RemovedByStreamClose reports whether err, returned by an IQSender for a
// pending <remove/> request, means that the account was removed.
//
// XEP-0077 §3.2 says a home server SHOULD close the sessions of a removed
// account with a not-authorized stream error, and a server may send it
// without answering the iq first. Prosody 0.12 answers, then closes with
// not-authorized; ejabberd 23.01 answers from the account's own full JID
// (which RFC 6120 §8.1.2.1 allows for a stanza the server generates), then
// closes with conflict ("User removed"), so an IQSender that takes a reply
// only from the server sees the stream error alone; jabberd2 2.7 answers,
// then closes without a stream error. So the contract is: when the stream ends
// while the remove request waits, the IQSender returns (or wraps) the
// stanza.StreamError it received, and a condition of not-authorized or
// conflict counts as success. A stream that ends without a stream error, a
// timeout, or any other condition does not: the account may still exist.
//
// A conflict can also mean that another login took over the resource at
// the same moment; a caller that must be certain can try to log in again.
func RemovedByStreamClose(err error) bool {
	var se stanza.StreamError
	if !errors.As(err, &se) {
		var p *stanza.StreamError
		if !errors.As(err, &p) || p == nil {
			return false
		}
		se = *p
	}
	return se.Condition == stanza.StreamNotAuthorized || se.Condition == stanza.StreamConflict
}

// FormError is a refusal that comes with a data form to fill in
// (XEP-0077 §3.2 and §3.3: a host that needs more information, such as the
// old password, returns a form inside the error iq). Fill Form and send it
// with SubmitForm to the same address. errors.Is and errors.As see the
// stanza.Error through Unwrap.
type FormError struct {
	// Err is the stanza error of the reply (not-allowed, not-authorized, ...).
	Err stanza.Error
	// Form is the form the host asks to be filled; its FORM_TYPE is usually
	// FormTypeCancel or FormTypeChangePassword.
	Form *form.Form
}

// Error implements the error interface.
func (e *FormError) Error() string {
	return e.Err.Error() + " (the host sent a form to fill in)"
}

// Unwrap returns the stanza error.
func (e *FormError) Unwrap() error { return e.Err }

// send sends iq and turns an error reply into an error.
func send(ctx context.Context, s IQSender, iq stanza.IQ) error {
	reply, err := s.SendIQ(ctx, iq)
	if err == nil {
		err = replyError(reply)
	}
	if err == nil {
		return nil
	}
	var se stanza.Error
	if reply.Type == stanza.IQError && errors.As(err, &se) {
		if q, perr := ParseQuery(reply.Payload()); perr == nil && q.Form != nil {
			return &FormError{Err: se, Form: q.Form}
		}
	}
	return err
}

// replyError returns the stanza.Error of a reply of type error, for a sender
// that hands error replies back as iqs instead of as errors.
func replyError(reply stanza.IQ) error {
	if reply.Type != stanza.IQError {
		return nil
	}
	if e, ok := reply.Error(); ok {
		return e
	}
	return stanza.Error{Type: stanza.Cancel, Condition: stanza.UndefinedCondition}
}
