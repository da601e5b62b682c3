package soak

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// soakSize is the number of messages: a short run in `make test`, the full
// 10,000 with PARLEY_SOAK=1 (`make soak`).
func soakSize() int {
	if os.Getenv("PARLEY_SOAK") != "" {
		return 10000
	}
	return 2000
}

// sendRate paces the sender so that the random cuts (every 200-500 ms)
// land all through the run, whatever the server's speed: at 400 messages/s
// the short run lasts about 5 s and the full one about 25 s.
const sendRate = 400

// maxInFlight keeps the sender this far ahead of the receiver at most, below
// Prosody's 500-stanza stream management queue (smacks_max_queue_size), so
// the test measures the client and not that server limit.
const maxInFlight = 200

type party struct {
	s      *xmpp.Session
	events sync.Map // Status -> *atomic.Int64

	// wire records, in write order, the soak ids this party wrote and the
	// stream they went out on (a counter bumped at every new stream), so a
	// failure shows whether the client or the server reordered.
	wmu    sync.Mutex
	wire   []string
	stream atomic.Int64
}

var soakIDs = regexp.MustCompile(`id='soak-(\d+)'`)

func (p *party) sent(chunk []byte) { p.record(chunk) }

// record notes the soak ids in a chunk that crossed the wire (written by
// alice, read by bob).
func (p *party) record(chunk []byte) {
	ms := soakIDs.FindAllSubmatch(chunk, -1)
	if len(ms) == 0 {
		return
	}
	p.wmu.Lock()
	defer p.wmu.Unlock()
	for _, m := range ms {
		p.wire = append(p.wire, fmt.Sprintf("%s@%d", m[1], p.stream.Load()))
	}
}

// wireAround returns the wire record around the first write of id.
func (p *party) wireAround(id int) string {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	key := fmt.Sprintf("%05d@", id)
	for i, w := range p.wire {
		if strings.HasPrefix(w, key) {
			lo, hi := max(0, i-8), min(len(p.wire), i+12)
			return strings.Join(p.wire[lo:hi], " ")
		}
	}
	return "(not found)"
}

func (p *party) count(st xmpp.Status) int64 {
	v, _ := p.events.LoadOrStore(st, new(atomic.Int64))
	return v.(*atomic.Int64).Load()
}

func dial(t *testing.T, srv *testenv.ServerInfo, acct testenv.Account, proxy string, onReady func(*xmpp.Session)) *party {
	t.Helper()
	p := &party{}
	var sess atomic.Pointer[xmpp.Session]
	cfg := &client.Config{
		Password:    acct.Password,
		Server:      proxy,
		TLSConfig:   srv.TLSConfig(),
		Resource:    "soak",
		StepTimeout: 5 * time.Second,
		Session: &xmpp.Config{
			Reconnect: &xmpp.Backoff{Min: 20 * time.Millisecond, Max: 300 * time.Millisecond},
			SM: &xmpp.StreamManagement{
				AckEvery:   10,
				AckAfter:   100 * time.Millisecond,
				AckTimeout: 3 * time.Second,
				KeepAlive:  5 * time.Second,
			},
			OnSend:    p.sent,
			OnReceive: p.record,
			OnEvent: func(e xmpp.Event) {
				if e.Status == xmpp.StatusConnected {
					p.stream.Add(1)
				}
				v, _ := p.events.LoadOrStore(e.Status, new(atomic.Int64))
				v.(*atomic.Int64).Add(1)
				if e.Status == xmpp.StatusResumeFailed {
					t.Logf("%s: resumption failed (%d stanzas handed back): %v", acct.JID, e.Unacked, e.Err)
				}
				if e.Status == xmpp.StatusReady && onReady != nil {
					if s := sess.Load(); s != nil {
						go onReady(s) // a new session (not a resumption)
					}
				}
			},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var s *xmpp.Session
	var err error
	for attempt := 0; attempt < 20; attempt++ { // the proxy may cut the first login too
		s, err = client.Dial(ctx, jid.MustParse(acct.JID), cfg)
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("dial %s: %v", acct.JID, err)
	}
	sess.Store(s)
	p.s = s
	t.Cleanup(func() { s.Close() })
	if onReady != nil {
		onReady(s)
	}
	return p
}

// resend sends again the stanzas of a session that could not be resumed:
// the Session hands them back (StatusResumeFailed) and this application's
// policy is to resend them.
func resend(s *xmpp.Session) {
	for _, e := range s.Unacknowledged() {
		s.SendElement(context.Background(), e)
	}
}

// soakServers are the servers the soak runs against. `make test` runs
// Prosody only. Under load, ejabberd 23.01 sometimes puts one sender's
// stanzas on the recipient's stream out of order (caught by the wire
// records below: alice wrote 347-358 in order on one stream, bob read 346,
// 351-353, 347-350, 354 on one stream, no reconnect between), which this
// test's in-order check cannot tell from a client bug without them. Until
// the check separates server reordering from ours, the ejabberd variant
// runs in `make soak` (PARLEY_SOAK=1) and with PARLEY_SOAK_EJABBERD=1.
func soakServers() []string {
	if os.Getenv("PARLEY_SOAK") != "" || os.Getenv("PARLEY_SOAK_EJABBERD") != "" {
		return []string{"prosody", "ejabberd"}
	}
	return []string{"prosody"}
}

func TestSoakExactlyOnceInOrder(t *testing.T) {
	for _, name := range soakServers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			soak(t, name, soakSize())
		})
	}
}

func soak(t *testing.T, name string, n int) {
	srv := testenv.Server(t, name)
	aliceAcct, bobAcct := srv.Account(t), srv.Account(t)
	pa := newCutProxy(t, srv.Addr)
	pb := newCutProxy(t, srv.Addr)

	var mu sync.Mutex
	next, dups, gaps, firstGap := 0, 0, 0, -1
	var firstProblem string
	received := make(chan struct{}, n)
	bob := dial(t, srv, bobAcct, pb.Addr(), func(s *xmpp.Session) {
		// Available presence, so messages to the bare JID reach this
		// resource; a resumed session has it restored by the server.
		s.Send(context.Background(), stanza.NewPresence(stanza.PresenceAvailable, jid.JID{}))
	})
	bob.s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		id, ok := strings.CutPrefix(in.Message.ID, "soak-")
		if !ok {
			return nil
		}
		i, _ := strconv.Atoi(id)
		mu.Lock()
		switch {
		case i == next:
			next++
			received <- struct{}{}
		case i < next:
			dups++
			if firstProblem == "" {
				firstProblem = fmt.Sprintf("duplicate %d after %d", i, next-1)
			}
		default:
			gaps++
			if firstGap < 0 {
				firstGap = next
			}
			if firstProblem == "" {
				firstProblem = fmt.Sprintf("gap: %d arrived while %d was expected", i, next)
			}
			next = i + 1
			received <- struct{}{}
		}
		mu.Unlock()
		return nil
	})
	alice := dial(t, srv, aliceAcct, pa.Addr(), nil)
	bobJID := jid.MustParse(bobAcct.JID)

	done := make(chan struct{})
	defer close(done)
	start := time.Now()
	pa.startCutting(200*time.Millisecond, 500*time.Millisecond, done)
	pb.startCutting(200*time.Millisecond, 500*time.Millisecond, done)

	deadline := time.Now().Add(time.Duration(n)*20*time.Millisecond + 2*time.Minute)
	got := 0
	for i := 0; i < n; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * time.Second / sendRate)); wait > 0 {
			time.Sleep(wait)
		}
		for i-got >= maxInFlight {
			select {
			case <-received:
				got++
			case <-time.After(100 * time.Millisecond):
				resend(alice.s)
				if time.Now().After(deadline) {
					t.Fatalf("%s: stalled at %d sent, %d received", name, i, got)
				}
			}
		}
		m := stanza.NewMessage(stanza.MessageChat, bobJID)
		m.ID = fmt.Sprintf("soak-%05d", i)
		m.AddBody("", "message "+strconv.Itoa(i))
		ctx, cancel := context.WithTimeout(context.Background(), time.Until(deadline))
		err := alice.s.Send(ctx, m)
		cancel()
		if err != nil {
			t.Fatalf("%s: send %d: %v", name, i, err)
		}
		resend(alice.s)
	}
	for got < n {
		select {
		case <-received:
			got++
		case <-time.After(100 * time.Millisecond):
			resend(alice.s)
			if time.Now().Before(deadline) {
				continue
			}
			mu.Lock()
			t.Fatalf("%s: only %d of %d arrived (next %d, dups %d, gaps %d, first problem %q); alice's writes (id@stream) around it: %s",
				name, got, n, next, dups, gaps, firstProblem, alice.wireAround(firstGap)+"; bob's reads: "+bob.wireAround(firstGap))
			mu.Unlock()
		}
	}
	elapsed := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	as, bs := alice.s.SMStats(), bob.s.SMStats()
	t.Logf("%s: %d messages in %v; cuts: alice %d, bob %d; resumptions: alice %d, bob %d; failed resumptions: alice %d, bob %d; reconnect attempts: alice %d, bob %d",
		name, n, elapsed.Round(time.Millisecond), pa.cuts.Load(), pb.cuts.Load(), as.Resumptions, bs.Resumptions, as.Failed, bs.Failed,
		alice.count(xmpp.StatusReconnecting), bob.count(xmpp.StatusReconnecting))
	if dups != 0 || gaps != 0 {
		t.Fatalf("%s: not exactly once in order: %d duplicates, %d gaps (first: %s); alice's writes (id@stream) around it: %s",
			name, dups, gaps, firstProblem, alice.wireAround(firstGap)+"; bob's reads: "+bob.wireAround(firstGap))
	}
	if pa.cuts.Load() == 0 || pb.cuts.Load() == 0 {
		t.Fatalf("%s: the proxy never cut a connection: the test proved nothing", name)
	}
}
