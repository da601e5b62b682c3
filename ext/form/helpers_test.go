package form

import (
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// parseXML turns one standalone XML element into an Element.
func parseXML(tb testing.TB, s string) *xmlstream.Element {
	tb.Helper()
	e, err := xmlstream.Parse([]byte(s), "", nil)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return e
}

// mustParse parses s as XML and then as a data form.
func mustParse(tb testing.TB, s string) *Form {
	tb.Helper()
	f, err := Parse(parseXML(tb, s))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return f
}
