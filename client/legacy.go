package client

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"strconv"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of non-SASL authentication (XEP-0078).
const (
	NSAuth        = "jabber:iq:auth"                     // XEP-0078 §2
	NSAuthFeature = "http://jabber.org/features/iq-auth" // XEP-0078 §4 stream feature
)

// Stream.Mechanism values for iq:auth logins.
const (
	MechLegacyDigest = "iq:auth-digest" // XEP-0078 §3.2 <digest/>
	MechLegacyPlain  = "iq:auth-plain"  // XEP-0078 §3.2 <password/>
	MechLegacyZeroK  = "iq:auth-zerok"  // jabberd 1.x zero-knowledge <hash/>
)

// legacyAuth logs in with jabber:iq:auth (XEP-0078 §3): it asks which
// fields the server wants (a get, §3.1), then sends the strongest
// credential the configuration allows (§3.2): the zero-k hash when enabled,
// else the digest sha1(stream id + password) in lower-case hex, else the
// plaintext password, which needs TLS unless AllowLegacyPlaintext. The
// resource is part of the request: there is no separate bind. A 401 or
// not-authorized answer is permanent.
func (c *Connector) legacyAuth(ctx context.Context, w *wire, account jid.JID, tlsOn bool) (jid.JID, string, error) {
	user := account.Localpart()
	resource := c.resource(account)
	if resource == "" {
		resource = "parley-" + newID()[:8] // XEP-0078 requires a resource
	}
	q := xmlstream.New(NSAuth, "query")
	q.AddChild(NSAuth, "username").AddText(user)
	res, err := w.iq(ctx, StepLegacy, "get", q)
	if err != nil {
		return jid.JID{}, "", legacyErr(err)
	}
	fields := res.Child(NSAuth, "query")
	if fields == nil {
		fields = xmlstream.New(NSAuth, "query")
	}
	set := xmlstream.New(NSAuth, "query")
	set.AddChild(NSAuth, "username").AddText(user)
	var mech string
	id := ""
	if w.header != nil {
		id = w.header.ID
	}
	switch {
	case c.cfg.LegacyZeroK && fields.Child(NSAuth, "sequence") != nil && fields.Child(NSAuth, "token") != nil:
		seq, err := strconv.Atoi(fields.ChildText(NSAuth, "sequence"))
		if err != nil || seq < 0 || seq > 10000 {
			return jid.JID{}, "", w.fail(StepLegacy, errors.Join(ErrProtocol, errors.New("bad zero-k sequence")))
		}
		set.AddChild(NSAuth, "hash").AddText(zeroK(c.cfg.Password, fields.ChildText(NSAuth, "token"), seq))
		mech = MechLegacyZeroK
	case fields.Child(NSAuth, "digest") != nil && id != "":
		set.AddChild(NSAuth, "digest").AddText(legacyDigest(id, c.cfg.Password))
		mech = MechLegacyDigest
	case fields.Child(NSAuth, "password") != nil:
		if !tlsOn && !c.cfg.AllowLegacyPlaintext {
			return jid.JID{}, "", w.fail(StepLegacy, ErrLegacyPlaintext)
		}
		set.AddChild(NSAuth, "password").AddText(c.cfg.Password)
		mech = MechLegacyPlain
	default:
		return jid.JID{}, "", w.fail(StepLegacy, ErrNoAuthMethod)
	}
	set.AddChild(NSAuth, "resource").AddText(resource)
	if _, err := w.iq(ctx, StepLegacy, "set", set); err != nil {
		return jid.JID{}, "", legacyErr(err)
	}
	full, err := account.WithResource(resource)
	if err != nil {
		return jid.JID{}, "", w.fail(StepLegacy, err)
	}
	return full, mech, nil
}

// legacyErr marks authentication refusals as permanent (jabberd2 answers a
// wrong password, and a get for an unknown user, with a bare code 401).
func legacyErr(err error) error {
	var ce *ConnectError
	if errors.As(err, &ce) && isAuthRefusal(ce.Err) {
		ce.Err = xmpp.Permanent(ce.Err)
	}
	return err
}

func isAuthRefusal(err error) bool {
	for _, c := range []stanza.Condition{stanza.NotAuthorized, stanza.Forbidden, stanza.NotAllowed, stanza.Conflict} {
		if errors.Is(err, stanza.Error{Condition: c}) {
			return true
		}
	}
	return false
}

// legacyDigest is XEP-0078 §3.2's digest: lower-case hex
// SHA1(stream id + password), with the id of the current stream header.
func legacyDigest(streamID, password string) string {
	sum := sha1.Sum([]byte(streamID + password))
	return hex.EncodeToString(sum[:])
}

// zeroK is jabberd 1.x's zero-knowledge hash (draft-proto "zerok", dropped
// before XEP-0078 was final): h = hex(sha1(hex(sha1(password)) + token)),
// then h = hex(sha1(h)) sequence times. Every intermediate value is the
// lower-case hex string, not the raw digest.
func zeroK(password, token string, sequence int) string {
	a := sha1.Sum([]byte(password))
	h := sha1.Sum([]byte(hex.EncodeToString(a[:]) + token))
	s := hex.EncodeToString(h[:])
	for range sequence {
		h = sha1.Sum([]byte(s))
		s = hex.EncodeToString(h[:])
	}
	return s
}
