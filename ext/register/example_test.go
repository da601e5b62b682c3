package register_test

import (
	"fmt"

	"parley.dev/xmpp/ext/register"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Registering with jabberd2 before login: the answer to RequestIQ lists
// legacy fields only, so they are filled and sent with SubmitIQ.
func ExampleFields_Fill() {
	var server jid.JID // zero: the server the stream is open to
	req := register.RequestIQ(server)
	req.ID = "reg1"
	fmt.Printf("%s\n", req.AppendXML(nil))

	answer := `<iq id='reg1' type='result'><query xmlns='jabber:iq:register'>` +
		`<instructions>Enter a username and password to register with this server.</instructions>` +
		`<username/><password></password></query></iq>`
	el, _ := xmlstream.Parse([]byte(answer), "jabber:client", nil)
	iq, _ := stanza.IQFromElement(el)
	q, err := register.ParseQuery(iq.Payload())
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Instructions)

	if _, err := q.Fill(map[string]string{"username": "frank"}); err != nil {
		fmt.Println(err)
	}
	values, _ := q.Fill(map[string]string{"username": "frank", "password": "pw"})
	sub := register.SubmitIQ(server, values)
	sub.ID = "reg2"
	fmt.Printf("%s\n", sub.AppendXML(nil))
	// Output:
	// <iq id='reg1' type='get'><query xmlns='jabber:iq:register'/></iq>
	// Enter a username and password to register with this server.
	// form: invalid submission: missing required "password"
	// <iq id='reg2' type='set'><query xmlns='jabber:iq:register'><username>frank</username><password>pw</password></query></iq>
}
