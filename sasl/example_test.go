package sasl_test

import (
	"encoding/base64"
	"fmt"

	"parley.dev/xmpp/sasl"
)

// PLAIN's single message, base64-encoded as it goes into <auth/>.
func ExamplePlain() {
	m := sasl.Plain(sasl.Credentials{Username: "juliet", Password: "r0m30myr0m30"})
	initial, err := m.Start()
	if err != nil {
		panic(err)
	}
	fmt.Printf("<auth xmlns='%s' mechanism='%s'>%s</auth>\n", sasl.NS, m.Name(), base64.StdEncoding.EncodeToString(initial))
	// Output:
	// <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGp1bGlldAByMG0zMG15cjBtMzA=</auth>
}

// Select refuses PLAIN on an unencrypted stream and prefers SCRAM to it.
func ExampleSelect() {
	offered := []string{"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"} // Prosody
	c := sasl.Credentials{Username: "alice", Password: "alicepass"}

	m, err := sasl.Select(offered, c, &sasl.Config{TLS: true})
	fmt.Println(m.Name(), err)

	_, err = sasl.Select([]string{"PLAIN"}, c, nil)
	fmt.Println(err)
	// Output:
	// SCRAM-SHA-256 <nil>
	// sasl: no acceptable mechanism offered: PLAIN: stream not encrypted
}
