package client

import (
	"context"
	"errors"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/register"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// FillFunc completes a registration request (Net::XMPP's RegisterRequest
// answer) before it is submitted: it sets the values of f.Legacy, or fills
// f.Form when the server sent a data form (which then takes precedence,
// XEP-0077 §6). Returning an error cancels the registration.
type FillFunc func(ctx context.Context, f *register.Fields) error

// Register creates an account on domain's server before login (XEP-0077
// §3.1, Net::XMPP's RegisterRequest + RegisterSend): it opens a stream
// (resolving, dialing and securing it as Connect does, with cfg's TLS
// settings), asks for the registration fields, lets fill complete them,
// submits them and closes the stream. Only the domainpart of domain is
// used. cfg.Password and the SASL settings play no part: the password goes
// in the fields.
//
// A taken username is a stanza error matching register.ErrConflict (409), a
// missing field register.ErrNotAcceptable (406); both are wrapped in a
// *ConnectError for StepRegister and marked permanent. A data form left
// incomplete by fill is its *form.ValidationError, before anything is sent.
//
// Log in afterwards on a new connection: jabberd2 never answers the bind
// of a login made on the stream that registered (jabberd2.md pitfall 3).
func Register(ctx context.Context, domain jid.JID, cfg *Config, fill FillFunc) error {
	return RegisterTrace(ctx, domain, cfg, fill, nil)
}

// RegisterTrace is Register reporting the connection's progress and raw
// chunks through t, which may be nil. The password is redacted from the
// chunks, as a legacy <password/> and as a data form's password field
// alike (see xmpp.Redact).
func RegisterTrace(ctx context.Context, domain jid.JID, cfg *Config, fill FillFunc, t *xmpp.Trace) error {
	if domain.IsZero() {
		return errors.New("client: Register: empty domain")
	}
	c, err := NewConnector(domain.Domain(), cfg)
	if err != nil {
		return err
	}
	c.cfg.Legacy = LegacyNever // XEP-0077 needs an XMPP 1.0 stream
	w, direct, err := c.connect(ctx, t, c.serverCandidates)
	if err != nil {
		return err
	}
	defer w.abandon()
	stop := watch(ctx, w.raw)
	defer stop()
	if _, err := c.secure(ctx, w, direct); err != nil {
		return err
	}
	res, err := w.iq(ctx, StepRegister, "get", xmlstream.New(register.NS, "query"))
	if err != nil {
		return registerErr(err)
	}
	fields, err := register.ParseQuery(res.Child(register.NS, "query"))
	if err != nil {
		return w.fail(StepRegister, err)
	}
	if err := fill(ctx, fields); err != nil {
		return w.fail(StepRegister, err)
	}
	var iq stanza.IQ
	if fields.Form != nil {
		if iq, err = register.SubmitFormIQ(jid.JID{}, fields.Form); err != nil {
			return w.fail(StepRegister, xmpp.Permanent(err))
		}
	} else {
		values := make(map[string]string, len(fields.Legacy))
		for _, f := range fields.Legacy {
			values[f.Name] = f.Value
		}
		if values, err = fields.Fill(values); err != nil {
			return w.fail(StepRegister, xmpp.Permanent(err))
		}
		iq = register.SubmitIQ(jid.JID{}, values)
	}
	if _, err := w.iq(ctx, StepRegister, "set", iq.Payload()); err != nil {
		return registerErr(err)
	}
	w.close(ctx) // best effort: the account exists
	return nil
}

// registerErr marks the refusals that retrying cannot fix as permanent.
func registerErr(err error) error {
	var ce *ConnectError
	if errors.As(err, &ce) {
		for _, target := range []error{register.ErrConflict, register.ErrNotAcceptable,
			stanza.Error{Condition: stanza.NotAllowed}, stanza.Error{Condition: stanza.Forbidden}} {
			if errors.Is(ce.Err, target) {
				ce.Err = xmpp.Permanent(ce.Err)
				break
			}
		}
	}
	return err
}
