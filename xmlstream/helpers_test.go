package xmlstream

import (
	"errors"
	"strconv"
	"strings"
)

// dump renders e exactly, in Clark notation, attributes in order, text
// quoted: a test oracle that does not depend on the encoder.
func dump(e *Element) string {
	var b strings.Builder
	dumpTo(&b, e)
	return b.String()
}

func dumpTo(b *strings.Builder, e *Element) {
	b.WriteString(e.Name.String())
	b.WriteByte('[')
	for i, a := range e.Attr {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Name.String())
		b.WriteByte('=')
		b.WriteString(strconv.Quote(a.Value))
	}
	b.WriteString("](")
	for i, n := range e.Nodes {
		if i > 0 {
			b.WriteByte(',')
		}
		if n.Elem != nil {
			dumpTo(b, n.Elem)
		} else {
			b.WriteString(strconv.Quote(n.Text))
		}
	}
	b.WriteByte(')')
}

// render describes one result of Next.
func render(ev Event, err error) string {
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "error " + e.Condition + "@" + strconv.FormatInt(e.Offset, 10)
		}
		return "error " + err.Error()
	}
	switch ev.Kind {
	case EventStreamStart:
		h := ev.Header
		s := "start from=" + h.From + " to=" + h.To + " id=" + h.ID + " version=" + h.Version +
			" lang=" + h.Lang + " default=" + h.Default
		for _, p := range h.Prefixes {
			s += " " + p.Name.Local + "=" + p.Value
		}
		return s
	case EventElement:
		return "elem " + dump(ev.Element)
	}
	return ev.Kind.String()
}

// drain calls Next until it needs input or fails, appending what it said.
// It reports whether the decoder failed.
func drain(d *Decoder, out []string) ([]string, bool) {
	for {
		ev, err := d.Next()
		if err == nil && ev.Kind == EventNone {
			return out, false
		}
		out = append(out, render(ev, err))
		if err != nil {
			return out, true
		}
	}
}

// decodeChunks feeds the chunks one by one and returns every event and the
// error, if any.
func decodeChunks(cfg *Config, chunks [][]byte) []string {
	d := NewDecoder(cfg)
	var out []string
	for _, c := range chunks {
		d.Feed(c)
		var failed bool
		if out, failed = drain(d, out); failed {
			break
		}
	}
	return out
}

// split cuts in at the given points.
func split(in []byte, at ...int) [][]byte {
	var out [][]byte
	last := 0
	for _, a := range at {
		out = append(out, in[last:a])
		last = a
	}
	return append(out, in[last:])
}

// bytewise cuts in into single bytes.
func bytewise(in []byte) [][]byte {
	out := make([][]byte, len(in))
	for i := range in {
		out[i] = in[i : i+1]
	}
	return out
}

// chatStanza returns a typical ~270-byte chat message, numbered i.
func chatStanza(i int) string {
	return `<message from='alice@localhost/res' to='bob@localhost' type='chat' id='msg-` + strconv.Itoa(100000+i) +
		`'><body>Hello &amp; welcome — ünïcødé 日本語 text, a typical line of a chat conversation.</body>` +
		`<active xmlns='http://jabber.org/protocol/chatstates'/></message>`
}
