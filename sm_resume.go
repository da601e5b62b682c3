package xmpp

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NegotiationIO is a Connector's connection while it negotiates: send one
// element, read the next top-level one (a stream error comes back as a
// stanza.StreamError). It is what ResumeSM needs.
type NegotiationIO interface {
	SendElement(ctx context.Context, e *xmlstream.Element) error
	NextElement(ctx context.Context) (*xmlstream.Element, error)
}

// ErrResumeFailed is wrapped by SMResult.Failed when the server answers
// <failed/> to <resume/>; the wrapped stanza.Error carries the condition
// (item-not-found when the session expired, XEP-0198 §5).
var ErrResumeFailed = errors.New("xmpp: stream management resumption failed")

// ErrNotResumable is the cause of StatusResumeFailed when the dropped stream
// had no resumable session (the server had not confirmed <enabled/>, or
// refused resumption), so a new session was started.
var ErrNotResumable = errors.New("xmpp: the dropped stream had no resumable session")

// ResumeSM tries to resume req's session on a stream that has just been
// authenticated (XEP-0198 §5: <resume/> replaces resource binding). It
// returns nil when features does not offer stream management; otherwise a
// result that is Resumed, or that carries the failure (and the server's h
// when <failed/> has one), in which case the Connector goes on to bind a new
// resource. The error is for I/O and protocol failures only.
func ResumeSM(ctx context.Context, io NegotiationIO, features *xmlstream.Element, req *SMRequest) (*SMResult, error) {
	if req == nil || features == nil || features.Child(NSSM, "sm") == nil {
		return nil, nil
	}
	r := xmlstream.New(NSSM, "resume").
		SetAttr("previd", req.PrevID).
		SetAttr("h", strconv.FormatUint(uint64(req.H), 10))
	if err := io.SendElement(ctx, r); err != nil {
		return nil, err
	}
	e, err := io.NextElement(ctx)
	if err != nil {
		return nil, err
	}
	if e.Name.Space != NSSM {
		return nil, fmt.Errorf("xmpp: expected <resumed/> or <failed/>, got <%s/>", e.Name.Local)
	}
	res := &SMResult{}
	if hs, ok := e.Lookup("", "h"); ok {
		h, err := strconv.ParseUint(hs, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("xmpp: <%s/> with an invalid h %q", e.Name.Local, hs)
		}
		res.H, res.HasH = uint32(h), true
	}
	switch e.Name.Local {
	case "resumed":
		if !res.HasH {
			return nil, errors.New("xmpp: <resumed/> without h")
		}
		res.Resumed = true
	case "failed":
		cond := stanza.Error{Type: stanza.Cancel, Condition: stanza.UndefinedCondition}
		if se, ok := stanza.ErrorFromElement(e); ok {
			cond = se
		} else {
			for c := range e.Children() {
				if c.Name.Space == "urn:ietf:params:xml:ns:xmpp-stanzas" {
					cond.Condition = stanza.Condition(c.Name.Local)
				}
			}
		}
		res.Failed = fmt.Errorf("%w: %w", ErrResumeFailed, cond)
	default:
		return nil, fmt.Errorf("xmpp: expected <resumed/> or <failed/>, got <%s/>", e.Name.Local)
	}
	return res, nil
}
