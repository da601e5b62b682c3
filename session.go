package xmpp

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// peekSize is the reader's wait buffer on TLS streams (see readStream):
// one chat message or presence fits, and an idle Session keeps only this.
const peekSize = 512

// State is where a Session is in its life.
type State uint8

const (
	StateConnecting   State = iota // the first Connect is running
	StateReady                     // a stream is up; stanzas flow
	StateDisconnected              // no stream; reconnecting, stanzas are queued
	StateClosed                    // the Session is over; Err says why
)

var stateNames = [...]string{"connecting", "ready", "disconnected", "closed"}

// String returns the state in lower case.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "invalid"
}

// Session is a live XMPP stream and everything that drives it. All methods
// are safe for concurrent use.
type Session struct {
	cfg       Config
	conn      Connector
	trace     *Trace
	mux       mux
	disco     registry  // what extensions advertise
	listeners listeners // extensions' status observers
	sm        smState   // guarded by mu
	nbuf      []byte    // nonza encode buffer, guarded by mu

	// Lifecycle: ctx is cancelled by Close or when the Session ends;
	// wg counts the reader and dispatcher goroutines.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	done   chan struct{}

	// Guarded by mu: the current stream, the state, the queue of stanzas
	// waiting for a stream, the error that ended the Session. Writes take
	// the bytes appended to wbuf in order, one write at a time (writer.go),
	// so stanzas leave in the order Send was called and never interleave. The one-byte fields come last, next to
	// the reader's below, so that they pack without padding (the Session
	// then fits the allocator's 1 KiB size class).
	mu             sync.Mutex
	st             *Stream
	queue          []*xmlstream.Element
	err            error
	wbuf           []byte  // encoded, waiting for the flusher (writer.go)
	w              *writer // write-behind state, made at the first write
	wguard         writeGuard
	dropCause      error // why the current stream is dropped (Disconnect, a dead link, a failed write)
	jid            jid.JID
	streamID       string
	ns             string // content namespace of the last stream
	outbound       func(*xmlstream.Element) (*xmlstream.Element, error)
	state          State
	closing        bool
	forceReconnect bool // set by Reconnect until a stream is attached: reconnect once even without Config.Reconnect, queueing meanwhile
	sentEnd        bool

	// Owned by the reader (or by Process in manual mode): the buffer an
	// idle TLS stream is read into (see readStream), and whether handlers
	// run inline (manual mode).
	peek   [peekSize]byte
	inline bool

	// Owned by the goroutine that connects (NewSession, then the reader):
	// the see-other-host redirects followed in a row (Config.MaxRedirects)
	// and when the current stream was attached.
	redirects int
	upAt      time.Time

	// Guarded by imu: IQ requests waiting for their reply, by id.
	imu     sync.Mutex
	pending map[string]*Pending
	// Owned by whichever goroutine dispatches (the dispatcher, or Process
	// in manual mode; never both): the handler chain buffer.
	chainBuf []*entry

	// Guarded by dmu: stanzas waiting for handlers and whether the
	// dispatcher goroutine runs.
	dmu      sync.Mutex
	dcond    *sync.Cond
	dq       []*xmlstream.Element
	drunning bool
	dwaiting bool // the reader waits in enqueue for room

	peerClosed atomic.Bool  // the peer sent </stream:stream>
	recvAt     atomic.Int64 // unix nanoseconds of the last read, for keepalives
	closedCh   chan struct{}
}

// NewSession connects through c and returns a Session whose stream is ready.
// Unless cfg.Manual is set it starts the reader goroutine; Close (or the end
// of the stream) stops it. The first connection is not retried: its error is
// returned as it is, so a wrong password or an unreachable server is
// reported at once.
func NewSession(ctx context.Context, c Connector, cfg *Config) (*Session, error) {
	s := &Session{
		cfg:      cfg.withDefaults(),
		conn:     c,
		pending:  make(map[string]*Pending),
		done:     make(chan struct{}),
		closedCh: make(chan struct{}),
	}
	s.dcond = sync.NewCond(&s.dmu)
	s.sm.cfg = s.cfg.SM.withDefaults()
	s.trace = NewTrace(s.cfg.OnSend, s.cfg.OnReceive, s.fanout, s.cfg.Logger)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var removes []func()
	undo := func() {
		for i := len(removes) - 1; i >= 0; i-- {
			removes[i]()
		}
	}
	for _, ext := range s.cfg.Extensions {
		remove, err := s.Add(ext)
		if err != nil {
			undo()
			s.cancel()
			return nil, err
		}
		removes = append(removes, remove)
	}
	st, err := s.connect(ctx)
	if err != nil {
		undo()
		s.cancel()
		return nil, err
	}
	s.mu.Lock()
	evs, _ := s.attach(st)
	s.mu.Unlock()
	s.emit(evs)
	if !s.cfg.Manual {
		s.wg.Add(1)
		go s.run(st)
	}
	return s, nil
}

// connect runs the Connector for the first stream, following see-other-host
// redirects (followRedirect; RFC 6120 §4.9.3.19) with ctx bounding the
// waits between them.
func (s *Session) connect(ctx context.Context) (*Stream, error) {
	for {
		st, err := s.conn.Connect(ctx, s.trace)
		if err == nil {
			return st, nil
		}
		host, ok := seeOtherHost(err)
		if !ok {
			return nil, err
		}
		wait, err := s.followRedirect(host, err, s.redirectBackoff())
		if err != nil {
			return nil, err
		}
		if !sleepCtx(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}

// attach makes st the current stream: it completes or gives up a stream
// management resumption, enables stream management, and flushes the queue.
// s.mu is held; the returned events are emitted by the caller after
// unlocking. When the old session could not be resumed, stale is non-nil
// and the caller fails the pending IQs sent on it: those whose id is not
// in stale.keep were in flight on the dropped stream, while those still
// queued (and now sent) keep waiting for their replies.
func (s *Session) attach(st *Stream) (evs []Event, stale *staleRequests) {
	s.st = st
	s.state = StateReady
	s.forceReconnect = false // a requested reconnect is over
	s.upAt = time.Now()
	s.jid = st.JID
	s.ns = st.Namespace
	s.outbound = st.Outbound
	if st.Header != nil {
		s.streamID = st.Header.ID
	}
	s.peerClosed.Store(false)
	s.recvAt.Store(time.Now().UnixNano())
	evs, failPending := s.smStart(st)
	keepFeatures(st)
	if failPending {
		stale = &staleRequests{keep: make(map[string]bool)}
		for _, e := range s.queue {
			if e.Name.Local == "iq" {
				stale.keep[e.Get("id")] = true
			}
		}
	}
	resumed := st.SM != nil && st.SM.Resumed
	if !resumed {
		evs = append(evs, Event{Status: StatusReady, JID: st.JID, StreamID: s.streamID})
	}
	if !s.smHolding() {
		s.flushQueue(st)
	}
	return evs, stale
}

// flushQueue writes the stanzas that waited for st, in order. s.mu is held.
func (s *Session) flushQueue(st *Stream) {
	if !s.writable(st) {
		// Our closing tag is written (Close, before the answer to
		// <enable/> came): they stay queued, for PurgeQueue.
		return
	}
	q := s.queue
	s.queue = nil
	for i, e := range q {
		if err := s.writeLocked(s.ctx, st, e); err != nil && !s.sm.tracking {
			// The stream broke while flushing: keep what was not written
			// for the next stream; the reader will see the failure.
			s.queue = append(q[i:i:i], q[i:]...)
			break
		}
	}
}

// staleRequests names the pending IQs to keep when the others are failed.
type staleRequests struct{ keep map[string]bool }

// emit reports events; never called with s.mu held.
func (s *Session) emit(evs []Event) {
	for _, e := range evs {
		s.trace.Emit(e)
	}
}

func (s *Session) lastRecv() time.Time {
	return time.Unix(0, s.recvAt.Load())
}

// JID returns the address the current (or last) stream was bound to.
func (s *Session) JID() jid.JID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jid
}

// StreamID returns the peer's id of the current (or last) stream.
func (s *Session) StreamID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streamID
}

// State returns the Session's current state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Err returns the error that ended the Session, or nil while it runs. After
// a Close without any failure it is ErrClosed.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Done is closed when the Session has ended and its goroutines are gone.
func (s *Session) Done() <-chan struct{} { return s.done }

// Run blocks until the Session ends and returns the error that ended it
// (nil after Close). Cancelling ctx closes the Session.
func (s *Session) Run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	<-s.done
	err := s.Err()
	if errors.Is(err, ErrClosed) {
		return nil
	}
	return err
}
