package stanza

import (
	"errors"
	"fmt"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

var allStreamConditions = []StreamCondition{
	StreamBadFormat, StreamBadNamespacePrefix, StreamConflict, StreamConnectionTimeout, StreamHostGone,
	StreamHostUnknown, StreamImproperAddressing, StreamInternalServerError, StreamInvalidFrom,
	StreamInvalidNamespace, StreamInvalidXML, StreamNotAuthorized, StreamNotWellFormed,
	StreamPolicyViolation, StreamRemoteConnectionFailed, StreamReset, StreamResourceConstraint,
	StreamRestrictedXML, StreamSeeOtherHost, StreamSystemShutdown, StreamUndefinedCondition,
	StreamUnsupportedEncoding, StreamUnsupportedFeature, StreamUnsupportedStanzaType,
	StreamUnsupportedVersion,
}

// streamDoc wraps a top-level element in a stream so that the stream:
// prefix is bound, and returns the decoded element.
func parseInStream(t *testing.T, el string) *xmlstream.Element {
	t.Helper()
	d := xmlstream.NewDecoder(nil)
	d.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>` + el))
	for {
		ev, err := d.Next()
		if err != nil {
			t.Fatalf("decoding %s: %v", el, err)
		}
		switch ev.Kind {
		case xmlstream.EventElement:
			return ev.Element
		case xmlstream.EventNone:
			t.Fatalf("decoding %s: incomplete", el)
		}
	}
}

func TestStreamErrorRoundTrip(t *testing.T) {
	if len(allStreamConditions) != 25 {
		t.Fatalf("%d conditions, RFC 6120 §4.9.3 has 25", len(allStreamConditions))
	}
	app := xmlstream.New("urn:example:app", "escape-your-data")
	for i, c := range allStreamConditions {
		e := StreamError{Condition: c}
		if i%2 == 0 {
			e.Text, e.Lang = fmt.Sprintf("text %d <&>", i), "en"
		}
		if i%3 == 0 {
			e.App = app
		}
		if c == StreamSeeOtherHost {
			e.Redirect = "[2001:db8::1]:5222"
		}
		out := e.AppendXML(nil)
		el := parseInStream(t, string(out))
		back, ok := StreamErrorFromElement(el)
		if !ok {
			t.Fatalf("%s: not read back from %s", c, out)
		}
		if back.App != nil && back.App.Equal(e.App) {
			back.App = e.App
		}
		if back != e {
			t.Errorf("%s: round trip\n got %#v\nwant %#v\nfrom %s", c, back, e, out)
		}
		if !e.Element().Equal(el) {
			t.Errorf("%s: Element() = %v, decoded %v", c, e.Element(), el)
		}
	}
}

func TestStreamErrorFromElement(t *testing.T) {
	tests := []struct {
		in   string
		want StreamError
		ok   bool
	}{
		0: { // RFC 6120 §4.9.3.19 example
			in:   `<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>[2001:41D0:1:A49b::1]:9222</see-other-host></stream:error>`,
			want: StreamError{Condition: StreamSeeOtherHost, Redirect: "[2001:41D0:1:A49b::1]:9222"},
			ok:   true,
		},
		1: { // pre-XMPP: text only
			in:   `<stream:error>Disconnected</stream:error>`,
			want: StreamError{Condition: StreamUndefinedCondition, Text: "Disconnected"},
			ok:   true,
		},
		2: {
			in: "<stream:error>\n  <text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text>\n" +
				"  <conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\n</stream:error>",
			want: StreamError{Condition: StreamConflict, Text: "Replaced by new connection", Lang: "en"},
			ok:   true,
		},
		3: {in: `<error xmlns='jabber:client'/>`},
		4: {in: `<stream:features/>`},
	}
	for i, tt := range tests {
		got, ok := StreamErrorFromElement(parseInStream(t, tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("%d: got %#v, %v\nwant %#v, %v", i, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := StreamErrorFromElement(nil); ok {
		t.Error("nil element read as a stream error")
	}
}

func TestStreamErrorIs(t *testing.T) {
	err := fmt.Errorf("session: %w", StreamError{Condition: StreamSeeOtherHost, Redirect: "other.example", Text: "move"})
	for i, target := range []error{
		StreamError{}, StreamError{Condition: StreamSeeOtherHost}, &StreamError{Redirect: "other.example"},
		StreamError{Text: "move"},
	} {
		if !errors.Is(err, target) {
			t.Errorf("match %d: errors.Is = false for %#v", i, target)
		}
	}
	for i, target := range []error{
		StreamError{Condition: StreamConflict}, StreamError{Text: "stay"}, StreamError{Lang: "de"},
		StreamError{App: xmlstream.New("urn:x", "y")}, Error{}, (*StreamError)(nil),
	} {
		if errors.Is(err, target) {
			t.Errorf("noMatch %d: errors.Is = true for %#v", i, target)
		}
	}
	if got := (StreamError{Condition: StreamConflict, Text: "replaced"}).Error(); got != "stream error: conflict: replaced" {
		t.Errorf("Error() = %q", got)
	}
	if got := (StreamError{}).Error(); got != "stream error: undefined-condition" {
		t.Errorf("zero Error() = %q", got)
	}
}

func TestFromDecodeError(t *testing.T) {
	d := xmlstream.NewDecoder(nil)
	d.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><message><!-- hi --></message>`))
	var err error
	for err == nil {
		var ev xmlstream.Event
		ev, err = d.Next()
		if ev.Kind == xmlstream.EventNone && err == nil {
			t.Fatal("decoder accepted a comment")
		}
	}
	se, ok := FromDecodeError(fmt.Errorf("read: %w", err))
	if !ok || se.Condition != StreamRestrictedXML || se.Text == "" {
		t.Errorf("FromDecodeError(%v) = %#v, %v", err, se, ok)
	}
	for _, c := range []string{xmlstream.CondBadFormat, xmlstream.CondBadNamespacePrefix, xmlstream.CondInvalidNamespace,
		xmlstream.CondInvalidXML, xmlstream.CondNotWellFormed, xmlstream.CondPolicyViolation,
		xmlstream.CondRestrictedXML, xmlstream.CondUnsupportedEncod, xmlstream.CondUnsupportedVersion} {
		se, ok := FromDecodeError(&xmlstream.Error{Condition: c, Msg: "m"})
		if !ok || string(se.Condition) != c || se.Text != "m" {
			t.Errorf("%s: %#v %v", c, se, ok)
		}
		known := false
		for _, k := range allStreamConditions {
			known = known || string(k) == c
		}
		if !known {
			t.Errorf("decoder condition %s is not a StreamCondition", c)
		}
	}
	if se, ok := FromDecodeError(&xmlstream.Error{}); !ok || se.Condition != StreamUndefinedCondition {
		t.Errorf("blank condition: %#v", se)
	}
	if _, ok := FromDecodeError(errors.New("eof")); ok {
		t.Error("plain error mapped to a stream error")
	}
	if _, ok := FromDecodeError(nil); ok {
		t.Error("nil mapped to a stream error")
	}
}
