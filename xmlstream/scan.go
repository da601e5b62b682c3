package xmlstream

import "bytes"

// The pre-scanner finds where a top-level element (or the stream header, or
// the closing stream tag) ends, in constant state and in time linear in the
// input however it is chunked: each byte is looked at once (a few bytes of a
// "<!" or "]]>" at most a handful of times). It checks the limits that are
// cheap to check early (element bytes, depth, attribute value bytes) and
// rejects markup that restricted XML forbids (RFC 6120 §11.1) as soon as it
// appears. It does not validate anything else: once the unit is complete,
// the parser (parse.go) goes over its bytes exactly once more.
//
// For well-formed input the pre-scan is exact. For malformed input it may put
// the end somewhere else; the parser then fails on those bytes, so the
// outcome is still a function of the input alone, never of its chunking.

type scanMode uint8

const (
	mText     scanMode = iota // character data
	mLt                       // just after '<'
	mBang                     // at "<!": expecting "<![CDATA["
	mCDATA                    // inside a CDATA section
	mStartTag                 // inside a start tag, outside quotes
	mQuote                    // inside a quoted attribute value
	mEndTag                   // inside an end tag
)

const cdataOpen = "<![CDATA["

var cdataClose = []byte("]]>")

// scanner is the pre-scan state of one unit. Positions are relative to the
// unit's first byte (its '<').
type scanner struct {
	mode   scanMode
	header bool // the unit is a start tag only: complete at its '>'
	slash  bool // the last start tag was an empty-element tag
	quote  byte // the quote of the current attribute value
	depth  int  // open elements
	pos    int  // next byte to look at
	mark   int  // '<' of a pending "<!", or first byte of a quoted value

	// The failure, when run returns -1.
	cond string
	at   int
	msg  string
}

// start prepares s for a unit that begins with '<' and whose byte after it
// has already been classified: mStartTag (pos 1, depth 1) or mEndTag (pos 2).
func (s *scanner) start(mode scanMode, header bool) {
	*s = scanner{mode: mode, header: header, depth: 1, pos: 1}
	if mode == mEndTag {
		s.pos = 2
	}
}

func (s *scanner) fail(cond string, at int, msg string) int {
	s.cond, s.at, s.msg = cond, at, msg
	return -1
}

// run advances over b, the unit's bytes available so far. It returns the
// unit's length once complete, 0 when it needs more input, or -1 after
// recording a failure.
func (s *scanner) run(b []byte, c *Config) int {
	limit := c.MaxElementBytes
	w := b
	if len(w) > limit {
		w = w[:limit]
	}
	for s.pos < len(w) {
		switch s.mode {
		case mText:
			k := bytes.IndexByte(w[s.pos:], '<')
			if k < 0 {
				s.pos = len(w)
				return s.more(len(b), limit)
			}
			s.mark = s.pos + k
			s.pos += k + 1
			s.mode = mLt
		case mLt:
			switch w[s.pos] {
			case '/':
				s.mode = mEndTag
				s.pos++
			case '!':
				s.mode = mBang
			case '?':
				return s.fail(CondRestrictedXML, s.mark, "processing instruction")
			default:
				s.depth++
				if s.depth > c.MaxDepth {
					return s.fail(CondPolicyViolation, s.mark, "element nesting exceeds MaxDepth")
				}
				s.mode = mStartTag
			}
		case mBang:
			switch hasPrefix(w[s.mark:], cdataOpen) {
			case -1:
				return s.fail(CondRestrictedXML, s.mark, "comment, DTD or other markup declaration")
			case 0:
				s.pos = len(w)
				return s.more(len(b), limit)
			}
			s.pos = s.mark + len(cdataOpen)
			s.mode = mCDATA
		case mCDATA:
			k := bytes.Index(w[s.pos:], cdataClose)
			if k < 0 {
				s.pos = max(s.pos, len(w)-2)
				return s.more(len(b), limit)
			}
			s.pos += k + 3
			s.mode = mText
		case mStartTag:
			if n := s.tag(w); n != 0 {
				return n
			}
		case mQuote:
			lim := s.mark + c.MaxAttrValueBytes + 1 // the closing quote may be at mark+MaxAttrValueBytes
			end := min(len(w), lim)
			k := bytes.IndexByte(w[s.pos:end], s.quote)
			if k < 0 {
				if end == lim {
					return s.fail(CondPolicyViolation, lim-1, "attribute value exceeds MaxAttrValueBytes")
				}
				s.pos = end
				continue
			}
			s.pos += k + 1
			s.mode = mStartTag
		case mEndTag:
			k := bytes.IndexByte(w[s.pos:], '>')
			if k < 0 {
				s.pos = len(w)
				return s.more(len(b), limit)
			}
			s.pos += k + 1
			s.mode = mText
			if s.depth--; s.depth == 0 {
				return s.pos
			}
		}
	}
	return s.more(len(b), limit)
}

// tag scans a start tag up to its end or an attribute value. It returns the
// unit's length when the tag completes the unit, else 0.
func (s *scanner) tag(w []byte) int {
	for s.pos < len(w) {
		c := w[s.pos]
		s.pos++
		if c != '>' && c != '"' && c != '\'' {
			continue
		}
		if c != '>' {
			s.quote = c
			s.mark = s.pos
			s.mode = mQuote
			return 0
		}
		// A '/' right before the '>' cannot be inside quotes: the
		// '>' is not.
		s.mode = mText
		s.slash = w[s.pos-2] == '/'
		if s.header {
			return s.pos
		}
		if s.slash {
			if s.depth--; s.depth == 0 {
				return s.pos
			}
		}
		return 0
	}
	return 0
}

// more is the outcome of running out of bytes: the unit is too long if the
// limit has been reached, else more input is needed.
func (s *scanner) more(avail, limit int) int {
	if avail >= limit {
		return s.fail(CondPolicyViolation, limit, "element exceeds MaxElementBytes")
	}
	return 0
}
