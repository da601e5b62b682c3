package register

import (
	"errors"
	"reflect"
	"testing"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// parse parses one top-level element of a jabber:client stream.
func parse(tb testing.TB, s string) *xmlstream.Element {
	tb.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		tb.Fatalf("xmlstream.Parse(%q): %v", s, err)
	}
	return e
}

// queryOf parses an iq and returns its payload.
func queryOf(tb testing.TB, s string) *xmlstream.Element {
	tb.Helper()
	iq, err := stanza.IQFromElement(parse(tb, s))
	if err != nil {
		tb.Fatalf("IQFromElement: %v", err)
	}
	return iq.Payload()
}

// Answers to a registration request as servers send them.
const (
	// jabberd2 2.7.0, verbatim from its wire trace (jabberd2.md §6).
	jabberd2Fields = `<iq xmlns='jabber:client' id='reg1' type='result'><query xmlns='jabber:iq:register'><instructions>Enter a username and password to register with this server.</instructions><username/><password></password></query></iq>`

	// Prosody 0.12 mod_register: legacy fields and the equivalent form.
	prosodyFields = `<iq type='result' id='reg1' from='localhost'><query xmlns='jabber:iq:register'>` +
		`<instructions>Choose a username and password for use with this service.</instructions><username/><password/>` +
		`<x xmlns='jabber:x:data' type='form'><title>Creating a new account</title><instructions>Choose a username and password for use with this service.</instructions>` +
		`<field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field>` +
		`<field var='username' type='text-single' label='Username'><required/></field>` +
		`<field var='password' type='text-private' label='Password'><required/></field></x></query></iq>`

	// ejabberd 23.01 mod_register with captcha: instructions, a captcha form
	// and the image as XEP-0231 data next to it.
	ejabberdCaptcha = `<iq type='result' id='reg1' from='ejabberd.localhost'><query xmlns='jabber:iq:register'>` +
		`<instructions>You need a client that supports x:data and CAPTCHA to register</instructions>` +
		`<x xmlns='jabber:x:data' type='form'><instructions>Choose a username and password to register with this server</instructions>` +
		`<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:captcha</value></field>` +
		`<field var='username' type='text-single' label='User'><required/></field>` +
		`<field var='password' type='text-private' label='Password'><required/></field>` +
		`<field type='fixed'><value>If you don't see the CAPTCHA image here, visit the web page.</value></field>` +
		`<field var='captcha-fallback-url' type='text-single' label='CAPTCHA web page'><value>http://127.0.0.1:16280/captcha/4187/image</value></field>` +
		`<field var='from' type='hidden'><value>ejabberd.localhost</value></field>` +
		`<field var='challenge' type='hidden'><value>4187</value></field>` +
		`<field var='sid' type='hidden'><value>reg1</value></field>` +
		`<field var='ocr' label='Enter the text you see'><media xmlns='urn:xmpp:media-element' height='70' width='120'><uri type='image/png'>cid:sha1+0a1b@bob.xmpp.org</uri></media><required/></field></x>` +
		`<data xmlns='urn:xmpp:bob' cid='sha1+0a1b@bob.xmpp.org' type='image/png' max-age='0'>iVBORw0KGgo=</data></query></iq>`

	// Already registered (XEP-0077 §3.1, Prosody after login).
	registered = `<iq type='result' id='reg2'><query xmlns='jabber:iq:register'><registered/><username>juliet</username><password/><email>juliet@capulet.com</email></query></iq>`

	// Redirect to the web (XEP-0077 §5.1), with a host-specific field.
	webOnly = `<iq type='result' id='reg3' from='contests.shakespeare.lit'><query xmlns='jabber:iq:register'>
    <instructions>To register, visit http://www.shakespeare.lit/contests.php</instructions>
    <x xmlns='jabber:x:oob'><url>http://www.shakespeare.lit/contests.php</url></x>
    <key>7a4b</key><x-color>blue</x-color>
  </query></iq>`
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name string
		iq   string
		want *Fields
	}{
		0: {"jabberd2", jabberd2Fields, &Fields{
			Instructions: "Enter a username and password to register with this server.",
			Legacy:       []Field{{"username", ""}, {"password", ""}},
		}},
		1: {"prosody", prosodyFields, &Fields{
			Instructions: "Choose a username and password for use with this service.",
			Legacy:       []Field{{"username", ""}, {"password", ""}},
			Form: &form.Form{Type: form.TypeForm, Title: "Creating a new account",
				Instructions: []string{"Choose a username and password for use with this service."},
				Fields: []form.Field{
					{Var: "FORM_TYPE", Type: form.Hidden, Values: []string{"jabber:iq:register"}},
					{Var: "username", Type: form.TextSingle, Label: "Username", Required: true},
					{Var: "password", Type: form.TextPrivate, Label: "Password", Required: true},
				}},
		}},
		2: {"registered", registered, &Fields{
			Registered: true,
			Legacy:     []Field{{"username", "juliet"}, {"password", ""}, {"email", "juliet@capulet.com"}},
		}},
		3: {"web only", webOnly, &Fields{
			Instructions: "To register, visit http://www.shakespeare.lit/contests.php",
			Legacy:       []Field{{"key", "7a4b"}, {"x-color", "blue"}},
			OOB:          "http://www.shakespeare.lit/contests.php",
		}},
		4: {"remove", `<iq type='set' id='u1'><query xmlns='jabber:iq:register'><remove/></query></iq>`, &Fields{Remove: true}},
	}
	for i, tt := range tests {
		got, err := ParseQuery(queryOf(t, tt.iq))
		if err != nil {
			t.Errorf("%d %s: %v", i, tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d %s:\n got %#v\nwant %#v", i, tt.name, got, tt.want)
		}
		// Element is the inverse of ParseQuery.
		back, err := ParseQuery(got.Element())
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("%d %s: round trip err %v\n got %#v\nwant %#v", i, tt.name, err, back, got)
		}
	}
}

// TestEjabberdCaptchaForm fills ejabberd's captcha registration form: the
// hidden fields go back unchanged, the fixed text does not.
func TestEjabberdCaptchaForm(t *testing.T) {
	q, err := ParseQuery(queryOf(t, ejabberdCaptcha))
	if err != nil {
		t.Fatal(err)
	}
	if q.Form == nil || q.Form.FormType() != "urn:xmpp:captcha" || len(q.Legacy) != 0 {
		t.Fatalf("parsed %#v", q)
	}
	if q.Instructions != "You need a client that supports x:data and CAPTCHA to register" {
		t.Errorf("instructions %q", q.Instructions)
	}
	_, err = SubmitFormIQ(jidZero, q.Form)
	var verr *form.ValidationError
	if !errors.As(err, &verr) || !reflect.DeepEqual(verr.Missing, []string{"username", "password", "ocr"}) {
		t.Fatalf("SubmitFormIQ of blank form: %v", err)
	}
	for v, val := range map[string]string{"username": "frank", "password": "pw", "ocr": "7pX2"} {
		if err := q.Form.Set(v, val); err != nil {
			t.Fatal(err)
		}
	}
	iq, err := SubmitFormIQ(jidZero, q.Form)
	if err != nil {
		t.Fatal(err)
	}
	iq.ID = "reg2"
	want := `<iq id='reg2' type='set'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>` +
		`<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:captcha</value></field>` +
		`<field var='username' type='text-single'><value>frank</value></field>` +
		`<field var='password' type='text-private'><value>pw</value></field>` +
		`<field var='captcha-fallback-url' type='text-single'><value>http://127.0.0.1:16280/captcha/4187/image</value></field>` +
		`<field var='from' type='hidden'><value>ejabberd.localhost</value></field>` +
		`<field var='challenge' type='hidden'><value>4187</value></field>` +
		`<field var='sid' type='hidden'><value>reg1</value></field>` +
		`<field var='ocr'><value>7pX2</value></field></x></query></iq>`
	if got := string(iq.AppendXML(nil)); got != want {
		t.Errorf("submission\n got %s\nwant %s", got, want)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []string{
		0: `<query xmlns='jabber:iq:roster'/>`,
		1: `<x xmlns='jabber:iq:register'/>`,
		2: `<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data'/></query>`, // form without type
	}
	for i, s := range tests {
		if _, err := ParseQuery(parse(t, s)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%d: err = %v, want ErrMalformed", i, err)
		}
	}
	_, err := ParseQuery(parse(t, tests[2]))
	if !errors.Is(err, form.ErrMalformed) {
		t.Errorf("form error not wrapped: %v", err)
	}
	if _, err := ParseQuery(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil: %v", err)
	}
}

func TestStandard(t *testing.T) {
	for _, n := range []string{"username", "password", "email", "key", "misc", "text", "date", "url", "nick"} {
		if !Standard(n) {
			t.Errorf("Standard(%q) = false", n)
		}
	}
	for _, n := range []string{"x-color", "instructions", "registered", "remove", "Username", ""} {
		if Standard(n) {
			t.Errorf("Standard(%q) = true", n)
		}
	}
}

func TestFill(t *testing.T) {
	q, err := ParseQuery(queryOf(t, webOnly))
	if err != nil {
		t.Fatal(err)
	}
	// The key is echoed, the user's values are used, extra entries dropped.
	got, err := q.Fill(map[string]string{"x-color": "red", "nick": "ignored"})
	if err != nil || !reflect.DeepEqual(got, map[string]string{"key": "7a4b", "x-color": "red"}) {
		t.Errorf("Fill = %v, %v", got, err)
	}

	q, err = ParseQuery(queryOf(t, jabberd2Fields))
	if err != nil {
		t.Fatal(err)
	}
	_, err = q.Fill(map[string]string{"username": "frank", "password": ""})
	var verr *form.ValidationError
	if !errors.As(err, &verr) || !reflect.DeepEqual(verr.Missing, []string{"password"}) {
		t.Errorf("Fill with empty password: %v", err)
	}
	_, err = q.Fill(nil)
	if !errors.As(err, &verr) || !reflect.DeepEqual(verr.Missing, []string{"username", "password"}) {
		t.Errorf("Fill(nil): %v", err)
	}
}

// parseIQ parses a stanza of a jabber:client stream.
func parseIQ(s string) (*xmlstream.Element, error) {
	return xmlstream.Parse([]byte(s), "jabber:client", nil)
}
