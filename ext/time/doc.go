// Package time implements XEP-0202 Entity Time (urn:xmpp:time): asking an
// entity for its current time and offset from UTC, and answering.
//
// The package is named after its directory; import it with another name
// (for example xtime) next to the standard library's time.
//
// Get sends the request (XEP-0202 §3) and returns the entity's time in a
// fixed zone with its offset. New returns an xmpp.Extension that answers
// with the local clock and advertises urn:xmpp:time (§4); it is off unless
// added. Times use the XEP-0082 profiles: <tzo/> is ±hh:mm or Z and <utc/>
// a UTC dateTime, fractions of a second allowed.
package time
