package oob

import (
	"context"
	"errors"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Result is how the recipient of an offer answered (XEP-0066 §3.1).
type Result uint8

// Results of Send. The zero Result means no answer was understood (an
// error is returned with it).
const (
	Accepted Result = iota + 1 // an empty result: the data was retrieved
	Rejected                   // not-acceptable (406): the recipient refused
	NotFound                   // item-not-found (404): the URL could not be fetched
)

var resultNames = [...]string{"unknown", "accepted", "rejected", "not-found"}

// String returns "accepted", "rejected", "not-found" or "unknown".
func (r Result) String() string {
	if int(r) < len(resultNames) {
		return resultNames[r]
	}
	return "unknown"
}

// IQSender sends an iq request and waits for its answer; an error answer
// comes back as a stanza.Error. *xmpp.Session implements it.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// IQ returns the iq set offering d to to (XEP-0066 §3.1). The id is left to
// the sender.
func IQ(to jid.JID, d Data) stanza.IQ {
	return stanza.NewIQ(stanza.IQSet, to, d.Query())
}

// Send offers d to to and waits (as long as ctx allows: the recipient may
// take the time of a download) for its answer (XEP-0066 §3.1). Rejected and
// NotFound are answers, not errors; any other error answer is returned as
// its stanza.Error with the zero Result.
func Send(ctx context.Context, s IQSender, to jid.JID, d Data) (Result, error) {
	_, err := s.SendIQ(ctx, IQ(to, d))
	switch {
	case err == nil:
		return Accepted, nil
	case errors.Is(err, stanza.Error{Condition: stanza.NotAcceptable}):
		return Rejected, nil
	case errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}):
		return NotFound, nil
	}
	return 0, err
}
