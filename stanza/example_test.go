package stanza_test

import (
	"errors"
	"fmt"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func ExampleMessageFromElement() {
	el, err := xmlstream.Parse([]byte(`<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat' xml:lang='en'>`+
		`<body>Art thou not Romeo, and a Montague?</body>`+
		`<body xml:lang='de'>Bist du nicht Romeo, und ein Montague?</body>`+
		`<thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread>`+
		`<active xmlns='http://jabber.org/protocol/chatstates'/></message>`), stanza.NSClient, nil)
	if err != nil {
		panic(err)
	}
	msg, err := stanza.MessageFromElement(el)
	if err != nil {
		panic(err)
	}
	fmt.Println(msg.From.Bare(), msg.Type)
	fmt.Println(msg.Body(""))
	fmt.Println(msg.Body("de"))
	thread, _ := msg.Thread()
	fmt.Println(thread[:8])
	for p := range msg.Payloads() {
		fmt.Println(p.Name.Local)
	}
	// Output:
	// juliet@example.com chat
	// Art thou not Romeo, and a Montague?
	// Bist du nicht Romeo, und ein Montague?
	// e0ffe42b
	// active
}

func ExampleMessage_AppendXML() {
	msg := stanza.NewMessage(stanza.MessageChat, jid.MustParse("romeo@example.net"))
	msg.ID = "m1"
	msg.AddBody("", "Neither, fair saint, if either thee dislike.")
	msg.AddPayload(xmlstream.New("urn:xmpp:receipts", "request"))
	fmt.Println(string(msg.AppendXML(nil)))
	// Output:
	// <message to='romeo@example.net' id='m1' type='chat'><body>Neither, fair saint, if either thee dislike.</body><request xmlns='urn:xmpp:receipts'/></message>
}

func ExamplePresence() {
	p := stanza.Presence{}
	p.SetShow(stanza.ShowDND)
	p.SetStatus("", "In a meeting")
	p.SetPriority(10)
	fmt.Println(string(p.AppendXML(nil)))

	el, _ := xmlstream.Parse(p.AppendXML(nil), stanza.NSClient, nil)
	back, _ := stanza.PresenceFromElement(el)
	fmt.Println(back.Show(), back.Status(""), back.Priority())
	// Output:
	// <presence><show>dnd</show><status>In a meeting</status><priority>10</priority></presence>
	// dnd In a meeting 10
}

func ExampleIQ_ErrorReply() {
	el, _ := xmlstream.Parse([]byte(`<iq from='juliet@example.com/balcony' id='v1' type='get'>`+
		`<query xmlns='jabber:iq:unknown'/></iq>`), stanza.NSClient, nil)
	req, err := stanza.IQFromElement(el)
	if err != nil {
		panic(err)
	}
	reply := req.ErrorReply(stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable})
	fmt.Println(string(reply.AppendXML(nil)))
	// Output:
	// <iq to='juliet@example.com/balcony' id='v1' type='error'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>
}

func ExampleIQFromElement_invalid() {
	// RFC 6120 §8.2.3: a get must carry exactly one payload.
	el, _ := xmlstream.Parse([]byte(`<iq id='q1' type='get'/>`), stanza.NSClient, nil)
	_, err := stanza.IQFromElement(el)
	fmt.Println(errors.Is(err, stanza.Error{Condition: stanza.BadRequest}))
	fmt.Println(err)
	// Output:
	// true
	// stanza error: modify bad-request: iq get or set must carry exactly one child element
}

func ExampleError_Is() {
	err := fmt.Errorf("roster get: %w", stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound, Text: "no such item"})
	fmt.Println(errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}))
	fmt.Println(errors.Is(err, stanza.Error{Type: stanza.Wait}))
	fmt.Println(stanza.Temporary(err))
	// Output:
	// true
	// false
	// false
}

func ExampleErrorFromElement_legacy() {
	// A jabberd 1.4 error carries only a numeric code (XEP-0086).
	el, _ := xmlstream.Parse([]byte(`<iq type='error' id='r1'><error code='407'>Registration Required</error></iq>`), stanza.NSClient, nil)
	e, ok := stanza.ErrorFromElement(el)
	fmt.Println(ok, e.Type, e.Condition, e.Text)
	// Output:
	// true auth registration-required Registration Required
}

func ExampleStreamError() {
	se := stanza.StreamError{Condition: stanza.StreamSeeOtherHost, Redirect: "[2001:db8::1]:5222"}
	fmt.Println(string(se.AppendXML(nil)))
	fmt.Println(se.Temporary())
	// Output:
	// <stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>[2001:db8::1]:5222</see-other-host></stream:error>
	// true
}

func ExampleKindOf() {
	for _, s := range []string{`<message/>`, `<presence/>`, `<iq type='result' id='1'/>`, `<r xmlns='urn:xmpp:sm:3'/>`} {
		el, _ := xmlstream.Parse([]byte(s), stanza.NSClient, nil)
		fmt.Println(stanza.KindOf(el))
	}
	// Output:
	// message
	// presence
	// iq
	// nonza
}
