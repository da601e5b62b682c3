package main

import (
	"encoding/json"
	"io"
	"strings"

	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// stanzaJSON is the --json form of a stanza (docs/cli.md, "listen").
type stanzaJSON struct {
	Kind    string `json:"kind"`
	Type    string `json:"type"`
	From    string `json:"from"`
	To      string `json:"to"`
	ID      string `json:"id"`
	Body    string `json:"body,omitempty"`
	Subject string `json:"subject,omitempty"`
	XML     string `json:"xml"`
}

// kindType returns a stanza's kind ("message", "presence", "iq") and its
// type with the RFC defaults spelled out: "normal" for a message without
// type (RFC 6121 §5.2.2), "available" for a presence without (§4.7.1).
func kindType(e *xmlstream.Element) (string, string) {
	kind := e.Name.Local
	typ := e.Get("type")
	switch stanza.KindOf(e) {
	case stanza.KindMessage:
		if typ == "" {
			typ = "normal"
		}
	case stanza.KindPresence:
		if typ == "" {
			typ = "available"
		}
	}
	return kind, typ
}

func toJSON(e *xmlstream.Element) stanzaJSON {
	kind, typ := kindType(e)
	j := stanzaJSON{
		Kind: kind, Type: typ, From: e.Get("from"), To: e.Get("to"), ID: e.Get("id"),
		XML: string(xmlstream.AppendElement(nil, e, e.Name.Space)),
	}
	if stanza.KindOf(e) == stanza.KindMessage {
		if m, err := stanza.MessageFromElement(e); err == nil {
			j.Body = m.Body("")
			j.Subject = subject(e)
		}
	}
	return j
}

func subject(e *xmlstream.Element) string {
	for c := range e.Children() {
		if c.Name.Local == "subject" && stanza.IsStanzaNS(c.Name.Space) {
			return c.Text()
		}
	}
	return ""
}

// writeJSONLine writes e as one JSON object and a newline.
func writeJSONLine(w io.Writer, e *xmlstream.Element) error {
	return writeJSON(w, toJSON(e))
}

// writeJSON writes v as one line of JSON, with <, > and & left as they are
// (the xml field stays readable).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// describe is the readable one-line form of a stanza:
//
//	message chat alice@example.org/phone: hello
//	presence available alice@example.org/phone show=away "at lunch"
//	iq get example.org: {urn:xmpp:ping}ping
func describe(e *xmlstream.Element) string {
	kind, typ := kindType(e)
	var b strings.Builder
	b.WriteString(kind)
	b.WriteString(" ")
	b.WriteString(typ)
	if from := e.Get("from"); from != "" {
		b.WriteString(" ")
		b.WriteString(from)
	}
	switch stanza.KindOf(e) {
	case stanza.KindMessage:
		if s := subject(e); s != "" {
			b.WriteString(" [" + oneLine(s) + "]")
		}
		if m, err := stanza.MessageFromElement(e); err == nil {
			if body := m.Body(""); body != "" {
				b.WriteString(": ")
				b.WriteString(strings.ReplaceAll(body, "\n", "\n  "))
			}
			for _, d := range oob.FromMessage(m) {
				b.WriteString(" <" + d.URL + ">")
			}
			if se, ok := m.Error(); ok {
				b.WriteString(": " + se.Error())
			}
		}
	case stanza.KindPresence:
		if p, err := stanza.PresenceFromElement(e); err == nil {
			if sh := p.Show(); sh != "" {
				b.WriteString(" show=" + string(sh))
			}
			if st := p.Status(""); st != "" {
				b.WriteString(" \"" + oneLine(st) + "\"")
			}
		}
	case stanza.KindIQ:
		for c := range e.Children() {
			b.WriteString(": {" + c.Name.Space + "}" + c.Name.Local)
			break
		}
	}
	return b.String()
}
