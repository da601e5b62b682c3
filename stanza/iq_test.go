package stanza

import (
	"errors"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

func TestIQFromElement(t *testing.T) {
	tests := []struct {
		in      string
		typ     IQType
		payload string // Clark name of Payload(), "" for nil
		err     Condition
	}{
		0:  {in: `<iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>`, typ: IQGet, payload: "{jabber:iq:roster}query"},
		1:  {in: `<iq type='set' id='1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`, typ: IQSet, payload: "{urn:ietf:params:xml:ns:xmpp-bind}bind"},
		2:  {in: `<iq type='result' id='1'/>`, typ: IQResult},
		3:  {in: "<iq type='result' id='1'>\n <query xmlns='jabber:iq:version'/>\n</iq>", typ: IQResult, payload: "{jabber:iq:version}query"},
		4:  {in: `<iq type='error' id='1'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, typ: IQError},
		5:  {in: `<iq type='error' id='1'><ping xmlns='urn:xmpp:ping'/><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, typ: IQError, payload: "{urn:xmpp:ping}ping"},
		6:  {in: `<iq type='get' id='1'/>`, err: BadRequest},
		7:  {in: `<iq type='set' id='1'>text only</iq>`, err: BadRequest},
		8:  {in: `<iq type='get' id='1'><a xmlns='urn:a'/><b xmlns='urn:b'/></iq>`, err: BadRequest},
		9:  {in: `<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>`, err: BadRequest},
		10: {in: `<iq id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, err: BadRequest},
		11: {in: `<iq type='fetch' id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, err: BadRequest},
		12: {in: `<iq type='get' id='1' to='a@b@c'><ping xmlns='urn:xmpp:ping'/></iq>`, err: JIDMalformed},
		13: {in: "<iq type='get' id='1'>\n <ping xmlns='urn:xmpp:ping'/>\n</iq>", typ: IQGet, payload: "{urn:xmpp:ping}ping"},
	}
	for i, tt := range tests {
		iq, err := IQFromElement(parse(t, tt.in))
		if tt.err != "" {
			if !errors.Is(err, Error{Type: Modify, Condition: tt.err}) {
				t.Errorf("%d: err = %v, want %s", i, err, tt.err)
			}
			if iq.El == nil {
				t.Errorf("%d: rejected IQ lost its element", i)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d: unexpected error %v", i, err)
			continue
		}
		if iq.Type != tt.typ || iq.ID != "1" {
			t.Errorf("%d: Type, ID = %q, %q", i, iq.Type, iq.ID)
		}
		got := ""
		if p := iq.Payload(); p != nil {
			got = p.Name.String()
		}
		if got != tt.payload {
			t.Errorf("%d: Payload = %q, want %q", i, got, tt.payload)
		}
	}
}

func TestIQReplies(t *testing.T) {
	req, err := IQFromElement(parse(t, `<iq from='juliet@example.com/balcony' to='example.com' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>`))
	if err != nil {
		t.Fatal(err)
	}
	q := xmlstream.New("jabber:iq:version", "query")
	q.AddChild("", "name").AddText("parley")
	res := req.Result(q)
	const wantRes = `<iq to='juliet@example.com/balcony' from='example.com' id='v1' type='result'>` +
		`<query xmlns='jabber:iq:version'><name>parley</name></query></iq>`
	if got := string(res.AppendXML(nil)); got != wantRes {
		t.Errorf("Result =\n%s\nwant\n%s", got, wantRes)
	}
	if got := string(req.Result(nil).AppendXML(nil)); got != `<iq to='juliet@example.com/balcony' from='example.com' id='v1' type='result'/>` {
		t.Errorf("empty Result = %s", got)
	}
	er := req.ErrorReply(Error{Type: Cancel, Condition: FeatureNotImplemented, Text: "no", Lang: "en"})
	const wantErr = `<iq to='juliet@example.com/balcony' from='example.com' id='v1' type='error'><error type='cancel'>` +
		`<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>` +
		`<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>no</text></error></iq>`
	if got := string(er.AppendXML(nil)); got != wantErr {
		t.Errorf("ErrorReply =\n%s\nwant\n%s", got, wantErr)
	}
	back, err := IQFromElement(parse(t, wantErr))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := back.Error()
	if !ok || e != (Error{Type: Cancel, Condition: FeatureNotImplemented, Text: "no", Lang: "en"}) {
		t.Errorf("Error() = %#v, %v", e, ok)
	}
	if back.Payload() != nil {
		t.Errorf("error iq Payload = %v, want nil", back.Payload())
	}

	n := NewIQ(IQSet, j("example.com"), xmlstream.New("urn:ietf:params:xml:ns:xmpp-session", "session"))
	n.ID = "s1"
	if got := string(n.AppendXML(nil)); got != `<iq to='example.com' id='s1' type='set'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>` {
		t.Errorf("NewIQ = %s", got)
	}
	if got := string(xmlstream.AppendElement(nil, n.Element(), NSComponent)); got != `<iq to='example.com' id='s1' type='set'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>` {
		t.Errorf("NewIQ Element = %s", got)
	}
}
