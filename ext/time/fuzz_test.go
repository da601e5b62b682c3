package time_test

import (
	"testing"

	xtime "parley.dev/xmpp/ext/time"
	"parley.dev/xmpp/xmlstream"
)

// FuzzParse: no panic; a time that parses survives Element → Parse with the
// same instant and offset.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<time xmlns='urn:xmpp:time'><tzo>-06:00</tzo><utc>2006-12-19T17:58:35Z</utc></time>`))
	f.Add([]byte(`<time xmlns='urn:xmpp:time'><tzo>Z</tzo><utc>2006-12-19T17:58:35.123Z</utc></time>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := xmlstream.Parse(data, "jabber:client", nil)
		if err != nil {
			return
		}
		tm, err := xtime.Parse(el)
		if err != nil {
			return
		}
		again, err := xtime.Parse(xtime.Element(tm))
		_, o1 := tm.Zone()
		_, o2 := again.Zone()
		if err != nil || !again.Equal(tm) || o1 != o2 {
			t.Fatalf("round trip %v %v, want %v", again, err, tm)
		}
	})
}
