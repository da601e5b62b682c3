package register

import (
	"testing"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

var jidZero jid.JID

func TestRequests(t *testing.T) {
	server := jid.MustParse("shakespeare.lit")
	submitted, err := SubmitFormIQ(server, &form.Form{Type: form.TypeSubmit, Fields: []form.Field{
		{Var: "FORM_TYPE", Values: []string{FormTypeRegister}}, {Var: "username", Values: []string{"bill"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		iq   stanza.IQ
		want string
	}{
		0: {RequestIQ(jidZero), `<iq id='reg1' type='get'><query xmlns='jabber:iq:register'/></iq>`},
		1: {RequestIQ(jid.MustParse("contests.shakespeare.lit")),
			`<iq to='contests.shakespeare.lit' id='reg1' type='get'><query xmlns='jabber:iq:register'/></iq>`},
		2: {SubmitIQ(jidZero, map[string]string{"password": "pw", "username": "frank"}),
			`<iq id='reg1' type='set'><query xmlns='jabber:iq:register'><username>frank</username><password>pw</password></query></iq>`},
		// Schema order, then others sorted; text is escaped.
		3: {SubmitIQ(server, map[string]string{"x-b": "2", "email": "bard@shakespeare.lit", "x-a": "<&>", "key": "k", "username": "bill"}),
			`<iq to='shakespeare.lit' id='reg1' type='set'><query xmlns='jabber:iq:register'><username>bill</username>` +
				`<email>bard@shakespeare.lit</email><key>k</key><x-a>&lt;&amp;&gt;</x-a><x-b>2</x-b></query></iq>`},
		4: {ChangePasswordIQ(server, "bill", "newpass"),
			`<iq to='shakespeare.lit' id='reg1' type='set'><query xmlns='jabber:iq:register'><username>bill</username><password>newpass</password></query></iq>`},
		5: {RemoveIQ(jidZero), `<iq id='reg1' type='set'><query xmlns='jabber:iq:register'><remove/></query></iq>`},
		6: {submitted, `<iq to='shakespeare.lit' id='reg1' type='set'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>` +
			`<field var='FORM_TYPE'><value>jabber:iq:register</value></field><field var='username'><value>bill</value></field></x></query></iq>`},
	}
	for i, tt := range tests {
		iq := tt.iq
		iq.ID = "reg1"
		if got := string(iq.AppendXML(nil)); got != tt.want {
			t.Errorf("%d:\n got %s\nwant %s", i, got, tt.want)
		}
	}
}

// TestRequestsMatchJabberd2 compares the built requests with what a client
// sent to jabberd2 in a working registration (jabberd2.md §6).
func TestRequestsMatchJabberd2(t *testing.T) {
	tests := []struct {
		iq   stanza.IQ
		id   string
		wire string
	}{
		0: {RequestIQ(jidZero), "reg1", `<iq type='get' id='reg1'><query xmlns='jabber:iq:register'/></iq>`},
		1: {SubmitIQ(jidZero, map[string]string{"username": "frank", "password": "pw"}), "reg2",
			`<iq type='set' id='reg2'><query xmlns='jabber:iq:register'><username>frank</username><password>pw</password></query></iq>`},
	}
	for i, tt := range tests {
		iq := tt.iq
		iq.ID = tt.id
		got := parse(t, string(iq.AppendXML(nil)))
		if want := parse(t, tt.wire); !got.Equal(want) {
			t.Errorf("%d: built %s, jabberd2 trace has %s", i, got, want)
		}
	}
}
