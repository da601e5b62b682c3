package component

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NSRouter is the namespace of the jabberd2 router's component protocol.
const NSRouter = "http://jabberd.jabberstudio.org/ns/component/1.0"

const nsSASL = "urn:ietf:params:xml:ns:xmpp-sasl"

// BindError is the router's refusal of a <bind name=.../>: Code 403 when the
// router user may not bind that name, 409 when another connection holds it.
type BindError struct {
	Name string
	Code string
}

func (e *BindError) Error() string {
	switch e.Code {
	case "403":
		return "component: router refused to bind " + e.Name + " (403: not allowed for this user)"
	case "409":
		return "component: router refused to bind " + e.Name + " (409: name already bound)"
	}
	return "component: router refused to bind " + e.Name + " (" + e.Code + ")"
}

// Is matches ErrBindForbidden and ErrNameTaken by code.
func (e *BindError) Is(target error) bool {
	switch target {
	case ErrBindForbidden:
		return e.Code == "403"
	case ErrNameTaken:
		return e.Code == "409"
	}
	return false
}

var (
	// ErrBindForbidden matches a BindError with code 403.
	ErrBindForbidden = errors.New("component: bind not allowed")
	// ErrNameTaken matches a BindError with code 409.
	ErrNameTaken = errors.New("component: name already bound")
)

// jabberd2 authenticates to the router with DIGEST-MD5, restarts the stream
// and binds every name (jabberd2's docs/dev/component-protocol).
func (c *Connector) jabberd2(ctx context.Context, w *wire, t *xmpp.Trace) (*xmpp.Stream, error) {
	h := &xmlstream.Header{Version: "1.0"}
	if err := w.open(ctx, h); err != nil {
		return nil, fmt.Errorf("component: stream header: %w", err)
	}
	features, err := w.element(ctx)
	if err != nil {
		return nil, fmt.Errorf("component: features: %w", err)
	}
	if err := c.routerAuth(ctx, w, features); err != nil {
		return nil, err
	}
	t.Emit(xmpp.Event{Status: xmpp.StatusAuthenticated})
	w.dec.Reset()
	if err := w.open(ctx, h); err != nil {
		return nil, fmt.Errorf("component: stream restart: %w", err)
	}
	if _, err := w.element(ctx); err != nil { // the (empty) features
		return nil, fmt.Errorf("component: features after auth: %w", err)
	}
	for _, name := range c.names {
		bind := xmlstream.New(NSRouter, "bind").SetAttr("name", name)
		if err := w.write(ctx, xmlstream.AppendElement(w.out[:0], bind, "")); err != nil {
			return nil, err
		}
		e, err := w.element(ctx)
		if err != nil {
			return nil, fmt.Errorf("component: bind %s: %w", name, err)
		}
		if e.Name.Local != "bind" {
			return nil, fmt.Errorf("component: bind %s: unexpected <%s/>", name, e.Name.Local)
		}
		if code := e.Get("error"); code != "" {
			return nil, xmpp.Permanent(&BindError{Name: name, Code: code})
		}
	}
	t.Emit(xmpp.Event{Status: xmpp.StatusBound, JID: c.domain})
	st := w.stream()
	st.Namespace = stanza.NSClient
	st.Mechanism = sasl.MechDigestMD5
	st.Wrap = wrapRoute
	st.Unwrap = c.unwrapRoute(t)
	return st, nil
}

// routerAuth runs SASL DIGEST-MD5, the only mechanism the router accepts.
func (c *Connector) routerAuth(ctx context.Context, w *wire, features *xmlstream.Element) error {
	offered := false
	if mechs := features.Child(nsSASL, "mechanisms"); mechs != nil {
		for m := range mechs.Children() {
			if m.Text() == sasl.MechDigestMD5 {
				offered = true
			}
		}
	}
	if !offered {
		return errors.New("component: the router does not offer DIGEST-MD5")
	}
	user := c.cfg.User
	if user == "" {
		user = c.domain.String()
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		host = c.addr
	}
	m := sasl.DigestMD5(sasl.Credentials{Username: user, Password: c.secret}, "jabberd-router", host)
	if _, err := m.Start(); err != nil {
		return err
	}
	auth := xmlstream.New(nsSASL, "auth").SetAttr("mechanism", m.Name())
	if err := w.write(ctx, xmlstream.AppendElement(w.out[:0], auth, "")); err != nil {
		return err
	}
	for {
		e, err := w.element(ctx)
		if err != nil {
			return fmt.Errorf("component: SASL: %w", err)
		}
		data, derr := base64.StdEncoding.DecodeString(e.Text())
		if derr != nil {
			return fmt.Errorf("component: SASL: bad base64 from the router: %w", derr)
		}
		switch e.Name.Local {
		case "challenge":
			resp, err := m.Next(data)
			if err != nil {
				return err
			}
			r := xmlstream.New(nsSASL, "response").AddText(base64.StdEncoding.EncodeToString(resp))
			if err := w.write(ctx, xmlstream.AppendElement(w.out[:0], r, "")); err != nil {
				return err
			}
		case "success":
			return m.Verify(data)
		case "failure":
			f := &sasl.Failure{Text: e.ChildText(nsSASL, "text")}
			for ch := range e.Children() {
				if ch.Name.Local != "text" {
					f.Condition = ch.Name.Local
				}
			}
			return xmpp.Permanent(fmt.Errorf("component: router authentication: %w", f))
		default:
			return fmt.Errorf("component: SASL: unexpected <%s/>", e.Name.Local)
		}
	}
}

// wrapRoute writes e inside a <route/> whose to and from are the domains of
// the stanza's to and from, the router's addressing (it routes by domain).
func wrapRoute(dst []byte, e *xmlstream.Element) []byte {
	inner := *e
	inner.Name.Space = stanza.NSClient
	dst = append(dst, "<route xmlns='"+NSRouter+"'"...)
	if to := routeDomain(e.Get("to")); to != "" {
		dst = append(dst, " to='"...)
		dst = xmlstream.AppendEscapedAttr(dst, to)
		dst = append(dst, '\'')
	}
	if from := routeDomain(e.Get("from")); from != "" {
		dst = append(dst, " from='"...)
		dst = xmlstream.AppendEscapedAttr(dst, from)
		dst = append(dst, '\'')
	}
	dst = append(dst, '>')
	dst = xmlstream.AppendElement(dst, &inner, NSRouter)
	return append(dst, "</route>"...)
}

func routeDomain(addr string) string {
	if addr == "" {
		return ""
	}
	j, err := jid.Parse(addr)
	if err != nil {
		return addr
	}
	return j.Domainpart()
}

// unwrapRoute returns the stanza inside a route; the router's own presence
// (domain advertisements) and bounced routes are logged and dropped.
func (c *Connector) unwrapRoute(t *xmpp.Trace) func(*xmlstream.Element) (*xmlstream.Element, error) {
	return func(e *xmlstream.Element) (*xmlstream.Element, error) {
		if e.Name.Space != NSRouter {
			return nil, nil
		}
		switch e.Name.Local {
		case "route":
			if code := e.Get("error"); code != "" {
				t.Logger().Warn("component: the router bounced a route", "error", code, "to", e.Get("to"), "from", e.Get("from"))
				return nil, nil
			}
			return e.FirstChild(), nil
		case "presence":
			t.Logger().Debug("component: router presence", "from", e.Get("from"), "type", e.Get("type"))
		}
		return nil, nil
	}
}
