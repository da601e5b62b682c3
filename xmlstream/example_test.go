package xmlstream_test

import (
	"errors"
	"fmt"

	"parley.dev/xmpp/xmlstream"
)

// A Decoder is fed bytes as they arrive, in chunks of any size, and asked
// for events until it needs more.
func ExampleDecoder() {
	d := xmlstream.NewDecoder(nil)
	d.Feed([]byte(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' ` +
		`xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0'>`))
	d.Feed([]byte(`<message from='juliet@example.com' type='chat'><body>Art thou not Romeo`))
	d.Feed([]byte(`, and a Montague?</body></message> </stream:stream>`))
	for {
		ev, err := d.Next()
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		switch ev.Kind {
		case xmlstream.EventNone:
			return
		case xmlstream.EventStreamStart:
			fmt.Println("stream from", ev.Header.From, "id", ev.Header.ID, "default", ev.Header.Default)
		case xmlstream.EventElement:
			e := ev.Element
			fmt.Println(e.Name, e.Get("from"), e.ChildText("", "body"))
		default:
			fmt.Println(ev.Kind)
		}
	}
	// Output:
	// stream from example.com id s1 default jabber:client
	// {jabber:client}message juliet@example.com Art thou not Romeo, and a Montague?
	// whitespace
	// stream-end
}

// Errors carry the RFC 6120 stream error condition to send back.
func ExampleDecoder_error() {
	d := xmlstream.NewDecoder(nil)
	d.Feed([]byte(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>` +
		`<message><body>&xxe;</body></message>`))
	for {
		ev, err := d.Next()
		if err != nil {
			var xe *xmlstream.Error
			errors.As(err, &xe)
			fmt.Println(xe.Condition, "at byte", xe.Offset)
			return
		}
		fmt.Println(ev.Kind)
	}
	// Output:
	// stream-start
	// restricted-xml at byte 100
}

func ExampleParse() {
	e, err := xmlstream.Parse([]byte(`<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`), "jabber:client", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Name, e.FirstChild().Name)
	_, err = xmlstream.Parse([]byte(`<iq><!-- no --></iq>`), "jabber:client", nil)
	fmt.Println(err)
	// Output:
	// {jabber:client}iq {jabber:iq:roster}query
	// xmlstream: restricted-xml at byte 4: comment, DTD or other markup declaration
}

func ExampleAppendElement() {
	msg := xmlstream.New("jabber:client", "message").SetAttr("to", "romeo@example.net").SetAttr("type", "chat")
	msg.AddChild("", "body").AddText("Wherefore art thou, Romeo? <3 & more")
	msg.AddChild("http://jabber.org/protocol/chatstates", "active")
	buf := xmlstream.AppendElement(nil, msg, "jabber:client")
	fmt.Println(string(buf))
	// Output:
	// <message to='romeo@example.net' type='chat'><body>Wherefore art thou, Romeo? &lt;3 &amp; more</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>
}

func ExampleElement_String() {
	e := xmlstream.New("urn:xmpp:ping", "ping")
	fmt.Println(e)
	// Output:
	// <ping xmlns='urn:xmpp:ping'/>
}

func ExampleAppendHeader() {
	buf := xmlstream.AppendHeader(nil, &xmlstream.Header{To: "example.com", Version: "1.0", Lang: "en", Default: "jabber:client"})
	buf = xmlstream.AppendClose(buf)
	fmt.Println(string(buf))
	// Output:
	// <?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'></stream:stream>
}
