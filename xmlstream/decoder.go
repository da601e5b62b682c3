package xmlstream

// Decoder turns the bytes of one side of an XML stream (RFC 6120 §4) into
// events. It does no I/O: the owner feeds it whatever bytes arrive, in
// chunks of any size (Feed, or Room and Commit to read straight into the
// decoder's buffer), and calls Next until it returns EventNone. The events,
// and the error if any, do not depend on how the input was chunked, and the
// work done is linear in the input.
//
// The events are the header (EventStreamStart), each complete top-level
// element (EventElement), each run of whitespace between them
// (EventWhitespace, reported as soon as the run starts, once however long
// it gets), and the closing tag (EventStreamEnd). Only whitespace may
// follow the closing tag.
//
// Restricted XML (RFC 6120 §11.1) is enforced: comments, processing
// instructions, DTDs and entity references other than the five predefined
// ones and character references are restricted-xml, as soon as they are
// seen. Everything else inside a top-level element (names, characters,
// UTF-8, namespaces, attributes, end tags) is checked in one pass once the
// element's bytes are complete, or fails policy-violation when a Config
// limit is crossed first. Besides the limits per element, at most
// Config.MaxAttrs namespace declarations may be in scope at once inside a
// top-level element (those of the stream header not counted), which keeps
// resolving names cheap whatever the input.
//
// A Decoder holds at most one incomplete top-level element (bounded by
// Config.MaxElementBytes) plus whatever has been fed but not yet consumed by
// Next. Once Next has consumed everything fed, the decoder hands its input
// buffer and parsing scratch back to pools shared by all decoders, so a
// decoder waiting on a quiet stream holds only its state (see idle.go). It
// is not safe for concurrent use.
type Decoder struct {
	cfg Config

	// Input: buf[r:] is fed but not yet consumed; base is the input offset
	// of buf[0] since the decoder was created or last Reset.
	buf  []byte
	r    int
	base int64

	// Stream state.
	st      dstate
	sc      scanner // pre-scan of the unit starting at buf[r]
	fresh   bool    // the unit at buf[r] has not been looked at yet
	retry   bool    // it was cut off when first looked at (see Next)
	last    int     // the length of the last top-level element (see Next)
	inSpace bool    // the last event was EventWhitespace and its run goes on
	endNext bool    // an empty-element header: EventStreamEnd comes next
	hdr     *Header
	root    []byte      // the header's qualified name, for the closing tag
	scope   []nsBinding // the header's namespace declarations
	consts  []string    // the well-known namespaces, then the header's own
	err     *Error

	// p is scratch, reused for every element while input is buffered; nil
	// while the decoder is idle (see parser and release).
	p *parser
}

type dstate uint8

const (
	stStart   dstate = iota // first bytes: byte order mark, encoding sniffing
	stDecl                  // optional XML declaration
	stProlog                // whitespace, then the header
	stHeader                // inside the header's start tag
	stStream                // between top-level elements
	stBang                  // at "<!" between top-level elements
	stElement               // inside a top-level element
	stClose                 // inside the closing stream tag
	stEnded                 // after the closing stream tag
)

// NewDecoder returns a decoder expecting a new stream (RFC 6120 §4.2): an
// optional XML declaration, then the stream header. A nil cfg means all
// defaults; cfg is copied.
func NewDecoder(cfg *Config) *Decoder {
	return &Decoder{cfg: cfg.withDefaults(), consts: wellKnown}
}

// Feed adds p to the input. It copies p, never blocks and never fails:
// errors come out of Next. Call Next until it returns EventNone after each
// Feed, so that memory stays bounded. After an error, Feed discards p.
func (d *Decoder) Feed(p []byte) {
	if d.err != nil || len(p) == 0 {
		return
	}
	if d.buf == nil && len(p) <= readChunk {
		d.buf = takeBuf()
	}
	if live := len(d.buf) - d.r; d.r > 0 && d.r >= live {
		copy(d.buf, d.buf[d.r:])
		d.buf = d.buf[:live]
		d.base += int64(d.r)
		d.r = 0
	}
	d.buf = append(d.buf, p...)
}

// Write is Feed in the form of an io.Writer; it always returns len(p), nil.
func (d *Decoder) Write(p []byte) (int, error) {
	d.Feed(p)
	return len(p), nil
}

// Buffered returns the number of bytes fed but not yet consumed.
func (d *Decoder) Buffered() int { return len(d.buf) - d.r }

// Header returns the current stream's header (RFC 6120 §4.7), or nil
// before it arrived. The same *Header is carried by EventStreamStart.
func (d *Decoder) Header() *Header { return d.hdr }

// Reset restarts the decoder for a new stream on the same connection, as
// RFC 6120 requires after STARTTLS (§5.4.3.3) and SASL (§6.4.6): it drops
// any buffered bytes, clears the error and the header, and expects an
// optional XML declaration and a new stream header. Offsets restart at 0.
func (d *Decoder) Reset() {
	d.release()
	d.r, d.base = 0, 0
	d.st, d.inSpace, d.endNext, d.fresh, d.retry, d.last = stStart, false, false, false, false, 0
	d.hdr, d.root, d.scope, d.err = nil, nil, nil, nil
	d.consts = wellKnown
}

// fail breaks the stream with an error at buf[at].
func (d *Decoder) fail(cond string, at int, msg string) (Event, error) {
	return d.broken(&Error{Condition: cond, Offset: d.base + int64(at), Msg: msg})
}

// broken makes err the decoder's permanent error and frees its buffers.
func (d *Decoder) broken(err *Error) (Event, error) {
	d.err = err
	d.release()
	d.r = 0
	return Event{}, err
}

func (d *Decoder) scanFail() (Event, error) {
	return d.fail(d.sc.cond, d.r+d.sc.at, d.sc.msg)
}

// Next returns the next event, or an Event of kind EventNone when more
// input is needed. After an error the stream is broken (RFC 6120 §4.9.1.1)
// and Next returns that *Error forever, until Reset.
func (d *Decoder) Next() (Event, error) {
	if d.err != nil {
		return Event{}, d.err
	}
	if d.endNext {
		d.endNext, d.st = false, stEnded
		return Event{Kind: EventStreamEnd}, nil
	}
	for {
		b := d.buf[d.r:]
		switch d.st {
		case stStart, stDecl, stProlog, stHeader:
			ev, err, done := d.prolog(b)
			if done {
				return ev, err
			}
		case stStream:
			i := skipSpace(b, 0)
			if i > 0 {
				d.r += i
				if !d.inSpace {
					d.inSpace = true
					return Event{Kind: EventWhitespace}, nil
				}
			}
			if i == len(b) {
				return d.none()
			}
			d.inSpace = false
			if b[i] != '<' {
				return d.fail(CondNotWellFormed, d.r, "text between top-level elements")
			}
			if i+1 == len(b) {
				return d.none()
			}
			switch b[i+1] {
			case '/':
				d.sc.start(mEndTag, false)
				d.st = stClose
			case '?':
				return d.fail(CondRestrictedXML, d.r, "processing instruction")
			case '!':
				d.st = stBang
			default:
				// The pre-scan starts (below) only if the one pass fails.
				d.st = stElement
				d.fresh = true
			}
		case stBang:
			switch hasPrefix(b, cdataOpen) {
			case -1:
				return d.fail(CondRestrictedXML, d.r, "comment, DTD or other markup declaration")
			case 0:
				return d.none()
			}
			return d.fail(CondNotWellFormed, d.r, "character data between top-level elements")
		case stElement:
			// Most units arrive whole: parse them in one pass. If the
			// unit is not all there, or is malformed, the pre-scan and
			// element below decide, from its first byte. A unit that
			// starts fewer bytes before the end of the input than the
			// last element took is probably cut off (the read ended
			// inside it): it goes to the pre-scan straight away rather
			// than through a one pass bound to fail. A unit that was cut
			// off gets the one pass once more when input has come (the
			// pre-scan of its first part has checked that part), which
			// spares finishing the pre-scan when that input completes
			// it: once, so that the work stays linear in the input.
			if d.retry || d.fresh && len(b) >= d.last {
				p := d.unitParser(b[:min(len(b), d.cfg.MaxElementBytes)])
				if n := p.prefix(); n > 0 {
					d.fresh, d.retry = false, false
					return d.element(p, n)
				}
				p.release()
			}
			first := d.fresh
			if first {
				d.sc.start(mStartTag, false)
			}
			d.fresh, d.retry = false, false
			n := d.sc.run(b, &d.cfg)
			if n <= 0 {
				if n < 0 {
					return d.scanFail()
				}
				d.retry = first
				return d.none()
			}
			p := d.unitParser(b[:n])
			if !p.element() {
				return d.broken(p.err)
			}
			return d.element(p, n)
		case stClose:
			n := d.sc.run(b, &d.cfg)
			if n <= 0 {
				if n < 0 {
					return d.scanFail()
				}
				return d.none()
			}
			j := 2 + len(d.root)
			if string(b[2:min(j, n)]) != string(d.root) || skipSpace(b, j) != n-1 {
				return d.fail(CondNotWellFormed, d.r, "end tag does not match the stream header")
			}
			d.r += n
			d.st = stEnded
			return Event{Kind: EventStreamEnd}, nil
		case stEnded:
			i := skipSpace(b, 0)
			d.r += i
			if i < len(b) {
				return d.fail(CondNotWellFormed, d.r, "content after the stream end")
			}
			return d.none()
		}
	}
}

// element returns the top-level element p parsed, the next n bytes.
func (d *Decoder) element(p *parser, n int) (Event, error) {
	e := p.freeze()
	p.trim()
	d.r += n
	d.st = stStream
	d.last = n
	return Event{Kind: EventElement, Element: e}, nil
}

// unitParser returns the parser, reset for the unit w at buf[r:] in the
// stream's namespace scope. A parser taken for this decoder holds the scope
// from takeParser or header on, so it is copied again only when trim
// dropped it.
func (d *Decoder) unitParser(w []byte) *parser {
	p := d.parser()
	if p.nsBase != len(d.scope) {
		p.reset(w, d.base+int64(d.r), d.scope)
	} else {
		p.rewind(w, d.base+int64(d.r))
	}
	return p
}

// none reports that more input is needed. When everything fed has been
// consumed, the buffer and the scratch go back to their pools (release).
func (d *Decoder) none() (Event, error) {
	if d.r == len(d.buf) {
		d.base += int64(d.r)
		d.r = 0
		d.release()
	}
	return Event{}, nil
}
