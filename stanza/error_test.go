package stanza

import (
	"errors"
	"fmt"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

var allConditions = []Condition{
	BadRequest, Conflict, FeatureNotImplemented, Forbidden, Gone, InternalServerError, ItemNotFound,
	JIDMalformed, NotAcceptable, NotAllowed, NotAuthorized, PolicyViolation, RecipientUnavailable,
	Redirect, RegistrationRequired, RemoteServerNotFound, RemoteServerTimeout, ResourceConstraint,
	ServiceUnavailable, SubscriptionRequired, UndefinedCondition, UnexpectedRequest, PaymentRequired,
}

// Every condition and type survives build → AppendXML → Parse →
// ErrorFromElement, and Element encodes to the same bytes as AppendXML.
func TestErrorRoundTrip(t *testing.T) {
	if len(allConditions) != 23 {
		t.Fatalf("%d conditions, RFC 6120 §8.3.3 has 22 (+ payment-required)", len(allConditions))
	}
	app := xmlstream.New("http://jabber.org/protocol/muc#user", "too-many")
	types := []ErrorType{Auth, Cancel, Continue, Modify, Wait}
	for i, c := range allConditions {
		e := Error{Type: types[i%len(types)], Condition: c, Text: fmt.Sprintf("text %d <&>", i)}
		if i%2 == 0 {
			e.Lang = "en"
			e.By = j("example.com")
		}
		if i%3 == 0 {
			e.App = app
		}
		if c == Gone || c == Redirect {
			e.Redirect = "xmpp:romeo@afterlife.example.net"
		}
		if c == PaymentRequired {
			e.Code = "402"
		}
		out := e.AppendXML(nil)
		if got := string(xmlstream.AppendElement(nil, e.Element(), NSClient)); got != string(out) {
			t.Errorf("%s: Element encodes to\n%s\nAppendXML to\n%s", c, got, out)
		}
		back, ok := ErrorFromElement(parse(t, string(out)))
		if !ok {
			t.Fatalf("%s: no error read back from %s", c, out)
		}
		if back.App != nil && back.App.Equal(e.App) {
			back.App = e.App
		}
		if back != e {
			t.Errorf("%s: round trip\n got %#v\nwant %#v\nfrom %s", c, back, e, out)
		}
	}
}

func TestErrorFromElement(t *testing.T) {
	tests := []struct {
		in   string
		want Error
		ok   bool
		app  string
	}{
		0: { // RFC 6120 §8.3.3.5 example
			in: `<message from='romeo@example.net' id='s' to='juliet@im.example.com/churchyard' type='error'>` +
				`<error by='example.net' type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>` +
				`xmpp:romeo@afterlife.example.net</gone></error></message>`,
			want: Error{By: j("example.net"), Type: Cancel, Condition: Gone, Redirect: "xmpp:romeo@afterlife.example.net"},
			ok:   true,
		},
		1: { // app condition, text before condition, whitespace between
			in: "<error type='modify'>\n <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>first</text>\n" +
				" <not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\n <too-many-subscriptions xmlns='http://jabber.org/protocol/pubsub#errors'/>\n</error>",
			want: Error{Type: Modify, Condition: NotAcceptable, Text: "first", Lang: "en"},
			ok:   true, app: "{http://jabber.org/protocol/pubsub#errors}too-many-subscriptions",
		},
		2: { // jabberd 1.4 style legacy code only
			in:   `<iq type='error' id='1'><error code='404'>Not Found</error></iq>`,
			want: Error{Type: Cancel, Condition: ItemNotFound, Code: "404", Text: "Not Found"},
			ok:   true,
		},
		3: { // jabberd2 sm: code with no text
			in:   `<error code='401'/>`,
			want: Error{Type: Auth, Condition: NotAuthorized, Code: "401"},
			ok:   true,
		},
		4: { // code and condition: the condition wins, the code is kept
			in:   `<error code='500' type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`,
			want: Error{Type: Wait, Condition: ResourceConstraint, Code: "500"},
			ok:   true,
		},
		5: { // unknown code
			in:   `<error code='999'>odd</error>`,
			want: Error{Type: Cancel, Condition: UndefinedCondition, Code: "999", Text: "odd"},
			ok:   true,
		},
		6: { // missing type: the condition's default
			in:   `<error><recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`,
			want: Error{Type: Wait, Condition: RecipientUnavailable},
			ok:   true,
		},
		7: { // unknown condition in the stanzas namespace is kept
			in:   `<error type='cancel'><made-up xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`,
			want: Error{Type: Cancel, Condition: "made-up"},
			ok:   true,
		},
		8: {in: `<message><body>no error</body></message>`},
		9: {in: `<error xmlns='urn:other'/>`}, // not a stanza error element, and no error child
	}
	for i, tt := range tests {
		got, ok := ErrorFromElement(parse(t, tt.in))
		if ok != tt.ok {
			t.Errorf("%d: ok = %v, want %v", i, ok, tt.ok)
			continue
		}
		app := ""
		if got.App != nil {
			app = got.App.Name.String()
		}
		if app != tt.app {
			t.Errorf("%d: App = %q, want %q", i, app, tt.app)
		}
		got.App = nil
		if got != tt.want {
			t.Errorf("%d: got %#v\nwant %#v", i, got, tt.want)
		}
	}
	if _, ok := ErrorFromElement(nil); ok {
		t.Error("ErrorFromElement(nil) reported an error")
	}
}

func TestLegacyCodes(t *testing.T) {
	// XEP-0086 §4: every legacy code maps to a condition whose own code
	// (XEP-0086 §3) is the same, except where several codes share one
	// condition.
	tests := []struct {
		code string
		c    Condition
		t    ErrorType
	}{
		{"302", Redirect, Modify}, {"400", BadRequest, Modify}, {"401", NotAuthorized, Auth},
		{"402", PaymentRequired, Auth}, {"403", Forbidden, Auth}, {"404", ItemNotFound, Cancel},
		{"405", NotAllowed, Cancel}, {"406", NotAcceptable, Modify}, {"407", RegistrationRequired, Auth},
		{"408", RemoteServerTimeout, Wait}, {"409", Conflict, Cancel}, {"500", InternalServerError, Wait},
		{"501", FeatureNotImplemented, Cancel}, {"502", ServiceUnavailable, Wait},
		{"503", ServiceUnavailable, Cancel}, {"504", RemoteServerTimeout, Wait}, {"510", ServiceUnavailable, Cancel},
	}
	for _, tt := range tests {
		c, typ, ok := FromLegacyCode(tt.code)
		if !ok || c != tt.c || typ != tt.t {
			t.Errorf("FromLegacyCode(%s) = %s %s %v, want %s %s", tt.code, c, typ, ok, tt.c, tt.t)
		}
		e, _ := ErrorFromElement(parse(t, `<error code='`+tt.code+`'/>`))
		if e.Condition != tt.c || e.Type != tt.t {
			t.Errorf("<error code='%s'/> = %s %s", tt.code, e.Condition, e.Type)
		}
	}
	if _, _, ok := FromLegacyCode("200"); ok {
		t.Error("FromLegacyCode(200) ok")
	}
	for _, c := range allConditions {
		code := c.LegacyCode()
		if c == PolicyViolation { // new in RFC 6120, after XEP-0086
			if code != "" {
				t.Errorf("policy-violation has legacy code %s", code)
			}
			continue
		}
		if code == "" {
			t.Errorf("%s has no legacy code", c)
			continue
		}
		if _, _, ok := FromLegacyCode(code); !ok {
			t.Errorf("%s.LegacyCode() = %s, which FromLegacyCode does not know", c, code)
		}
	}
	if Condition("made-up").LegacyCode() != "" {
		t.Error("unknown condition has a legacy code")
	}
}

func TestErrorIs(t *testing.T) {
	err := fmt.Errorf("send: %w", Error{By: j("example.com"), Type: Cancel, Condition: ItemNotFound, Text: "nope", Lang: "en",
		App: xmlstream.New("urn:app", "why")})
	match := []error{
		Error{},
		Error{Condition: ItemNotFound},
		&Error{Condition: ItemNotFound},
		Error{Type: Cancel},
		Error{Type: Cancel, Condition: ItemNotFound, Text: "nope"},
		Error{By: j("example.com")},
		Error{Lang: "en"},
		Error{App: xmlstream.New("urn:app", "why")},
	}
	for i, target := range match {
		if !errors.Is(err, target) {
			t.Errorf("match %d: errors.Is(%v, %#v) = false", i, err, target)
		}
	}
	noMatch := []error{
		Error{Condition: Conflict},
		Error{Type: Wait, Condition: ItemNotFound},
		Error{Text: "other"},
		Error{By: j("other.example")},
		Error{Code: "404"},
		Error{Redirect: "xmpp:x"},
		Error{App: xmlstream.New("urn:app", "other")},
		(*Error)(nil),
		StreamError{},
		errors.New("item-not-found"),
	}
	for i, target := range noMatch {
		if errors.Is(err, target) {
			t.Errorf("noMatch %d: errors.Is(%v, %#v) = true", i, err, target)
		}
	}
	var se Error
	if !errors.As(err, &se) || se.Condition != ItemNotFound {
		t.Errorf("errors.As = %v", se)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{Type: Cancel, Condition: ItemNotFound}, "stanza error: cancel item-not-found"},
		{Error{Type: Modify, Condition: BadRequest, Text: "why"}, "stanza error: modify bad-request: why"},
		{Error{}, "stanza error: undefined-condition"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorDefaults(t *testing.T) {
	const want = `<error type='cancel'><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`
	if got := string(Error{}.AppendXML(nil)); got != want {
		t.Errorf("zero Error = %s", got)
	}
	if got := string(Error{Condition: NotAuthorized}.AppendXML(nil)); got !=
		`<error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>` {
		t.Errorf("blank type = %s", got)
	}
	defaults := map[Condition]ErrorType{
		BadRequest: Modify, Conflict: Cancel, FeatureNotImplemented: Cancel, Forbidden: Auth, Gone: Cancel,
		InternalServerError: Cancel, ItemNotFound: Cancel, JIDMalformed: Modify, NotAcceptable: Modify,
		NotAllowed: Cancel, NotAuthorized: Auth, PolicyViolation: Modify, RecipientUnavailable: Wait,
		Redirect: Modify, RegistrationRequired: Auth, RemoteServerNotFound: Cancel, RemoteServerTimeout: Wait,
		ResourceConstraint: Wait, ServiceUnavailable: Cancel, SubscriptionRequired: Auth,
		UndefinedCondition: Cancel, UnexpectedRequest: Wait, PaymentRequired: Auth,
	}
	for _, c := range allConditions {
		if got := c.DefaultType(); got != defaults[c] {
			t.Errorf("%s.DefaultType() = %s, want %s", c, got, defaults[c])
		}
	}
}

func TestTemporary(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{Error{Type: Wait, Condition: ResourceConstraint}, true},
		{&Error{Type: Wait}, true},
		{fmt.Errorf("x: %w", Error{Type: Wait}), true},
		{Error{Type: Cancel, Condition: ItemNotFound}, false},
		{StreamError{Condition: StreamSystemShutdown}, true},
		{&StreamError{Condition: StreamSeeOtherHost}, true},
		{StreamError{Condition: StreamConflict}, false},
		{StreamError{Condition: StreamNotAuthorized}, false},
		{errors.New("other"), false},
		{nil, false},
	}
	for i, tt := range tests {
		if got := Temporary(tt.err); got != tt.want {
			t.Errorf("%d: Temporary(%v) = %v", i, tt.err, got)
		}
	}
}
