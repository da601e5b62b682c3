package ping

import (
	"context"
	"errors"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NS is the namespace of the <ping/> element and the disco feature
// (XEP-0199 §3, §8).
const NS = "urn:xmpp:ping"

// IQSender sends an iq request and waits for its answer; an error answer
// comes back as a stanza.Error. *xmpp.Session implements it.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// IQ returns the ping request to to (XEP-0199 §4.2, §4.3); a zero to
// leaves the address out. The id is left to the sender.
func IQ(to jid.JID) stanza.IQ {
	return stanza.NewIQ(stanza.IQGet, to, xmlstream.New(NS, "ping"))
}

// Ping sends a ping to to and waits for the answer or ctx, returning the
// round-trip time. When the answer is an error (service-unavailable from
// an entity that does not support ping, XEP-0199 §4.3; or
// feature-not-implemented) the round-trip time is returned with that
// stanza.Error: the entity is reachable even so.
func Ping(ctx context.Context, s IQSender, to jid.JID) (time.Duration, error) {
	start := time.Now()
	_, err := s.SendIQ(ctx, IQ(to))
	rtt := time.Since(start)
	if err != nil {
		if errors.As(err, new(stanza.Error)) {
			return rtt, err
		}
		return 0, err
	}
	return rtt, nil
}
