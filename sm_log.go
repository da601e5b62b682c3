package xmpp

import (
	"errors"
	"fmt"
	"math"

	"parley.dev/xmpp/xmlstream"
)

// sentLog keeps the stanzas sent on a stream-managed session until the
// server acknowledges them (XEP-0198 §4), in wire form: the bytes written
// for each, without a piggybacked <a/> or <r/> and without a transport
// envelope. Keeping bytes instead of elements lets Send encode a stanza
// straight into the write buffer with stream management on, and costs one
// copy per stanza into a buffer that is reused, instead of an element tree
// per stanza that lives until the ack. Elements are rebuilt only when the
// application asks for the stanzas of a session that could not be resumed.
//
// Stanza i (0 = oldest kept) is buf[from(i):ends[head+i]]. Guarded by
// Session.mu, like the rest of smState.
type sentLog struct {
	buf   []byte
	ends  []int  // end offset in buf of every stanza added since the last compaction
	head  int    // ends[head] ends the oldest stanza still kept
	start int    // where the oldest kept stanza begins
	ns    string // the content namespace the stanzas were encoded for
}

// keepLogCap is the capacity an emptied log keeps for the next stanzas; a
// larger buffer (after a burst) is released, so an idle session holds
// little.
const keepLogCap = 4 << 10

// len returns the number of stanzas kept.
func (l *sentLog) len() int { return len(l.ends) - l.head }

// add keeps a copy of one stanza's bytes as the newest.
func (l *sentLog) add(b []byte) {
	l.buf = append(l.buf, b...)
	l.ends = append(l.ends, len(l.buf))
}

// item returns the bytes of stanza i, oldest first. They stay valid until
// the next add, drop or take.
func (l *sentLog) item(i int) []byte {
	from := l.start
	if i > 0 {
		from = l.ends[l.head+i-1]
	}
	return l.buf[from:l.ends[l.head+i]]
}

// drop forgets the n oldest stanzas (n <= len), which the server
// acknowledged. The space they held is reclaimed once it is at least half
// of the buffer, so the log's work per stanza stays constant.
func (l *sentLog) drop(n int) {
	if n <= 0 {
		return
	}
	l.head += n
	if l.head == len(l.ends) {
		l.reset()
		return
	}
	l.start = l.ends[l.head-1]
	if l.start < len(l.buf)/2 {
		return
	}
	// Compact: move the kept tail to the front.
	kept := copy(l.buf, l.buf[l.start:])
	l.buf = l.buf[:kept]
	m := copy(l.ends, l.ends[l.head:])
	l.ends = l.ends[:m]
	for i := range l.ends {
		l.ends[i] -= l.start
	}
	l.head, l.start = 0, 0
}

// reset empties the log, keeping a small buffer for reuse.
func (l *sentLog) reset() {
	if cap(l.buf) > keepLogCap {
		l.buf, l.ends = nil, nil
	} else {
		l.buf, l.ends = l.buf[:0], l.ends[:0]
	}
	l.head, l.start = 0, 0
}

// take moves the kept stanzas into a new log, which it returns, and empties
// l; a resumption resends from the returned log while l records the resent
// stanzas again.
func (l *sentLog) take() sentLog {
	out := *l
	*l = sentLog{}
	return out
}

// elements rebuilds the kept stanzas as elements in the stream's content
// namespace ns. The bytes are Parley's own encoding, which always parses
// back to the element it came from; no limits apply, since nothing here
// came from the peer. An error would be a bug in the encoder; it is
// returned (with the stanzas that did parse) so that it is not silent.
func (l *sentLog) elements(ns string) ([]*xmlstream.Element, error) {
	out := make([]*xmlstream.Element, 0, l.len())
	var errs []error
	for i := range l.len() {
		e, err := xmlstream.Parse(l.item(i), ns, &unlimited)
		if err != nil {
			errs = append(errs, fmt.Errorf("xmpp: kept stanza %d does not parse: %w", i, err))
			continue
		}
		out = append(out, e)
	}
	return out, errors.Join(errs...)
}

// unlimited is a decoder configuration without practical limits, for
// parsing bytes Parley encoded itself.
var unlimited = xmlstream.Config{
	MaxElementBytes:   math.MaxInt32,
	MaxDepth:          math.MaxInt32,
	MaxAttrs:          math.MaxInt32,
	MaxNameBytes:      math.MaxInt32,
	MaxAttrValueBytes: math.MaxInt32,
}
