package presence_test

import (
	"fmt"

	"parley.dev/xmpp/ext/presence"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func ExampleAvailable() {
	p := presence.Available(&presence.Options{
		Show:     stanza.ShowAway,
		Status:   map[string]string{"": "At lunch", "fr": "Au déjeuner"},
		Priority: 5,
	})
	fmt.Println(string(p.AppendXML(nil)))
	// Output:
	// <presence><show>away</show><priority>5</priority><status>At lunch</status><status xml:lang='fr'>Au déjeuner</status></presence>
}

func ExampleDB() {
	var db presence.DB
	for _, s := range []string{
		`<presence from='juliet@example.com/balcony'><priority>1</priority></presence>`,
		`<presence from='juliet@example.com/chamber'><priority>5</priority><show>dnd</show></presence>`,
		`<presence from='juliet@example.com/chamber' type='unavailable'/>`,
	} {
		e, _ := xmlstream.Parse([]byte(s), "jabber:client", nil)
		p, _ := stanza.PresenceFromElement(e)
		c, _ := db.Parse(p)
		juliet := jid.MustParse("juliet@example.com")
		top, _ := db.Query(juliet)
		fmt.Println(c.Kind, c.JID, "→ resources", db.Resources(juliet), "top", top.From.Resourcepart())
	}
	// Output:
	// online juliet@example.com/balcony → resources [balcony] top balcony
	// online juliet@example.com/chamber → resources [chamber balcony] top chamber
	// offline juliet@example.com/chamber → resources [balcony] top balcony
}
