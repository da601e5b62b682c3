package ping

import (
	"context"
	"errors"
	"fmt"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// ErrLinkDead is the cause given to Session.Disconnect when a keepalive
// ping got no answer within Config.Timeout.
var ErrLinkDead = errors.New("ping: no answer to a keepalive ping: link dead")

// Config tunes the extension. A nil *Config means every default: answer
// pings, no keepalive.
type Config struct {
	// Interval is the time between keepalive pings (XEP-0199 §6). Default
	// 0: no keepalive.
	Interval time.Duration
	// Timeout bounds the wait for the answer to a keepalive ping; without
	// one the link is declared dead. Default 30 s.
	Timeout time.Duration
	// To is the entity the keepalive pings. Default: the domain of the
	// Session's JID, the server (XEP-0199 §4.2).
	To jid.JID
	// OnPing, when set, observes each keepalive round trip: the time and
	// the error (nil, a stanza.Error, or ErrLinkDead). It runs on the
	// keepalive's goroutine and must not block.
	OnPing func(rtt time.Duration, err error)
}

// Extension answers pings and runs the optional keepalive. Add it with
// Session.Add; removing it stops the keepalive.
type Extension struct {
	cfg Config
}

// New returns the extension configured by cfg (nil for the defaults).
func New(cfg *Config) *Extension {
	e := &Extension{}
	if cfg != nil {
		e.cfg = *cfg
	}
	if e.cfg.Timeout <= 0 {
		e.cfg.Timeout = 30 * time.Second
	}
	return e
}

// Register implements xmpp.Extension.
func (e *Extension) Register(r *xmpp.Registrar) error {
	r.Feature(NS)
	r.HandleIQ(stanza.IQGet, NS, func(ctx context.Context, in *xmpp.Incoming) error {
		in.Reply(ctx, nil) // XEP-0199 §4.2: an empty result
		return xmpp.Handled
	})
	if e.cfg.Interval > 0 {
		s := r.Session()
		r.OnRemove(s.Every(e.cfg.Interval, func(ctx context.Context) { e.keepalive(ctx, s) }))
	}
	return nil
}

// keepalive sends one ping and drops the link when it goes unanswered.
func (e *Extension) keepalive(ctx context.Context, s *xmpp.Session) {
	if s.State() != xmpp.StateReady {
		return // reconnecting: nothing to test
	}
	to := e.cfg.To
	if to.IsZero() {
		to = s.JID().Domain()
	}
	pctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	rtt, err := Ping(pctx, s, to)
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		err = fmt.Errorf("%w (%v to %v)", ErrLinkDead, e.cfg.Timeout, to)
		s.Disconnect(err)
	case errors.As(err, new(stanza.Error)):
		// Answered, if only with an error: the link works.
	default:
		return // the stream dropped or the Session ended meanwhile
	}
	if e.cfg.OnPing != nil {
		e.cfg.OnPing(rtt, err)
	}
}
