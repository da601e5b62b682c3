package muc

import (
	"context"
	"errors"
	"fmt"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of XEP-0045 (§19.1).
const (
	NS      = "http://jabber.org/protocol/muc"
	NSUser  = NS + "#user"
	NSOwner = NS + "#owner"
)

// ErrLeft is returned by Room methods after Leave.
var ErrLeft = errors.New("muc: left the room")

// Room is a room this Session has joined, as the occupant Occupant
// (room@service/nick).
type Room struct {
	Occupant jid.JID
	// Created is true when the join created the room (status 201,
	// XEP-0045 §10.1.1); Join then unlocked it as an instant room.
	Created bool

	s       *xmpp.Session
	mu      sync.Mutex
	waiting map[string]chan error // message id → reflection or error
	remove  func()
	left    bool
}

// Join enters the room of occupant (room@service/nick) without history
// (XEP-0045 §7.2.14: maxstanzas='0') and waits for the room to confirm with
// the occupant's own presence. A room the join created is unlocked as an
// instant room (§10.1.2) before Join returns. A refusal (nickname taken,
// members only, ...) comes back as a stanza.Error.
func Join(ctx context.Context, s *xmpp.Session, occupant jid.JID) (*Room, error) {
	if occupant.Resourcepart() == "" || occupant.Localpart() == "" {
		return nil, fmt.Errorf("muc: %v is not room@service/nick", occupant)
	}
	r := &Room{Occupant: occupant, s: s, waiting: make(map[string]chan error)}
	joined := make(chan error, 1)
	rmPresence := s.HandleStanza(stanza.KindPresence, func(ctx context.Context, in *xmpp.Incoming) error {
		p := *in.Presence
		if p.From != occupant {
			return nil
		}
		switch p.Type {
		case stanza.PresenceError:
			e, _ := p.Error()
			trySend(joined, e)
		case stanza.PresenceAvailable:
			if x := p.El.Child(NSUser, "x"); x != nil {
				for st := range x.Children() {
					if st.Name.Local == "status" && st.Get("code") == "201" {
						r.mu.Lock()
						r.Created = true
						r.mu.Unlock()
					}
				}
			}
			trySend(joined, nil)
		}
		return nil
	})
	rmMessage := s.HandleStanza(stanza.KindMessage, r.reflected)
	r.remove = func() { rmPresence(); rmMessage() }
	join := stanza.NewPresence(stanza.PresenceAvailable, occupant)
	x := xmlstream.New(NS, "x")
	x.AddChild(NS, "history").SetAttr("maxstanzas", "0")
	join.AddPayload(x)
	if err := s.Send(ctx, join); err != nil {
		r.remove()
		return nil, err
	}
	if err := wait(ctx, s, joined); err != nil {
		r.remove()
		return nil, err
	}
	r.mu.Lock()
	created := r.Created
	r.mu.Unlock()
	if created {
		q := xmlstream.New(NSOwner, "query")
		q.AddChild("jabber:x:data", "x").SetAttr("type", "submit")
		if _, err := s.SendIQ(ctx, stanza.NewIQ(stanza.IQSet, occupant.Bare(), q)); err != nil {
			r.Leave(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("muc: unlocking the new room %v: %w", occupant.Bare(), err)
		}
	}
	return r, nil
}

// reflected completes a Send when the room reflects its message (or
// answers it with an error).
func (r *Room) reflected(ctx context.Context, in *xmpp.Incoming) error {
	if in.Message.From.Bare() != r.Occupant.Bare() {
		return nil
	}
	r.mu.Lock()
	c := r.waiting[in.Message.ID]
	delete(r.waiting, in.Message.ID)
	r.mu.Unlock()
	if c == nil {
		return nil
	}
	if e, ok := in.Message.Error(); ok {
		c <- e
	} else {
		c <- nil
	}
	return xmpp.Handled
}

// Send posts body to the room as a groupchat message and waits until the
// room reflects it to its occupants, this one included (XEP-0045 §7.4).
func (r *Room) Send(ctx context.Context, body string) error {
	m := stanza.NewMessage(stanza.MessageGroupchat, r.Occupant.Bare())
	m.AddBody("", body)
	return r.SendMessage(ctx, m)
}

// SendMessage posts m (type groupchat, to the room, an id set if empty) and
// waits for its reflection.
func (r *Room) SendMessage(ctx context.Context, m stanza.Message) error {
	m.Type, m.To = stanza.MessageGroupchat, r.Occupant.Bare()
	if m.ID == "" {
		m.ID = xmpp.NewID()
	}
	c := make(chan error, 1)
	r.mu.Lock()
	if r.left {
		r.mu.Unlock()
		return ErrLeft
	}
	r.waiting[m.ID] = c
	r.mu.Unlock()
	if err := r.s.Send(ctx, m); err != nil {
		r.mu.Lock()
		delete(r.waiting, m.ID)
		r.mu.Unlock()
		return err
	}
	return wait(ctx, r.s, c)
}

// Leave exits the room with unavailable presence (XEP-0045 §7.14).
func (r *Room) Leave(ctx context.Context) error {
	r.mu.Lock()
	if r.left {
		r.mu.Unlock()
		return nil
	}
	r.left = true
	r.mu.Unlock()
	r.remove()
	return r.s.Send(ctx, stanza.NewPresence(stanza.PresenceUnavailable, r.Occupant))
}

func trySend(c chan error, err error) {
	select {
	case c <- err:
	default:
	}
}

// wait waits for a result on c, the end of ctx or of the Session.
func wait(ctx context.Context, s *xmpp.Session, c chan error) error {
	select {
	case err := <-c:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-s.Done():
		if err := s.Err(); err != nil {
			return err
		}
		return xmpp.ErrClosed
	}
}
