package xmlstream

import "bytes"

// prolog handles everything before the first top-level element: the
// encoding checks of RFC 6120 §11.6, the optional XML declaration, and the
// stream header (§4.7). done reports that ev, err are Next's result.
func (d *Decoder) prolog(b []byte) (ev Event, err error, done bool) {
	switch d.st {
	case stStart:
		if len(b) < 4 {
			ev, err = d.none()
			return ev, err, true
		}
		switch {
		case b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
			d.r += 3 // UTF-8 byte order mark
		case b[0] == 0xFE && b[1] == 0xFF, b[0] == 0xFF && b[1] == 0xFE:
			ev, err = d.fail(CondUnsupportedEncod, d.r, "UTF-16 or UTF-32 byte order mark")
			return ev, err, true
		default:
			if k := bytes.IndexByte(b[:4], 0); k >= 0 {
				ev, err = d.fail(CondUnsupportedEncod, d.r+k, "NUL byte: not UTF-8")
				return ev, err, true
			}
		}
		d.st = stDecl
		d.sc = scanner{pos: 5}
	case stDecl:
		switch hasPrefix(b, "<?xml") {
		case -1:
			d.st = stProlog
			return ev, nil, false
		case 0:
			ev, err = d.none()
			return ev, err, true
		}
		if len(b) < 6 {
			ev, err = d.none()
			return ev, err, true
		}
		if !isSpace(b[5]) {
			ev, err = d.fail(CondRestrictedXML, d.r, "processing instruction")
			return ev, err, true
		}
		w := b[:min(len(b), d.cfg.MaxElementBytes)]
		k := bytes.Index(w[d.sc.pos:], []byte("?>"))
		if k < 0 {
			d.sc.pos = max(d.sc.pos, len(w)-1)
			if len(b) >= d.cfg.MaxElementBytes {
				ev, err = d.fail(CondPolicyViolation, d.r+d.cfg.MaxElementBytes, "XML declaration exceeds MaxElementBytes")
			} else {
				ev, err = d.none()
			}
			return ev, err, true
		}
		n := d.sc.pos + k + 2
		if cond, at, msg := checkDecl(b[:n]); cond != "" {
			ev, err = d.fail(cond, d.r+at, msg)
			return ev, err, true
		}
		d.r += n
		d.st = stProlog
	case stProlog:
		i := skipSpace(b, 0)
		d.r += i
		switch {
		case i == len(b), i+1 == len(b) && b[i] == '<':
			ev, err = d.none()
		case b[i] != '<':
			ev, err = d.fail(CondNotWellFormed, d.r, "text before the stream header")
		case b[i+1] == '?':
			ev, err = d.fail(CondRestrictedXML, d.r, "processing instruction")
		case b[i+1] == '!':
			ev, err = d.fail(CondRestrictedXML, d.r, "comment or DTD")
		case b[i+1] == '/':
			ev, err = d.fail(CondNotWellFormed, d.r, "end tag before the stream header")
		default:
			d.sc.start(mStartTag, true)
			d.st = stHeader
			return ev, nil, false
		}
		return ev, err, true
	case stHeader:
		n := d.sc.run(b, &d.cfg)
		if n <= 0 {
			if n < 0 {
				ev, err = d.scanFail()
			} else {
				ev, err = d.none()
			}
			return ev, err, true
		}
		empty := d.sc.slash
		if e := d.header(b[:n]); e != nil {
			ev, err = d.broken(e)
			return ev, err, true
		}
		d.r += n
		d.st = stStream
		d.endNext = empty
		return Event{Kind: EventStreamStart, Header: d.hdr}, nil, true
	}
	return ev, nil, false
}

// header parses the stream header's start tag (RFC 6120 §4.7) into d.hdr,
// d.root and d.scope.
func (d *Decoder) header(b []byte) *Error {
	p := d.parser()
	p.consts = wellKnown
	p.reset(b, d.base+int64(d.r), nil)
	j, _ := p.tag(0)
	if j < 0 || !p.declare() || !p.resolve(0) {
		return p.err
	}
	if j != len(b) {
		p.fail(CondNotWellFormed, j, "invalid stream header")
		return p.err
	}
	s := p.str(b, nil)
	str := func(r sref) string { return r.str(s, len(b), p.consts) }
	e := &p.elems[0]
	if str(e.space) != NSStream || str(e.local) != "stream" {
		p.fail(CondInvalidNamespace, 0, "stream header is not {"+NSStream+"}stream")
		return p.err
	}
	h := &Header{}
	for _, a := range p.attrs {
		v := str(a.value)
		switch sp, local := str(a.space), str(a.local); {
		case sp == NSXML && local == "lang":
			h.Lang = v
		case sp != "":
		case local == "from":
			h.From = v
		case local == "to":
			h.To = v
		case local == "id":
			h.ID = v
		case local == "version":
			h.Version = v
		}
	}
	// The stream's namespaces become constants for all its elements.
	d.scope = d.scope[:0]
	for _, b := range p.ns {
		uri := str(b.uri)
		if len(b.prefix) == 0 {
			h.Default = uri
			d.scope = append(d.scope, nsBinding{uri: p.constant(uri)})
			continue
		}
		prefix := string(b.prefix)
		h.Prefixes = append(h.Prefixes, Attr{Name: Name{Local: prefix}, Value: uri})
		d.scope = append(d.scope, nsBinding{prefix: []byte(prefix), uri: p.constant(uri)})
	}
	d.root = append(d.root[:0], b[1:p.nameEnd(1)]...)
	d.consts = p.consts
	d.hdr = h
	p.reset(nil, 0, d.scope) // see unitParser
	return nil
}

// checkDecl validates an XML declaration (XML 1.0 §2.8, §4.3.3): version
// 1.x, encoding UTF-8 if given (RFC 6120 §11.6), standalone yes or no.
func checkDecl(b []byte) (cond string, at int, msg string) {
	const nwf = CondNotWellFormed
	i, next := 5, 0
	for {
		j := skipSpace(b, i)
		if j+2 == len(b) && b[j] == '?' {
			if next == 0 {
				return nwf, j, "XML declaration without version"
			}
			return "", 0, ""
		}
		if j == i {
			return nwf, j, "malformed XML declaration"
		}
		k := j
		for k < len(b) && 'a' <= b[k] && b[k] <= 'z' {
			k++
		}
		idx := -1
		switch string(b[j:k]) {
		case "version":
			idx = 0
		case "encoding":
			idx = 1
		case "standalone":
			idx = 2
		}
		if idx < next || next == 0 && idx != 0 {
			return nwf, j, "malformed XML declaration"
		}
		k = skipSpace(b, k)
		if k >= len(b) || b[k] != '=' {
			return nwf, k, "malformed XML declaration"
		}
		k = skipSpace(b, k+1)
		if k >= len(b) || b[k] != '"' && b[k] != '\'' {
			return nwf, k, "malformed XML declaration"
		}
		end := bytes.IndexByte(b[k+1:], b[k])
		if end < 0 {
			return nwf, k, "malformed XML declaration"
		}
		v := b[k+1 : k+1+end]
		switch idx {
		case 0:
			if len(v) < 3 || v[0] != '1' || v[1] != '.' || !allDigits(v[2:]) {
				return nwf, k, "unsupported XML version"
			}
		case 1:
			if !encName(v) {
				return nwf, k, "malformed encoding name"
			}
			if !equalFoldASCII(v, "UTF-8") {
				return CondUnsupportedEncod, k, "encoding other than UTF-8"
			}
		case 2:
			if string(v) != "yes" && string(v) != "no" {
				return nwf, k, "malformed standalone declaration"
			}
		}
		next = idx + 1
		i = k + 2 + end
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// encName reports whether b is an EncName (XML 1.0 §4.3.3).
func encName(b []byte) bool {
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return len(b) > 0
}
