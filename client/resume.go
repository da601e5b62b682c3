package client

import (
	"context"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// StepResume is the XEP-0198 §5 resumption step, tried after authentication
// instead of resource binding when the Session has a session to resume.
const StepResume = "resume"

// smIO lets xmpp.ResumeSM speak over the negotiation wire.
type smIO struct{ w *wire }

func (a smIO) SendElement(ctx context.Context, e *xmlstream.Element) error {
	return a.w.send(ctx, StepResume, e)
}

func (a smIO) NextElement(ctx context.Context) (*xmlstream.Element, error) {
	return a.w.element(ctx, StepResume)
}

// resume tries the Session's stream management resumption request, if any
// (Trace.StreamManagement). It returns the result to put in Stream.SM (nil
// when nothing was attempted) and the previously bound JID when resumed.
func (c *Connector) resume(ctx context.Context, w *wire) (*xmpp.SMResult, jid.JID, error) {
	c.mu.Lock()
	bound := c.bound
	c.mu.Unlock()
	req := w.t.StreamManagement()
	if req == nil || bound.IsZero() {
		return nil, jid.JID{}, nil
	}
	res, err := xmpp.ResumeSM(ctx, smIO{w}, w.features, req)
	if err != nil || res == nil || !res.Resumed {
		return res, jid.JID{}, err
	}
	return res, bound, nil
}
