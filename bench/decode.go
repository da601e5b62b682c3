package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// A decodeFunc reads a whole stream and returns how many chat messages it
// saw with the expected type, body and chat state. A typed decoder must
// return exactly the number of messages in the stream or its row is invalid.
type decodeFunc func(in []byte) (int, error)

// chunkSize is how much a Session hands the Parley decoder per read.
const chunkSize = 4096

// decodeParley is Parley's read path: the bytes fed in 4 KiB chunks to an
// xmlstream.Decoder, each element turned into a stanza.Message and its body
// and payloads read through the accessors.
func decodeParley(in []byte) (int, error) {
	d := xmlstream.NewDecoder(nil)
	n := 0
	ended := false
	for off := 0; off < len(in); off += chunkSize {
		d.Feed(in[off:min(off+chunkSize, len(in))])
		for {
			ev, err := d.Next()
			if err != nil {
				return n, err
			}
			if ev.Kind == xmlstream.EventNone {
				break
			}
			switch ev.Kind {
			case xmlstream.EventElement:
				m, err := stanza.MessageFromElement(ev.Element)
				if err != nil {
					return n, err
				}
				if m.Type == stanza.MessageChat && m.ID != "" && !m.From.IsZero() &&
					m.Body("") == wantBody && parleyActive(m) {
					n++
				}
			case xmlstream.EventStreamEnd:
				ended = true
			}
		}
	}
	if !ended {
		return n, errors.New("no stream end")
	}
	return n, nil
}

func parleyActive(m stanza.Message) bool {
	for p := range m.Payloads() {
		if p.Name.Space == nsChatStates && p.Name.Local == "active" {
			return true
		}
	}
	return false
}

// decodeStdTokens is the anchor: a bare encoding/xml Token loop over the
// same bytes, building nothing. It counts the message start tags.
func decodeStdTokens(in []byte) (int, error) {
	d := xml.NewDecoder(newConnReader(in))
	n := 0
	for {
		t, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if se, ok := t.(xml.StartElement); ok && se.Name.Local == "message" {
			n++
		}
	}
}

// decodeIndexByte is the practical limit: find every '<' of the input with
// bytes.IndexByte. It returns the number of messages implied by the count,
// or an error when the count is not the one the stream has.
func decodeIndexByte(in []byte) (int, error) {
	lt := 0
	for i := 0; ; {
		k := bytes.IndexByte(in[i:], '<')
		if k < 0 {
			break
		}
		lt++
		i += k + 1
	}
	n := (lt - 3) / 5
	if lt != ltPerStream(n) {
		return n, fmt.Errorf("%d '<' in the input", lt)
	}
	return n, nil
}
