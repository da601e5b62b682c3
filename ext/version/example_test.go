package version_test

import (
	"fmt"

	"parley.dev/xmpp/ext/version"
)

func ExampleInfo_Element() {
	fmt.Println(version.Info{Name: "Parley", Version: "1.0"}.Element())
	// Output:
	// <query xmlns='jabber:iq:version'><name>Parley</name><version>1.0</version></query>
}
