package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every decoder must count every message of a well-formed stream.
func TestDecodersCountAll(t *testing.T) {
	const n = 37
	in := buildStream(n)
	for _, r := range allRows() {
		if r.dec == nil {
			continue
		}
		got, err := r.dec(in)
		if err != nil || got != n {
			t.Errorf("%s: %d messages, %v; want %d", r.name, got, err, n)
		}
	}
}

// The typed decoders check what they decoded: a message with another body
// or without its chat state is not counted, so a row that loses content
// is marked invalid.
func TestTypedDecodersCheckContent(t *testing.T) {
	const n = 10
	in := buildStream(n)
	wrongBody := bytes.Replace(in, []byte("&amp; welcome"), []byte("&lt; welcome"), 1)
	noState := bytes.Replace(in, []byte("<active xmlns='"+nsChatStates+"'/>"), nil, 1)
	for _, r := range allRows() {
		if r.dec == nil || r.kind == kindAnchor || r.kind == kindLimit {
			continue
		}
		for name, bad := range map[string][]byte{"body": wrongBody, "chat state": noState} {
			got, err := r.dec(bad)
			if err != nil || got != n-1 {
				t.Errorf("%s, one message with a wrong %s: counted %d (%v), want %d", r.name, name, got, err, n-1)
			}
		}
	}
}

func TestIndexByteCount(t *testing.T) {
	in := buildStream(5)
	if got, err := decodeIndexByte(in); err != nil || got != 5 {
		t.Errorf("decodeIndexByte = %d, %v; want 5", got, err)
	}
	if _, err := decodeIndexByte(append(in, '<')); err == nil {
		t.Error("decodeIndexByte accepted a stray '<'")
	}
}

func TestStanzaSize(t *testing.T) {
	if l := len(chatStanza(0)); l < 250 || l > 290 {
		t.Errorf("chat message is %d bytes, want about 270", l)
	}
}

// Every encoder writes a message that reads back with the expected body.
func TestEncodersReadBack(t *testing.T) {
	for _, r := range allRows() {
		if r.enc == nil {
			continue
		}
		out, err := r.enc()()
		if err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		if err := checkEncoded(out); err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	if err := checkEncoded([]byte(strings.Replace(chatStanza(1), "&amp;", "&lt;", 1))); err == nil {
		t.Error("checkEncoded accepted a wrong body")
	}
}

func TestParleyEncodeAllocs(t *testing.T) {
	enc := newParleyEncoder()
	if n := testing.AllocsPerRun(100, func() { _, _ = enc() }); n != 0 {
		t.Errorf("Parley encode: %v allocs, want 0", n)
	}
}
