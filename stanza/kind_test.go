package stanza

import (
	"testing"

	"parley.dev/xmpp/xmlstream"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		space, local string
		want         Kind
	}{
		{NSClient, "message", KindMessage},
		{NSServer, "presence", KindPresence},
		{NSComponent, "iq", KindIQ},
		{"", "iq", KindIQ},
		{"urn:other", "message", KindNonza},
		{xmlstream.NSStream, "features", KindNonza},
		{NSClient, "error", KindNonza},
		{"urn:ietf:params:xml:ns:xmpp-sasl", "auth", KindNonza},
	}
	for _, tt := range tests {
		if got := KindOf(xmlstream.New(tt.space, tt.local)); got != tt.want {
			t.Errorf("KindOf({%s}%s) = %v, want %v", tt.space, tt.local, got, tt.want)
		}
	}
	if KindOf(nil) != KindNonza {
		t.Error("KindOf(nil) is not a nonza")
	}
	for k, want := range map[Kind]string{KindNonza: "nonza", KindMessage: "message", KindPresence: "presence", KindIQ: "iq", 9: "unknown"} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q", k, k.String())
		}
	}
}
