package client

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/xmlstream"
)

// NSChannelBinding is the XEP-0440 stream feature listing the channel
// binding types the server supports.
const NSChannelBinding = "urn:xmpp:sasl-cb:0"

// offeredMechanisms lists the <mechanism/> names of the SASL feature
// (RFC 6120 §6.4.1), in the server's order.
func offeredMechanisms(w *wire) []string {
	m := w.feature(sasl.NS, "mechanisms")
	if m == nil {
		return nil
	}
	var out []string
	for e := range m.Children() {
		if e.Name.Local == "mechanism" && e.Name.Space == sasl.NS {
			if s := strings.TrimSpace(e.Text()); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// serverBindingTypes lists the XEP-0440 channel binding types, nil when the
// server does not advertise the feature.
func serverBindingTypes(w *wire) []string {
	f := w.feature(NSChannelBinding, "sasl-channel-binding")
	if f == nil {
		return nil
	}
	var out []string
	for e := range f.Children() {
		if e.Name.Local == "channel-binding" {
			out = append(out, e.Get("type"))
		}
	}
	return out
}

// channelBinding picks the binding data to offer (RFC 5056, XEP-0440):
// with the XEP-0440 list, our strongest type the server lists; without it,
// tls-unique (TLS 1.2), the only type Prosody 0.12 and ejabberd 23.01 know.
// When the server offers no -PLUS mechanism at all, any type we could
// produce is returned so that the SCRAM GS2 header says "y" (we could bind,
// the server seems not to: a stripped -PLUS offer is then detected).
func channelBinding(st *tls.ConnectionState, offered, serverTypes []string) *sasl.ChannelBinding {
	if st == nil {
		return nil
	}
	plus := slices.ContainsFunc(offered, func(m string) bool { return strings.HasSuffix(m, "-PLUS") })
	var try []string
	switch {
	case !plus:
		try = []string{sasl.BindingTLSExporter, sasl.BindingTLSUnique}
	case serverTypes != nil:
		for _, t := range []string{sasl.BindingTLSExporter, sasl.BindingTLSServerEndPoint, sasl.BindingTLSUnique} {
			if slices.Contains(serverTypes, t) {
				try = append(try, t)
			}
		}
	default:
		try = []string{sasl.BindingTLSUnique}
	}
	for _, t := range try {
		if cb, err := sasl.ChannelBindingFor(st, t); err == nil && cb != nil && cb.Type == t {
			return cb
		}
	}
	return nil
}

// authenticate runs SASL (RFC 6120 §6.4) with the mechanism sasl.Select
// picks from the offer, and returns its name.
func (c *Connector) authenticate(ctx context.Context, w *wire, st *tls.ConnectionState) (string, error) {
	offered := offeredMechanisms(w)
	if len(offered) == 0 {
		return "", w.fail(StepSASL, ErrNoAuthMethod)
	}
	var cfg sasl.Config
	if c.cfg.SASL != nil {
		cfg = *c.cfg.SASL
	}
	cfg.TLS = st != nil
	if cfg.ChannelBinding == nil {
		cfg.ChannelBinding = channelBinding(st, offered, serverBindingTypes(w))
	}
	if cfg.ServerTypes == nil {
		cfg.ServerTypes = serverBindingTypes(w)
	}
	if cfg.Host == "" {
		cfg.Host = w.domain // DIGEST-MD5 digest-uri xmpp/domain (jabberd2)
	}
	creds := sasl.Credentials{Username: c.jid.Localpart(), Password: c.cfg.Password}
	mech, err := sasl.Select(offered, creds, &cfg)
	if err != nil {
		return "", w.fail(StepSASL, xmpp.Permanent(err))
	}
	c.log(w.t).Debug("client: SASL", "mechanism", mech.Name(), "offered", offered)
	return mech.Name(), c.exchange(ctx, w, mech)
}

// exchange drives one SASL exchange (RFC 6120 §6.4.2-§6.4.6): <auth/> with
// the base64 initial response ("=" for an empty one), a <response/> per
// <challenge/>, and the additional data of <success/> verified by the
// mechanism. A local error aborts with <abort/> (§6.4.4). A <failure/> is a
// *sasl.Failure, permanent unless temporary-auth-failure.
func (c *Connector) exchange(ctx context.Context, w *wire, mech sasl.Mechanism) error {
	initial, err := mech.Start()
	if err != nil {
		return w.fail(StepSASL, xmpp.Permanent(err))
	}
	auth := xmlstream.New(sasl.NS, "auth").SetAttr("mechanism", mech.Name())
	if initial != nil {
		auth.AddText(encode64(initial))
	}
	if err := w.send(ctx, StepSASL, auth); err != nil {
		return err
	}
	for {
		e, err := w.element(ctx, StepSASL)
		if err != nil {
			return err
		}
		if e.Name.Space != sasl.NS {
			return w.fail(StepSASL, errors.Join(ErrProtocol, errors.New("unexpected "+e.Name.String()+" during SASL")))
		}
		switch e.Name.Local {
		case "challenge":
			data, err := decode64(e.Text())
			if err == nil {
				var resp []byte
				if resp, err = mech.Next(data); err == nil {
					r := xmlstream.New(sasl.NS, "response")
					if len(resp) > 0 {
						r.AddText(encode64(resp))
					}
					if err := w.send(ctx, StepSASL, r); err != nil {
						return err
					}
					continue
				}
			}
			return c.abort(ctx, w, err)
		case "success":
			data, err := decode64(e.Text())
			if err == nil {
				err = mech.Verify(data)
			}
			if err != nil {
				// The server did not prove itself: never trust the stream.
				return w.fail(StepSASL, xmpp.Permanent(err))
			}
			return nil
		case "failure":
			f := saslFailure(e)
			if f.Temporary() {
				return w.fail(StepSASL, f)
			}
			return w.fail(StepSASL, xmpp.Permanent(f))
		}
		return w.fail(StepSASL, errors.Join(ErrProtocol, errors.New("unexpected <"+e.Name.Local+"/> during SASL")))
	}
}

// abort sends <abort/> after a local error (RFC 6120 §6.4.4) and returns
// that error; the connection is closed by the caller.
func (c *Connector) abort(ctx context.Context, w *wire, cause error) error {
	_ = w.send(ctx, StepSASL, xmlstream.New(sasl.NS, "abort"))
	return w.fail(StepSASL, xmpp.Permanent(cause))
}

// saslFailure reads <failure/> (RFC 6120 §6.4.5): the condition is its first
// child element other than <text/>.
func saslFailure(e *xmlstream.Element) *sasl.Failure {
	f := &sasl.Failure{}
	for c := range e.Children() {
		if c.Name.Local == "text" {
			if f.Text == "" {
				f.Text = c.Text()
			}
		} else if f.Condition == "" {
			f.Condition = c.Name.Local
		}
	}
	return f
}

// encode64 is the XMPP SASL encoding (RFC 6120 §6.4.2): standard base64,
// with "=" for an empty value.
func encode64(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}

// decode64 decodes challenge and success data; "" and "=" are empty
// (RFC 6120 §6.4.3, §6.4.6). Bad base64 is incorrect-encoding (§6.5.5).
func decode64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "=" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.Join(ErrProtocol, errors.New("SASL data is not base64"))
	}
	return b, nil
}
