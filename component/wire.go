package component

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// ErrStepTimeout is the cause when the server stays silent for longer than
// Config.StepTimeout during negotiation.
var ErrStepTimeout = errors.New("component: negotiation step timed out")

// wire is the connection while it is being negotiated; it belongs to the
// goroutine running Connect.
type wire struct {
	raw     net.Conn
	conn    net.Conn // traced
	dec     *xmlstream.Decoder
	timeout time.Duration
	out     []byte
	header  *xmlstream.Header
}

// step arms the step deadline (or ctx's earlier one).
func (w *wire) step(ctx context.Context) {
	d := time.Now().Add(w.timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	w.raw.SetDeadline(d)
}

func (w *wire) ioErr(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrStepTimeout
	case errors.Is(err, io.EOF):
		return io.ErrUnexpectedEOF
	}
	return err
}

func (w *wire) write(ctx context.Context, b []byte) error {
	w.step(ctx)
	if _, err := w.conn.Write(b); err != nil {
		return w.ioErr(ctx, err)
	}
	return nil
}

// open sends a stream header and reads the server's.
func (w *wire) open(ctx context.Context, h *xmlstream.Header) error {
	if err := w.write(ctx, xmlstream.AppendHeader(w.out[:0], h)); err != nil {
		return err
	}
	ev, err := w.next(ctx)
	if err != nil {
		return err
	}
	if ev.Kind != xmlstream.EventStreamStart {
		return fmt.Errorf("component: expected a stream header, got %v", ev.Kind)
	}
	w.header = ev.Header
	return nil
}

// element returns the next top-level element; a stream error becomes a
// stanza.StreamError, the peer's close io.ErrUnexpectedEOF.
func (w *wire) element(ctx context.Context) (*xmlstream.Element, error) {
	ev, err := w.next(ctx)
	if err != nil {
		return nil, err
	}
	if ev.Kind != xmlstream.EventElement {
		return nil, io.ErrUnexpectedEOF
	}
	e := ev.Element
	if e.Name.Space == xmlstream.NSStream && e.Name.Local == "error" {
		se, _ := stanza.StreamErrorFromElement(e)
		return nil, se
	}
	return e, nil
}

// next returns the next decoder event other than whitespace.
func (w *wire) next(ctx context.Context) (xmlstream.Event, error) {
	w.step(ctx)
	for {
		ev, err := w.dec.Next()
		if err != nil {
			return ev, err
		}
		switch ev.Kind {
		case xmlstream.EventWhitespace:
			continue
		case xmlstream.EventNone:
		default:
			return ev, nil
		}
		n, rerr := w.conn.Read(w.dec.Room())
		w.dec.Commit(n)
		if n > 0 {
			continue
		}
		if rerr != nil {
			return ev, w.ioErr(ctx, rerr)
		}
	}
}

// stream hands the negotiated connection to the Session: the deadline is
// cleared, the Session sets its own.
func (w *wire) stream() *xmpp.Stream {
	w.raw.SetDeadline(time.Time{})
	return &xmpp.Stream{Conn: w.conn, Decoder: w.dec, Header: w.header}
}
