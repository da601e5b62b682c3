package xmpp

import (
	"context"
	"sync/atomic"
	"testing"

	"parley.dev/xmpp/stanza"
)

// The dispatcher exits when no stanza waits: an idle Session ends up with
// the reader goroutine alone.
func TestDispatcherEndsWhenIdle(t *testing.T) {
	s, _, p := newTestSession(t, nil)
	var n atomic.Int32
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		n.Add(1)
		return nil
	})
	for round := int32(1); round <= 3; round++ {
		p.send(`<message from='bob@localhost/x' type='chat' id='a'/><message from='bob@localhost/x' type='chat' id='b'/>`)
		waitFor(t, func() bool { return n.Load() == 2*round })
		waitFor(t, func() bool {
			s.dmu.Lock()
			defer s.dmu.Unlock()
			return !s.drunning
		})
	}
}
