package client

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// wire is one connection during negotiation: the transport, the decoder fed
// from it and the latest stream header and features. It belongs to the
// goroutine running Connect (or Register); nothing else touches it.
type wire struct {
	raw     net.Conn // the TCP connection; deadlines are set here
	conn    net.Conn // raw, or TLS over raw, traced
	dec     *xmlstream.Decoder
	addr    string
	domain  string
	timeout time.Duration
	t       *xmpp.Trace

	header   *xmlstream.Header
	features *xmlstream.Element // nil on pre-XMPP-1.0 streams
	legacy   bool               // send a header without version (LegacyOnly)
	v1       bool               // the server's header says XMPP 1.x: features follow
	ctxBound bool               // the armed deadline is ctx's, not the step's

	out []byte // encode buffer
}

func newWire(raw net.Conn, addr, domain string, timeout time.Duration, t *xmpp.Trace) *wire {
	return &wire{
		raw:     raw,
		conn:    t.Conn(raw),
		dec:     xmlstream.NewDecoder(nil),
		addr:    addr,
		domain:  domain,
		timeout: timeout,
		t:       t,
	}
}

// fail wraps err as the *ConnectError of step.
func (w *wire) fail(step string, err error) error {
	var ce *ConnectError
	if errors.As(err, &ce) {
		return err
	}
	return &ConnectError{Step: step, Addr: w.addr, Err: err}
}

// deadline arms the step timeout (or ctx's earlier deadline) on the
// transport. Connect cancels the transport when ctx ends (watch).
func (w *wire) deadline(ctx context.Context) error {
	d := time.Now().Add(w.timeout)
	w.ctxBound = false
	if cd, ok := ctx.Deadline(); ok && !cd.After(d) {
		d, w.ctxBound = cd, true
	}
	if err := w.raw.SetDeadline(d); err != nil {
		return err
	}
	return ctx.Err() // re-checked after arming: see watch
}

// watch makes the transport fail at once when ctx ends, so that no read or
// write outlives the caller's ctx. The returned stop must be called.
func watch(ctx context.Context, raw net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
}

// ioErr turns a transport error into the cause to report: the ctx error
// when ctx ended (or its deadline was the one armed), ErrStepTimeout when
// the step deadline passed, ErrStreamClosed at EOF.
func (w *wire) ioErr(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, os.ErrDeadlineExceeded) && w.ctxBound:
		return context.DeadlineExceeded
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrStepTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrStreamClosed
	}
	return err
}

// write sends b within the step deadline.
func (w *wire) write(ctx context.Context, step string, b []byte) error {
	if err := w.deadline(ctx); err != nil {
		return w.fail(step, err)
	}
	if _, err := w.conn.Write(b); err != nil {
		return w.fail(step, w.ioErr(ctx, err))
	}
	return nil
}

// send encodes e (stanzas in jabber:client carry no xmlns) and writes it.
func (w *wire) send(ctx context.Context, step string, e *xmlstream.Element) error {
	w.out = xmlstream.AppendElement(w.out[:0], e, stanza.NSClient)
	return w.write(ctx, step, w.out)
}

// event returns the next decoder event other than whitespace, reading from
// the transport as needed, all within one step deadline.
func (w *wire) event(ctx context.Context, step string) (xmlstream.Event, error) {
	if err := w.deadline(ctx); err != nil {
		return xmlstream.Event{}, w.fail(step, err)
	}
	for {
		ev, err := w.dec.Next()
		if err != nil {
			return ev, w.fail(step, err)
		}
		switch ev.Kind {
		case xmlstream.EventWhitespace:
			continue
		case xmlstream.EventNone:
		default:
			return ev, nil
		}
		quickAck(w.raw)
		n, rerr := w.conn.Read(w.dec.Room()) // into the decoder's pooled buffer
		w.dec.Commit(n)
		if n > 0 {
			continue // decode what arrived before reporting rerr
		}
		if rerr != nil {
			return ev, w.fail(step, w.ioErr(ctx, rerr))
		}
	}
}

// element returns the next top-level element. A stream error becomes a
// stanza.StreamError, the peer's stream close ErrStreamClosed.
func (w *wire) element(ctx context.Context, step string) (*xmlstream.Element, error) {
	ev, err := w.event(ctx, step)
	if err != nil {
		return nil, err
	}
	switch ev.Kind {
	case xmlstream.EventElement:
		if ev.Element.Name == (xmlstream.Name{Space: xmlstream.NSStream, Local: "error"}) {
			return nil, w.fail(step, streamError(ev.Element))
		}
		return ev.Element, nil
	case xmlstream.EventStreamEnd:
		return nil, w.fail(step, ErrStreamClosed)
	}
	return nil, w.fail(step, errors.Join(ErrProtocol, errors.New("unexpected "+ev.Kind.String())))
}

// open sends our stream header and reads the server's header and, on an
// XMPP 1.0 stream, its features (RFC 6120 §4.3.2). Features learnt before
// are forgotten: after a restart only the new ones count (RFC 6120 §5.4.3.3,
// §6.4.6).
func (w *wire) open(ctx context.Context) error {
	w.header, w.features = nil, nil
	h := &xmlstream.Header{To: w.domain, Default: stanza.NSClient}
	if !w.legacy {
		h.Version = "1.0"
	}
	w.out = xmlstream.AppendHeader(w.out[:0], h)
	if err := w.write(ctx, StepStream, w.out); err != nil {
		return err
	}
	ev, err := w.event(ctx, StepStream)
	if err != nil {
		return err
	}
	if ev.Kind != xmlstream.EventStreamStart {
		return w.fail(StepStream, errors.Join(ErrProtocol, errors.New("expected a stream header, got "+ev.Kind.String())))
	}
	w.header = ev.Header
	w.v1 = false
	switch major, _, ok := xmlstream.ParseVersion(w.header.Version); {
	case !ok || major > 1:
		// We offered 1.0 at most: a server must not answer with more
		// (RFC 6120 §4.7.5). Tell it so (§4.9.3.25) before giving up.
		se := stanza.StreamError{Condition: stanza.StreamUnsupportedVersion,
			Text: "server answered with stream version '" + w.header.Version + "'"}
		w.out = xmlstream.AppendClose(se.AppendXML(w.out[:0]))
		w.write(ctx, StepStream, w.out) // best effort: the stream is over either way
		return w.fail(StepStream, se)
	case major == 0:
		return nil // pre-XMPP-1.0: no features (RFC 6120 §4.7.5)
	}
	w.v1 = true
	f, err := w.element(ctx, StepStream)
	if err != nil {
		return err
	}
	if f.Name != (xmlstream.Name{Space: xmlstream.NSStream, Local: "features"}) {
		return w.fail(StepStream, errors.Join(ErrProtocol, errors.New("expected <stream:features/>, got <"+f.Name.Local+"/>")))
	}
	w.features = f
	return nil
}

// restart begins a new stream on the same transport (after TLS or SASL):
// the decoder forgets everything, including buffered bytes.
func (w *wire) restart(ctx context.Context) error {
	w.dec.Reset()
	return w.open(ctx)
}

// feature returns the stream feature {space}local, or nil.
func (w *wire) feature(space, local string) *xmlstream.Element {
	if w.features == nil {
		return nil
	}
	return w.features.Child(space, local)
}

// iq sends an IQ of type typ with payload and waits for the result or error
// with the same id (RFC 6120 §8.2.3). Other elements are skipped (none are
// expected before the stream is bound); the wait is one step.
func (w *wire) iq(ctx context.Context, step, typ string, payload *xmlstream.Element) (*xmlstream.Element, error) {
	id := newID()
	iq := xmlstream.New(stanza.NSClient, "iq").SetAttr("type", typ).SetAttr("id", id)
	iq.AppendChild(payload)
	if err := w.send(ctx, step, iq); err != nil {
		return nil, err
	}
	for {
		e, err := w.element(ctx, step)
		if err != nil {
			return nil, err
		}
		if e.Name.Local != "iq" || e.Get("id") != id || !stanza.IsStanzaNS(e.Name.Space) {
			w.t.Logger().Debug("client: ignoring element during negotiation", "step", step, "element", e.Name.String())
			continue
		}
		switch e.Get("type") {
		case "result":
			return e, nil
		case "error":
			return nil, w.fail(step, iqError(e))
		}
		return nil, w.fail(step, errors.Join(ErrProtocol, errors.New("iq reply of type "+e.Get("type"))))
	}
}

// abandon closes the connection after a failed negotiation. A TLS layer
// gets its close_notify first (bounded by a short deadline): some servers
// (jabberd2 with OpenSSL) otherwise keep the error of the truncated
// session around and fail an unrelated connection with it.
func (w *wire) abandon() {
	if tc, ok := xmpp.NetConn(w.conn).(*tls.Conn); ok {
		w.raw.SetDeadline(time.Now().Add(100 * time.Millisecond))
		tc.Close()
	}
	w.raw.Close()
}

// close ends the stream politely (RFC 6120 §4.4): our closing tag, then
// whatever the server still sends up to its own, within one step. Closing
// the TCP connection first makes some servers (jabberd2) fail their own
// write and log an error.
func (w *wire) close(ctx context.Context) {
	w.out = xmlstream.AppendClose(w.out[:0])
	if w.write(ctx, StepStream, w.out) != nil {
		return
	}
	for {
		ev, err := w.event(ctx, StepStream)
		if err != nil || ev.Kind == xmlstream.EventStreamEnd {
			return
		}
	}
}

// newID returns a fresh random IQ id (crypto/rand, 64 bits in hex).
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
