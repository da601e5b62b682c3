package stanza

import (
	"testing"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// parse reads s as a top-level element of a jabber:client stream.
func parse(t testing.TB, s string) *xmlstream.Element {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), NSClient, nil)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return e
}

// j is jid.MustParse, shortened for tables.
func j(s string) jid.JID {
	if s == "" {
		return jid.JID{}
	}
	return jid.MustParse(s)
}

// names lists the Clark names of the elements an iterator yields.
func names(seq func(func(*xmlstream.Element) bool)) []string {
	var out []string
	for e := range seq {
		out = append(out, e.Name.String())
	}
	return out
}

// pairs collects an iter.Seq2 of strings.
func pairs(seq func(func(string, string) bool)) [][2]string {
	var out [][2]string
	for k, v := range seq {
		out = append(out, [2]string{k, v})
	}
	return out
}
