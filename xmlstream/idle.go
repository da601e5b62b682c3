package xmlstream

import "sync"

// Idle memory. An XMPP stream carries a whole session (RFC 6120 §4.1) and
// is quiet most of that time, and a server or a bot keeps many of them. A Decoder that has consumed all its input therefore gives
// its input buffer and its parser's scratch back to pools shared by every
// decoder in the process, and takes them again when input arrives: a burst
// of stanzas reuses one buffer and one parser throughout, and an idle
// decoder holds neither.

// readChunk is the size of the pooled input buffers: the most room Room
// gives when the decoder holds nothing (a larger element grows the buffer
// beyond it, and such a buffer is dropped rather than pooled).
const readChunk = 4096

// minRoom is the least room Room gives; with less free room it compacts or
// grows the buffer first.
const minRoom = 1024

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
	p.reset(nil, 0, d.scope)
	d.p = p
}

// release gives the input buffer (whose bytes are consumed, or discarded)
// and the parser back to their pools. A buffer that grew beyond readChunk is
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

// Room returns the free room at the end of the decoder's input, at least
// minRoom (1 KiB) bytes and at most readChunk (4 KiB) when nothing is
// buffered, for the owner to read into; Commit(n) then adds the first n
// bytes of it to the input. Together they are Feed without its copy:
//
//	n, err := conn.Read(d.Room())
//	d.Commit(n)
//
// Room compacts or grows the buffer as needed. The slice is valid until the
// next call of any other method.
func (d *Decoder) Room() []byte {
	if d.buf == nil {
		d.buf = takeBuf()
	}
	if cap(d.buf)-len(d.buf) < minRoom {
		live := len(d.buf) - d.r
		if cap(d.buf)-live >= minRoom {
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
	return d.buf[len(d.buf):cap(d.buf)]
}

// Commit adds the first n bytes of the slice Room returned to the input.
// Like Feed it never fails (after an error it discards them and releases
// the buffer); call Next until it returns EventNone.
func (d *Decoder) Commit(n int) {
	if n < 0 || n > cap(d.buf)-len(d.buf) {
		panic("xmlstream: Commit beyond the room")
	}
	if d.err != nil {
		d.release()
		return
	}
	d.buf = d.buf[:len(d.buf)+n]
}
