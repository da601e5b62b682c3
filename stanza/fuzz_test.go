package stanza

import (
	"errors"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

const fuzzHeader = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`

// decodeAll feeds a stream header and data to a decoder and returns the
// top-level elements, stopping at the first error.
func decodeAll(data []byte) ([]*xmlstream.Element, error) {
	d := xmlstream.NewDecoder(nil)
	d.Feed([]byte(fuzzHeader))
	d.Feed(data)
	var out []*xmlstream.Element
	for {
		ev, err := d.Next()
		if err != nil {
			return out, err
		}
		switch ev.Kind {
		case xmlstream.EventNone, xmlstream.EventStreamEnd:
			return out, nil
		case xmlstream.EventElement:
			out = append(out, ev.Element)
		}
	}
}

// reparse decodes one encoded top-level element inside a stream.
func reparse(t *testing.T, b []byte) *xmlstream.Element {
	t.Helper()
	els, err := decodeAll(b)
	if err != nil || len(els) != 1 {
		t.Fatalf("encoding does not re-parse (%v, %d elements):\n%s", err, len(els), b)
	}
	return els[0]
}

// FuzzStanza feeds arbitrary bytes as the content of a jabber:client stream
// and reads every top-level element as a stanza, stanza error and stream
// error. Nothing may panic; decoder errors must map to stream errors; every
// stanza and error that decodes must encode to XML that re-parses, decodes to
// the same value and encodes to the same bytes.
func FuzzStanza(f *testing.F) {
	f.Add([]byte(benchChat))
	f.Fuzz(func(t *testing.T, data []byte) {
		els, err := decodeAll(data)
		if err != nil {
			var xe *xmlstream.Error
			if se, ok := FromDecodeError(err); errors.As(err, &xe) && (!ok || se.Condition == "") {
				t.Fatalf("decoder error %v has no stream error", err)
			}
		}
		for _, e := range els {
			checkStanza(t, e)
			checkErrors(t, e)
		}
	})
}

func checkStanza(t *testing.T, e *xmlstream.Element) {
	switch KindOf(e) {
	case KindMessage:
		m, err := MessageFromElement(e)
		_ = m.Body("")
		_ = m.Subject("en")
		m.Thread()
		for range m.Payloads() {
		}
		m.Error()
		if err != nil {
			checkIsError(t, err)
			return
		}
		out := m.AppendXML(nil)
		m2, err := MessageFromElement(reparse(t, out))
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if m2.To != m.To || m2.From != m.From || m2.ID != m.ID || m2.Type != m.Type || m2.Lang != m.Lang ||
			m2.Body("") != m.Body("") || m2.Subject("") != m.Subject("") {
			t.Fatalf("message changed in round trip:\n%+v\n%+v\n%s", m, m2, out)
		}
		sameBytes(t, out, m2.AppendXML(nil))
	case KindPresence:
		p, err := PresenceFromElement(e)
		_, _, _ = p.Show(), p.Status(""), p.Priority()
		for range p.Payloads() {
		}
		if err != nil {
			checkIsError(t, err)
			return
		}
		out := p.AppendXML(nil)
		p2, err := PresenceFromElement(reparse(t, out))
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if p2.To != p.To || p2.From != p.From || p2.Type != p.Type || p2.Show() != p.Show() ||
			p2.Status("") != p.Status("") || p2.Priority() != p.Priority() {
			t.Fatalf("presence changed in round trip:\n%+v\n%+v\n%s", p, p2, out)
		}
		sameBytes(t, out, p2.AppendXML(nil))
	case KindIQ:
		iq, err := IQFromElement(e)
		iq.Payload()
		if err != nil {
			checkIsError(t, err)
			return
		}
		out := iq.AppendXML(nil)
		iq2, err := IQFromElement(reparse(t, out))
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if iq2.To != iq.To || iq2.From != iq.From || iq2.ID != iq.ID || iq2.Type != iq.Type {
			t.Fatalf("iq changed in round trip:\n%+v\n%+v\n%s", iq, iq2, out)
		}
		sameBytes(t, out, iq2.AppendXML(nil))
		iq.Result(nil).AppendXML(nil)
	}
}

func checkErrors(t *testing.T, e *xmlstream.Element) {
	if se, ok := ErrorFromElement(e); ok {
		out := se.AppendXML(nil)
		back, ok := ErrorFromElement(reparse(t, out))
		if !ok || !sameApp(back.App, se.App) {
			t.Fatalf("stanza error not read back: %s", out)
		}
		back.App = se.App
		if back != se {
			t.Fatalf("stanza error changed in round trip:\n%#v\n%#v\n%s", se, back, out)
		}
		_ = se.Error()
	}
	if se, ok := StreamErrorFromElement(e); ok {
		out := se.AppendXML(nil)
		back, ok := StreamErrorFromElement(reparse(t, out))
		if !ok || !sameApp(back.App, se.App) {
			t.Fatalf("stream error not read back: %s", out)
		}
		back.App = se.App
		if back != se {
			t.Fatalf("stream error changed in round trip:\n%#v\n%#v\n%s", se, back, out)
		}
		_ = se.Error()
	}
}

func sameApp(a, b *xmlstream.Element) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(b)
}

func checkIsError(t *testing.T, err error) {
	var se Error
	if !errors.As(err, &se) || (se.Condition != BadRequest && se.Condition != JIDMalformed) {
		t.Fatalf("decode error %v is not a bad-request or jid-malformed stanza error", err)
	}
}

func sameBytes(t *testing.T, a, b []byte) {
	t.Helper()
	if string(a) != string(b) {
		t.Fatalf("encoding not stable:\n%s\n%s", a, b)
	}
}
