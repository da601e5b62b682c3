package xmpp

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"sync"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// NewID returns a fresh stanza id: 80 bits from crypto/rand, so ids can be
// neither guessed nor collide (RFC 6120 §8.1.3 asks for uniqueness; unguessable
// ids stop a peer from pre-empting a reply).
func NewID() string {
	var b [10]byte
	rand.Read(b[:])
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

// Pending is an IQ request waiting for its reply: the nonblock mode
// (Net::XMPP's ReceivedID, GetID and WaitForID).
type Pending struct {
	id   string
	to   jid.JID
	s    *Session
	done chan struct{}

	// Guarded by once/done: set before done is closed.
	once  sync.Once
	reply stanza.IQ
	err   error
}

// ID returns the request's id.
func (p *Pending) ID() string { return p.id }

// Done is closed when the reply arrived or the request failed.
func (p *Pending) Done() <-chan struct{} { return p.done }

// Received reports whether the reply (or a failure) is in (ReceivedID).
func (p *Pending) Received() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Get returns the reply if it is in (GetID). The error is a stanza.Error for
// an error reply, or why the request failed.
func (p *Pending) Get() (stanza.IQ, error, bool) {
	if !p.Received() {
		return stanza.IQ{}, nil, false
	}
	return p.reply, p.err, true
}

// Wait waits for the reply or ctx (WaitForID). An error reply is returned
// with a stanza.Error; when ctx ends first the request is forgotten and a
// late reply goes to the handlers like any untracked stanza.
func (p *Pending) Wait(ctx context.Context) (stanza.IQ, error) {
	select {
	case <-p.done:
		return p.reply, p.err
	case <-ctx.Done():
		p.Cancel()
		return stanza.IQ{}, ctx.Err()
	}
}

// Cancel forgets the request; a reply arriving later is handled as an
// untracked stanza.
func (p *Pending) Cancel() {
	p.s.imu.Lock()
	if p.s.pending[p.id] == p {
		delete(p.s.pending, p.id)
	}
	p.s.imu.Unlock()
}

func (p *Pending) finish(reply stanza.IQ, err error) {
	p.once.Do(func() {
		p.reply, p.err = reply, err
		close(p.done)
	})
}

// SendIQ sends a get or set and waits for the reply: the block mode. The id
// is replaced by a fresh one. An error reply is returned together with its
// stanza.Error; use errors.Is with a stanza.Error to test the condition.
func (s *Session) SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error) {
	p, err := s.SendIQAsync(ctx, iq)
	if err != nil {
		return stanza.IQ{}, err
	}
	return p.Wait(ctx)
}

// SendIQAsync sends a get or set and returns at once: the nonblock mode.
// The id is replaced by a fresh one. The reply is accepted only if its id,
// its type (result or error) and its sender all match the request (RFC 6120
// §8.2.3). The sender is compared as a JID, after normalisation: the
// localpart and domain case-insensitively, the resource case-sensitively.
//
//   - a request with to accepts a reply whose from is exactly that JID (a
//     request to a full JID is not answered by another resource, nor one to
//     a bare JID by a full JID);
//   - a request with to set to the account's bare JID or to its domain also
//     accepts a reply without from: only the server sends those, on behalf
//     of the account (RFC 6120 §8.1.2.1);
//   - a request without to (handled by the server for the account, RFC 6120
//     §10.3.3) accepts a reply without from, from the account's bare JID,
//     from its full JID or from its domain.
//
// Anything else is not a reply to this request (a spoof) and goes to the
// handlers as an untracked stanza, while the request keeps waiting.
func (s *Session) SendIQAsync(ctx context.Context, iq stanza.IQ) (*Pending, error) {
	if err := checkRequest(iq); err != nil {
		return nil, err
	}
	iq.ID = NewID()
	p := &Pending{id: iq.ID, to: iq.To, s: s, done: make(chan struct{})}
	s.imu.Lock()
	s.pending[p.id] = p
	s.imu.Unlock()
	s.wakeReader() // a full dispatch queue must not keep the reply unread
	if err := s.Send(ctx, iq); err != nil {
		p.Cancel()
		return nil, err
	}
	return p, nil
}

// ErrNotRequest is returned when an IQ sent to wait for its answer is not a
// get or a set: only those are answered (RFC 6120 §8.2.3). Send sends a
// result or an error.
var ErrNotRequest = errors.New("xmpp: only an iq of type get or set is a request")

func checkRequest(iq stanza.IQ) error {
	if iq.Type != stanza.IQGet && iq.Type != stanza.IQSet {
		return fmt.Errorf("%w (type %q)", ErrNotRequest, iq.Type)
	}
	return nil
}

// SendIQPassthru sends iq with a fresh id that is not tracked and returns the
// id: the passthru mode (Net::XMPP's). When h is not nil it is registered,
// before iq is written, as a one-shot handler for the first stanza carrying
// that id (see HandleID).
//
// Unlike SendIQAsync, nothing but the id is checked: h runs for the first
// stanza with the id whatever its kind, type and sender, and so does not
// know it has the reply until it looks. The id (NewID) is 80 bits from
// crypto/rand, so only an entity that saw the request (its addressee and
// the servers on its route) can send such a stanza before the reply; a
// handler that must know it got the addressee's answer checks in.IQ.From
// and in.IQ.Type itself (or the request uses SendIQAsync). A request sent
// to the Session's own full JID comes back with the id, and h runs for the
// request itself. If no stanza with the id ever arrives, h stays registered
// for the life of the Session; to be able to remove it, register it with
// HandleID and send iq with an id from NewID and Send instead.
func (s *Session) SendIQPassthru(ctx context.Context, iq stanza.IQ, h HandlerFunc) (string, error) {
	if err := checkRequest(iq); err != nil {
		return "", err
	}
	iq.ID = NewID()
	var remove func()
	if h != nil {
		remove = s.HandleID(iq.ID, h)
	}
	if err := s.Send(ctx, iq); err != nil {
		if remove != nil {
			remove()
		}
		return "", err
	}
	return iq.ID, nil
}

// resolve completes the pending request e answers, if it is a genuine reply.
func (s *Session) resolve(e *xmlstream.Element) bool {
	id := e.Get("id")
	if id == "" {
		return false
	}
	own := s.JID() // before imu: the lock order is mu, then imu
	s.imu.Lock()
	p := s.pending[id]
	if p == nil || !replyFrom(p, own, e.Get("from")) {
		s.imu.Unlock()
		if p != nil {
			s.trace.Logger().Warn("xmpp: ignoring IQ reply from an unexpected sender", "id", id, "from", e.Get("from"))
		}
		return false
	}
	delete(s.pending, id)
	s.imu.Unlock()
	iq, err := stanza.IQFromElement(e)
	if err == nil && iq.Type == stanza.IQError {
		if se, ok := iq.Error(); ok {
			err = se
		} else {
			err = stanza.Error{Type: stanza.Cancel, Condition: stanza.UndefinedCondition}
		}
	}
	p.finish(iq, err)
	return true
}

// replyFrom reports whether from may answer p (see SendIQAsync).
func replyFrom(p *Pending, own jid.JID, from string) bool {
	if from == "" {
		return p.to.IsZero() || p.to.Equal(own.Bare()) || p.to.Equal(own.Domain())
	}
	f, err := jid.Parse(from)
	if err != nil {
		return false
	}
	if p.to.IsZero() {
		return f.Equal(own.Bare()) || f.Equal(own) || f.Equal(own.Domain())
	}
	return f.Equal(p.to)
}

// failPending ends every waiting request with err.
func (s *Session) failPending(err error) {
	s.failPendingExcept(err, nil)
}

// failPendingExcept ends every waiting request whose id is not in keep.
func (s *Session) failPendingExcept(err error, keep map[string]bool) {
	s.imu.Lock()
	var failed []*Pending
	for id, p := range s.pending {
		if !keep[id] {
			failed = append(failed, p)
			delete(s.pending, id)
		}
	}
	s.imu.Unlock()
	for _, p := range failed {
		p.finish(stanza.IQ{}, err)
	}
}
