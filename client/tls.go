package client

import (
	"context"
	"crypto/tls"
	"errors"
	"os"
	"strconv"

	"parley.dev/xmpp/xmlstream"
)

// NSTLS is the namespace of the STARTTLS negotiation (RFC 6120 §5.4).
const NSTLS = "urn:ietf:params:xml:ns:xmpp-tls"

// handshake runs the TLS client handshake over the raw transport, within
// one step, and re-wraps the traced connection around it. The certificate
// is checked against the JID's domain (Connector.tlsConfig), never the host
// that was dialed.
func (c *Connector) handshake(ctx context.Context, w *wire, direct bool) (*tls.ConnectionState, error) {
	if c.cfg.InsecureSkipTLSVerify {
		c.log(w.t).Warn("client: TLS certificate verification is OFF (InsecureSkipTLSVerify): the connection is not authenticated", "addr", w.addr, "domain", w.domain)
	}
	tc := tls.Client(w.raw, c.tlsConfig(direct))
	hctx, cancel := context.WithTimeout(ctx, c.cfg.StepTimeout)
	defer cancel()
	if err := w.deadline(ctx); err != nil {
		return nil, w.fail(StepTLS, err)
	}
	if err := tc.HandshakeContext(hctx); err != nil {
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case errors.Is(err, os.ErrDeadlineExceeded) && w.ctxBound:
			err = context.DeadlineExceeded
		case hctx.Err() != nil, errors.Is(err, os.ErrDeadlineExceeded):
			err = errors.Join(ErrStepTimeout, err)
		}
		return nil, w.fail(StepTLS, err)
	}
	w.conn = w.t.Conn(tc)
	st := tc.ConnectionState()
	c.log(w.t).Debug("client: TLS established", "addr", w.addr, "version", tls.VersionName(st.Version), "cipher", tls.CipherSuiteName(st.CipherSuite))
	return &st, nil
}

// startTLS negotiates STARTTLS on the current stream (RFC 6120 §5.4.2) and
// the handshake; the caller restarts the stream. When the features offer
// no <starttls/>, it returns nil state and nil error if plaintext is allowed,
// else ErrTLSRequired.
func (c *Connector) startTLS(ctx context.Context, w *wire) (*tls.ConnectionState, error) {
	if w.feature(NSTLS, "starttls") == nil {
		if c.cfg.AllowPlaintext {
			c.log(w.t).Warn("client: continuing WITHOUT TLS (AllowPlaintext): the server offers no STARTTLS", "addr", w.addr)
			return nil, nil
		}
		return nil, w.fail(StepStartTLS, ErrTLSRequired)
	}
	if err := w.send(ctx, StepStartTLS, xmlstream.New(NSTLS, "starttls")); err != nil {
		return nil, err
	}
	e, err := w.element(ctx, StepStartTLS)
	if err != nil {
		return nil, err
	}
	switch {
	case e.Name == xmlstream.Name{Space: NSTLS, Local: "proceed"}:
	case e.Name == xmlstream.Name{Space: NSTLS, Local: "failure"}:
		return nil, w.fail(StepStartTLS, ErrTLSRefused)
	default:
		return nil, w.fail(StepStartTLS, errors.Join(ErrProtocol, errors.New("expected <proceed/>, got "+e.Name.String())))
	}
	// RFC 6120 §5.4.3.3: nothing may follow <proceed/> in plaintext. Bytes
	// already read past it would otherwise be taken as if they came over
	// TLS (the STARTTLS command-injection attack).
	if n := w.dec.Buffered(); n > 0 {
		return nil, w.fail(StepStartTLS, errors.Join(ErrDataAfterProceed, errors.New(strconv.Itoa(n)+" bytes")))
	}
	return c.handshake(ctx, w, false)
}
