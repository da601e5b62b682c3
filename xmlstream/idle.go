package xmlstream

import (
	"io"
	"sync"
)

// Idle memory. An XMPP stream is quiet most of its life (RFC 6120 §4.6.1
// expects connections to stay open for hours), and a server or a bot keeps
// many of them. A Decoder that has consumed all its input therefore gives
// its input buffer and its parser's scratch back to pools shared by every
// decoder in the process, and takes them again when input arrives: a burst
// of stanzas reuses one buffer and one parser throughout, and an idle
// decoder holds neither.

// readChunk is the size of the pooled input buffers: what Fill reads into
// at most when the decoder holds nothing (a larger element grows the buffer
// beyond it, and such a buffer is dropped rather than pooled).
const readChunk = 4096

// minFill is the least room Fill reads into; with less free room it
// compacts or grows the buffer first.
const minFill = 1024

var bufPool = sync.Pool{New: func() any { return new([readChunk]byte) }}

// takeBuf returns an empty pooled buffer of capacity readChunk.
func takeBuf() []byte { return bufPool.Get().(*[readChunk]byte)[:0] }

// parser returns the decoder's parser, taking one from the pool when the
// decoder released its own.
func (d *Decoder) parser() *parser {
	if d.p == nil {
		d.takeParser()
	}
	return d.p
}

func (d *Decoder) takeParser() {
	p := parserPool.Get().(*parser)
	p.cfg, p.consts = &d.cfg, d.consts
	d.p = p
}

// release gives the input buffer (which must hold nothing unconsumed) and
// the parser back to their pools. A buffer that grew beyond readChunk is
// left to the garbage collector.
func (d *Decoder) release() {
	if cap(d.buf) == readChunk {
		bufPool.Put((*[readChunk]byte)(d.buf[:readChunk]))
	}
	d.buf = nil
	if p := d.p; p != nil {
		d.p = nil
		p.release()
		p.cfg, p.consts, p.err = nil, nil, nil
		parserPool.Put(p)
	}
}

// Fill reads once from r straight into the decoder's input, sparing the
// copy Feed makes, and returns what r.Read returned. It reads at most
// readChunk (4 KiB) bytes when nothing is buffered, and otherwise into the
// free room of the buffer, compacting or growing it as needed; like Feed,
// it never consumes input itself: call Next until it returns EventNone.
// After an error Fill reads nothing and returns that *Error.
func (d *Decoder) Fill(r io.Reader) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.buf == nil {
		d.buf = takeBuf()
	}
	if cap(d.buf)-len(d.buf) < minFill {
		live := len(d.buf) - d.r
		if cap(d.buf)-live >= minFill {
			copy(d.buf, d.buf[d.r:])
			d.buf = d.buf[:live]
		} else {
			nb := make([]byte, live, max(2*cap(d.buf), live+readChunk))
			copy(nb, d.buf[d.r:])
			d.buf = nb
		}
		d.base += int64(d.r)
		d.r = 0
	}
	free := d.buf[len(d.buf):cap(d.buf)]
	n, err := r.Read(free)
	if n < 0 || n > len(free) {
		panic("xmlstream: Read returned an invalid count")
	}
	d.buf = d.buf[:len(d.buf)+n]
	return n, err
}
