package main

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NSLast is the namespace of XEP-0012 Last Activity, which is also its
// service discovery feature (XEP-0012 §7).
const NSLast = "jabber:iq:last"

// LastActivity is a user-written extension: it answers XEP-0012 Last
// Activity requests sent to a full JID (§4: the idle time of that
// resource) with the seconds since the bot last handled a chat message.
// It uses nothing but the public extension mechanism: the feature it
// registers appears in disco#info answers while it is added, and removing
// it undoes everything.
type LastActivity struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex // guards last
	last   time.Time
	status string
}

func (l *LastActivity) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Touch records activity now, with a status text (may be "").
func (l *LastActivity) Touch(status string) {
	l.mu.Lock()
	l.last, l.status = l.now(), status
	l.mu.Unlock()
}

// Register implements xmpp.Extension.
func (l *LastActivity) Register(r *xmpp.Registrar) error {
	l.Touch("")
	r.Feature(NSLast)
	r.HandleIQ(stanza.IQGet, NSLast, func(ctx context.Context, in *xmpp.Incoming) error {
		l.mu.Lock()
		idle := int64(l.now().Sub(l.last) / time.Second)
		status := l.status
		l.mu.Unlock()
		q := xmlstream.New(NSLast, "query").SetAttr("seconds", strconv.FormatInt(idle, 10))
		q.AddText(status)
		if err := in.Reply(ctx, q); err != nil {
			return err
		}
		return xmpp.Handled // answered: no later handler, no automatic error
	})
	// Chat messages with a body count as activity. Returning nil passes
	// the message on to the handlers after this one.
	r.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
		if body := in.Message.Body(""); body != "" {
			l.Touch("last said: " + body)
		}
		return nil
	})
	return nil
}

// ErrNoSeconds is returned by QueryLast for an answer without a valid
// seconds attribute.
var ErrNoSeconds = errors.New("lastactivity: answer without seconds")

// IQSender is the one method of *xmpp.Session a query needs.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// QueryLast asks to how long it has been idle (XEP-0012 §4) and returns the
// idle time and status text.
func QueryLast(ctx context.Context, s IQSender, to jid.JID) (time.Duration, string, error) {
	reply, err := s.SendIQ(ctx, stanza.NewIQ(stanza.IQGet, to, xmlstream.New(NSLast, "query")))
	if err != nil {
		return 0, "", err
	}
	q := reply.Payload()
	if q == nil || q.Name.Space != NSLast {
		return 0, "", ErrNoSeconds
	}
	secs, err := strconv.ParseInt(q.Get("seconds"), 10, 64)
	if err != nil || secs < 0 {
		return 0, "", ErrNoSeconds
	}
	return time.Duration(secs) * time.Second, q.Text(), nil
}
