package time_test

import (
	"fmt"
	"time"

	xtime "parley.dev/xmpp/ext/time"
)

func ExampleElement() {
	t := time.Date(2006, 12, 19, 11, 58, 35, 0, time.FixedZone("CST", -6*3600))
	e := xtime.Element(t)
	fmt.Println(e)
	back, _ := xtime.Parse(e)
	fmt.Println(back.Format(time.RFC3339))
	// Output:
	// <time xmlns='urn:xmpp:time'><tzo>-06:00</tzo><utc>2006-12-19T17:58:35Z</utc></time>
	// 2006-12-19T11:58:35-06:00
}
