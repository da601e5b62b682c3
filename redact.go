package xmpp

import (
	"bytes"
	"sync"
)

// Candidate kinds of a start tag's local name.
const (
	candNone   = iota
	candSecret // its content is a credential
	candField  // a data form <field/>: a credential when its attributes say so
)

func candidate(local []byte) uint8 {
	switch string(local) {
	case "auth", "challenge", "response", "success", "password", "digest", "hash", "handshake":
		return candSecret
	case "field":
		return candField
	}
	return candNone
}

// maxName is the length of the longest candidate name ("challenge",
// "handshake"); a longer local name is no candidate.
const maxName = 9

// maxFieldTag bounds the attribute bytes kept of a <field> start tag cut by
// chunk boundaries; a longer one is taken for a secret field.
const maxFieldTag = 1024

var redacted = []byte("[redacted]")

// Redact returns b with the content of credential-bearing elements
// replaced by "[redacted]", as the trace hooks (Config.OnSend and
// OnReceive, Trace.Conn) see b when it is the first chunk of a connection.
// A secret element whose end tag is not in b is hidden up to the end of b.
// It returns b itself when nothing needs hiding.
//
// The content of these elements, from the end of the start tag to the
// start of the matching end tag, whatever it holds (text, CDATA sections,
// child elements), is replaced:
//
//   - <auth>, <challenge>, <response>, <success>: the SASL payloads
//     (RFC 6120 §6.4.2-§6.4.6);
//   - <password>: the legacy and registration password (XEP-0078 §3.2,
//     XEP-0077 §3.1, §3.3) and the password of a password-protected
//     room (XEP-0045 §7.2);
//   - <digest>: the legacy digest (XEP-0078 §3.2);
//   - <hash>: jabberd 1.x's zero-knowledge hash (client.MechLegacyZeroK;
//     its <sequence/> and <token/> are the server's public parameters,
//     which the client never sends, and are shown);
//   - <handshake>: the component handshake (XEP-0114 §3);
//   - <field> of a data form (XEP-0004 §3.2) whose var is "password" or
//     "old_password" (XEP-0077 §13.4: the registration, cancellation and
//     password change forms) or "muc#roomconfig_roomsecret" (the room
//     password of XEP-0045's room configuration form), or whose type is
//     "text-private" (XEP-0004 §3.3: a value to be obscured); a <field>
//     start tag whose attributes cannot be read (an
//     entity reference in var or type, more than 1 KiB of attributes, a
//     malformed attribute) counts as one of these.
//
// Elements are recognized by their local name, with or without a prefix,
// whatever their namespace: hiding some unrelated element's content (a
// XEP-0300 <hash/>, say) is the safe mistake. Attributes are never hidden.
func Redact(b []byte) []byte {
	var r redactor
	return r.redact(b)
}

// Lexer states of a redactor between two bytes.
const (
	lxText  uint8 = iota // character data, or the rest of a tag that does not matter
	lxOpen               // just after '<'
	lxName               // in the name of a start tag outside a secret
	lxAttrs              // in a start tag that matters: a candidate, or any tag inside a secret
	lxBang               // after "<!": a CDATA section or a comment?
	lxSkip               // in a CDATA section, comment or processing instruction
)

// A redactor hides credentials in one direction of a traced connection,
// whatever the chunking: it keeps the lexical state of the XML stream from
// one chunk to the next (inside a tag, a secret element, a CDATA section),
// so a secret is hidden even when its start tag, its content or its end tag
// is cut by a chunk boundary. It scans only what it must: outside a secret
// it jumps from '<' to '<' (no '<' can occur in character data or attribute
// values, RFC 6120 §11 and XML 1.0 §2.4, §3.1) and reads only the names of
// start tags, and the attributes of those that may open a secret.
//
// It never holds back visible bytes but one: a '<' that ends a chunk inside
// a secret may start the secret's end tag; it is shown at the start of the
// next chunk when it does.
type redactor struct {
	// mu is held by observe, which owns every field below while it reads
	// one chunk: concurrent Reads (or Writes) are observed one at a time.
	mu  sync.Mutex
	out []byte // the last redacted chunk, reused

	state  uint8
	secret bool // inside a secret element's content
	depth  int  // when secret: elements open, the secret one included

	// lxName: the local name so far (after any prefix).
	name [maxName]byte
	nlen uint8
	long bool // the local name is longer than maxName

	// lxAttrs.
	kind      uint8  // candidate kind outside a secret, candNone inside
	quote     byte   // the quote of the attribute value being read, or 0
	slash     bool   // the previous byte was a '/' outside quotes
	attrs     []byte // a <field>'s attributes so far
	attrsLong bool   // more than maxFieldTag of them

	// lxBang: bytes of "[CDATA[" or "--" matched after "<!".
	bang  uint8
	cdata bool

	// lxSkip: the terminator is termN times term, then '>' ("]]>", "-->",
	// "?>"); tpos of those term bytes were just seen.
	term        byte
	termN, tpos uint8
}

// observe passes the redacted b to hook.
func (r *redactor) observe(b []byte, hook func([]byte)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hook(r.redact(b))
	if cap(r.out) > 64<<10 {
		r.out = nil // keep no large buffer for the rare large secret chunk
	}
}

// chunkOut assembles the redacted copy of one chunk.
type chunkOut struct {
	b       []byte
	out     []byte
	last    int // b[last:] is not yet in out
	changed bool
}

// hide replaces b[from:to] by the marker, when it is not empty.
func (o *chunkOut) hide(from, to int) {
	if to <= from {
		return
	}
	o.out = append(o.out, o.b[o.last:from]...)
	o.out = append(o.out, redacted...)
	o.last, o.changed = to, true
}

// insertLT shows, before b[at], the '<' held back at the end of the
// previous chunk.
func (o *chunkOut) insertLT(at int) {
	o.out = append(o.out, o.b[o.last:at]...)
	o.out = append(o.out, '<')
	o.last, o.changed = at, true
}

// redact returns the chunk b as the hooks see it: b itself when nothing is
// hidden, else a copy in r.out, valid until the next call.
func (r *redactor) redact(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	o := chunkOut{b: b, out: r.out[:0]}
	hide := 0 // when secret: where this chunk's hidden run began
	lt := -1  // index of the '<' of the markup being read; -1: in an earlier chunk
	for i := 0; i < len(b); {
		c := b[i]
		switch r.state {
		case lxText:
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				i = len(b)
				continue
			}
			i += j
			lt, r.state = i, lxOpen
			i++

		case lxOpen:
			switch c {
			case '/':
				r.state = lxText
				if r.secret {
					if r.depth > 1 {
						r.depth--
					} else { // the secret's end tag: shown from its '<'
						r.secret = false
						if lt >= 0 {
							o.hide(hide, lt)
						} else {
							o.hide(hide, i)
							o.insertLT(i)
						}
					}
				}
				i++
			case '!':
				r.state, r.bang = lxBang, 0
				i++
			case '?':
				r.state, r.term, r.termN, r.tpos = lxSkip, '?', 1, 0
				i++
			case '<': // "<<", malformed: the second one counts
				lt = i
				i++
			default: // a start tag: c is read by the next state
				if r.secret {
					r.state, r.kind, r.quote, r.slash = lxAttrs, candNone, 0, false
				} else {
					r.state, r.nlen, r.long = lxName, 0, false
				}
			}

		case lxName:
			switch c {
			case ' ', '\t', '\r', '\n', '/', '>':
				k := uint8(candNone)
				if !r.long {
					k = candidate(r.name[:r.nlen])
				}
				if k == candNone {
					r.state = lxText // skip the rest of the tag
					continue
				}
				r.state, r.kind, r.quote, r.slash = lxAttrs, k, 0, false
				r.attrs, r.attrsLong = r.attrs[:0], false
				// c is read by lxAttrs
			case '<': // malformed: no tag after all
				lt, r.state = i, lxOpen
				i++
			case ':': // the name so far was a prefix
				r.nlen, r.long = 0, false
				i++
			default:
				if r.nlen < maxName {
					r.name[r.nlen] = c
					r.nlen++
				} else {
					r.long = true
				}
				i++
			}

		case lxAttrs:
			if c == '<' { // malformed: a tag cut short by markup
				// Safe side: a candidate's content starts here, and a
				// tag inside a secret opens an element.
				if r.secret {
					r.depth++
				} else {
					r.secret, r.depth, hide = true, 1, i
				}
				lt, r.state = i, lxOpen
				i++
				continue
			}
			if r.kind == candField {
				if len(r.attrs) < maxFieldTag {
					r.attrs = append(r.attrs, c)
				} else {
					r.attrsLong = true
				}
			}
			i++
			if r.quote != 0 {
				if c == r.quote {
					r.quote = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				r.quote, r.slash = c, false
			case '/':
				r.slash = true
			case '>':
				r.state = lxText
				switch {
				case r.slash: // empty element
				case r.secret:
					r.depth++
				case r.kind == candSecret,
					r.kind == candField && (r.attrsLong || secretField(r.attrs)):
					r.secret, r.depth, hide = true, 1, i
				}
			default:
				r.slash = false
			}

		case lxBang:
			pat := "--"
			if r.bang == 0 {
				r.cdata = c == '['
			}
			if r.cdata {
				pat = "[CDATA["
			}
			if c != pat[r.bang] { // a declaration (malformed in XMPP): skip to the next '<'
				r.state = lxText
				continue
			}
			r.bang++
			i++
			if int(r.bang) == len(pat) {
				r.state, r.term, r.termN, r.tpos = lxSkip, '-', 2, 0
				if r.cdata {
					r.term = ']'
				}
			}

		case lxSkip:
			if r.tpos == 0 {
				j := bytes.IndexByte(b[i:], r.term)
				if j < 0 {
					i = len(b)
					continue
				}
				i += j
				c = b[i]
			}
			switch {
			case c == r.term:
				if r.tpos < r.termN {
					r.tpos++
				}
			case c == '>' && r.tpos == r.termN:
				r.state = lxText
			default:
				r.tpos = 0
			}
			i++
		}
	}
	end := len(b)
	if r.secret {
		if r.state == lxOpen && r.depth == 1 && lt == len(b)-1 {
			end-- // maybe the '<' of the end tag: the next chunk tells
		}
		o.hide(hide, end)
	}
	if !o.changed && end == len(b) {
		return b
	}
	o.out = append(o.out, b[o.last:end]...)
	r.out = o.out
	return o.out
}

// secretField reports whether the attributes of a <field> start tag (the
// bytes after its name) mark a credential: var password, old_password or
// muc#roomconfig_roomsecret, or type text-private. Attributes it cannot
// read, and a var or type with an entity reference, count as a credential.
func secretField(a []byte) bool {
	for {
		a = bytes.TrimLeft(a, " \t\r\n/>")
		if len(a) == 0 {
			return false
		}
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return true
		}
		name := bytes.TrimRight(a[:eq], " \t\r\n")
		if len(name) == 0 || bytes.ContainsAny(name, " \t\r\n") {
			return true // an attribute without a value, or no name
		}
		if k := bytes.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || (a[0] != '\'' && a[0] != '"') {
			return true
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return true
		}
		value := a[1 : 1+end]
		a = a[end+2:]
		switch string(name) {
		case "var":
			if bytes.IndexByte(value, '&') >= 0 {
				return true
			}
			switch string(value) {
			case "password", "old_password", "muc#roomconfig_roomsecret":
				return true
			}
		case "type":
			if bytes.IndexByte(value, '&') >= 0 || string(value) == "text-private" {
				return true
			}
		}
	}
}
