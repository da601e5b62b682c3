package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

func minimalLib(sm bool) lib {
	l := lib{key: "minimal", name: "minimal client",
		how:         "raw TLS, SCRAM-SHA-256 (no -PLUS), bind; fmt.Appendf writes; bytes.Index count of </message> (floor)",
		callerReads: true,
		dial: func(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error) {
			return dialMinimal(ctx, p, a, onChat, sm)
		},
		connector: func(p params, a xmppraw.Account) func(ctx context.Context) (string, func(), error) {
			return func(ctx context.Context) (string, func(), error) {
				c, err := xmppraw.Dial(ctx, p.env.Addr, p.env.Domain, p.tls, a, minimalMech)
				if err != nil {
					return "", nil, err
				}
				return c.Mech, func() { c.Close() }, nil
			}
		}}
	if sm {
		l.key, l.name = "minimal-sm", "minimal client, SM on"
		l.how = "as above, plus <enable/> (XEP-0198) after bind; each <r/> answered 10 ms later (Parley's default AckDelay) " +
			"with the count then, one <a/> for all the <r/> of that time: the least stream management asks of a client " +
			"(no copies kept, no <r/> of its own; a last <a/> before its closing tag); the floor for the Parley row"
	}
	return l
}

// minimalMech is what the minimal client logs in with: the SCRAM variant
// Parley picks on this Prosody, so that first connects compare alike.
var minimalMech = "SCRAM-SHA-256"

type minimalSession struct {
	c   *xmppraw.Conn
	mu  sync.Mutex
	buf []byte
}

func dialMinimal(ctx context.Context, p params, a xmppraw.Account, onChat func(), sm bool) (session, error) {
	c, err := xmppraw.Dial(ctx, p.env.Addr, p.env.Domain, p.tls, a, minimalMech)
	if err != nil {
		return nil, err
	}
	count := c.Count
	if sm {
		if err := c.EnableSM(); err != nil {
			c.Close()
			return nil, err
		}
		count = func(pattern []byte, more func(int) bool) error {
			// Answering at once would cost this floor a write and a
			// read per batch (Prosody asks again as soon as it is
			// answered): about twice the CPU per message in one run.
			return c.CountSM(pattern, 10*time.Millisecond, more)
		}
	}
	// The reader counts </message> end tags: the floor of "receiving" (the
	// other libraries parse and check every message).
	go func() {
		last := 0
		count([]byte("</message>"), func(n int) bool {
			if onChat != nil {
				for ; last < n; last++ {
					onChat()
				}
			}
			return true
		})
	}()
	return &minimalSession{c: c}, nil
}

func (m *minimalSession) jid() string { return m.c.JID }

func (m *minimalSession) send(ctx context.Context, to string, seq int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buf = fmt.Appendf(m.buf[:0], "<message to='%s' type='chat' id='m%d'><body>%s</body><no-store xmlns='%s'/></message>",
		to, seq, wantBody, nsHints)
	_, err := m.c.Write(m.buf)
	return err
}

func (m *minimalSession) close() error { return m.c.Close() }
