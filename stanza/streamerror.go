package stanza

import (
	"errors"
	"strings"

	"parley.dev/xmpp/xmlstream"
)

// StreamCondition is a defined stream error condition (RFC 6120 §4.9.3), the
// local name of an element in the NSStreams namespace.
type StreamCondition string

// Stream error conditions (RFC 6120 §4.9.3). The decoder's conditions
// (xmlstream.CondBadFormat and friends) are the same strings.
const (
	StreamBadFormat              StreamCondition = "bad-format"               // §4.9.3.1
	StreamBadNamespacePrefix     StreamCondition = "bad-namespace-prefix"     // §4.9.3.2
	StreamConflict               StreamCondition = "conflict"                 // §4.9.3.3
	StreamConnectionTimeout      StreamCondition = "connection-timeout"       // §4.9.3.4
	StreamHostGone               StreamCondition = "host-gone"                // §4.9.3.5
	StreamHostUnknown            StreamCondition = "host-unknown"             // §4.9.3.6
	StreamImproperAddressing     StreamCondition = "improper-addressing"      // §4.9.3.7
	StreamInternalServerError    StreamCondition = "internal-server-error"    // §4.9.3.8
	StreamInvalidFrom            StreamCondition = "invalid-from"             // §4.9.3.9
	StreamInvalidNamespace       StreamCondition = "invalid-namespace"        // §4.9.3.10
	StreamInvalidXML             StreamCondition = "invalid-xml"              // §4.9.3.11
	StreamNotAuthorized          StreamCondition = "not-authorized"           // §4.9.3.12
	StreamNotWellFormed          StreamCondition = "not-well-formed"          // §4.9.3.13
	StreamPolicyViolation        StreamCondition = "policy-violation"         // §4.9.3.14
	StreamRemoteConnectionFailed StreamCondition = "remote-connection-failed" // §4.9.3.15
	StreamReset                  StreamCondition = "reset"                    // §4.9.3.16
	StreamResourceConstraint     StreamCondition = "resource-constraint"      // §4.9.3.17
	StreamRestrictedXML          StreamCondition = "restricted-xml"           // §4.9.3.18
	StreamSeeOtherHost           StreamCondition = "see-other-host"           // §4.9.3.19: StreamError.Redirect holds the host
	StreamSystemShutdown         StreamCondition = "system-shutdown"          // §4.9.3.20
	StreamUndefinedCondition     StreamCondition = "undefined-condition"      // §4.9.3.21
	StreamUnsupportedEncoding    StreamCondition = "unsupported-encoding"     // §4.9.3.22
	StreamUnsupportedFeature     StreamCondition = "unsupported-feature"      // §4.9.3.23
	StreamUnsupportedStanzaType  StreamCondition = "unsupported-stanza-type"  // §4.9.3.24
	StreamUnsupportedVersion     StreamCondition = "unsupported-version"      // §4.9.3.25
)

// StreamError is a stream error (RFC 6120 §4.9): the <stream:error/>
// element that ends a stream. It is a comparable value and implements error;
// Is treats blank fields of the target as wildcards, so
//
//	errors.Is(err, stanza.StreamError{Condition: stanza.StreamConflict})
//
// matches a conflict stream error whatever its text.
type StreamError struct {
	// Condition is the defined condition (RFC 6120 §4.9.3).
	Condition StreamCondition
	// Text is the optional human-readable description and Lang its
	// xml:lang (RFC 6120 §4.9.2).
	Text, Lang string
	// App is the optional application-specific condition element
	// (RFC 6120 §4.9.4), in a namespace of its own.
	App *xmlstream.Element
	// Redirect is the content of a see-other-host condition
	// (RFC 6120 §4.9.3.19): the host (with optional port, an IPv6 address
	// in brackets) to reconnect to.
	Redirect string
}

// Error returns "stream error: <condition>: <text>".
func (e StreamError) Error() string {
	s := "stream error: " + string(e.cond())
	if e.Redirect != "" {
		s += " " + e.Redirect
	}
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// Is reports whether target is a StreamError (or *StreamError) whose
// non-blank fields (Condition, Text, Lang, Redirect, and App's name) all
// equal e's.
func (e StreamError) Is(target error) bool {
	var t StreamError
	switch v := target.(type) {
	case StreamError:
		t = v
	case *StreamError:
		if v == nil {
			return false
		}
		t = *v
	default:
		return false
	}
	return (t.Condition == "" || t.Condition == e.Condition) &&
		(t.Text == "" || t.Text == e.Text) &&
		(t.Lang == "" || t.Lang == e.Lang) &&
		(t.Redirect == "" || t.Redirect == e.Redirect) &&
		(t.App == nil || (e.App != nil && t.App.Name == e.App.Name))
}

// Temporary reports whether reconnecting later (or, for see-other-host,
// elsewhere) may succeed: the conditions connection-timeout,
// internal-server-error, remote-connection-failed, reset,
// resource-constraint, see-other-host and system-shutdown (RFC 6120
// §4.9.3). The others say the same stream would fail again.
func (e StreamError) Temporary() bool {
	switch e.Condition {
	case StreamConnectionTimeout, StreamInternalServerError, StreamRemoteConnectionFailed,
		StreamReset, StreamResourceConstraint, StreamSeeOtherHost, StreamSystemShutdown:
		return true
	}
	return false
}

func (e *StreamError) cond() StreamCondition {
	if e.Condition == "" {
		return StreamUndefinedCondition
	}
	return e.Condition
}

// StreamErrorFromElement reads a <stream:error/> element (RFC 6120 §4.9.2)
// and reports whether e is one. An unknown condition element in the
// NSStreams namespace is kept as its Condition; the first element in an
// application namespace (RFC 6120 §4.9.4: not NSStreams, not a stanza
// namespace, not empty) becomes App. A pre-XMPP stream error, which is only
// character data (<stream:error>Disconnected</stream:error>), is read as
// undefined-condition with that Text.
func StreamErrorFromElement(e *xmlstream.Element) (StreamError, bool) {
	if e == nil || e.Name.Local != "error" || e.Name.Space != xmlstream.NSStream {
		return StreamError{}, false
	}
	var out StreamError
	textSeen := false
	for _, n := range e.Nodes {
		c := n.Elem
		if c == nil {
			continue
		}
		switch {
		case c.Name.Space == NSStreams && c.Name.Local == "text":
			if !textSeen {
				textSeen = true
				if out.Text = c.Text(); out.Text != "" {
					out.Lang = c.Lang()
				}
			}
		case c.Name.Space == NSStreams:
			if out.Condition == "" {
				out.Condition = StreamCondition(c.Name.Local)
				out.Redirect = strings.TrimSpace(c.Text())
			}
		case isAppNS(c.Name.Space, e.Name.Space):
			if out.App == nil {
				out.App = c
			}
		}
	}
	if out.Condition == "" {
		out.Condition = StreamUndefinedCondition
		if !textSeen {
			out.Text = strings.TrimSpace(e.Text())
		}
	}
	return out, true
}

// Element returns e as a {http://etherx.jabber.org/streams}error element
// (RFC 6120 §4.9.2). A blank Condition is written as undefined-condition.
func (e StreamError) Element() *xmlstream.Element {
	el := xmlstream.New(xmlstream.NSStream, "error")
	el.AddChild(NSStreams, string(e.cond())).AddText(e.Redirect)
	if e.Text != "" {
		t := el.AddChild(NSStreams, "text")
		if e.Lang != "" {
			t.SetAttrNS(xmlstream.NSXML, "lang", e.Lang)
		}
		t.AddText(e.Text)
	}
	el.AppendChild(e.App)
	return el
}

// AppendXML appends e as <stream:error>...</stream:error> (RFC 6120 §4.9.2),
// using the stream: prefix that the stream header binds, so it is meant to
// be written inside a stream. It does not allocate when dst has room.
func (e StreamError) AppendXML(dst []byte) []byte {
	dst = append(dst, "<stream:error>"...)
	dst = appendCondition(dst, string(e.cond()), NSStreams, e.Redirect)
	dst = appendText(dst, NSStreams, e.Text, e.Lang)
	if e.App != nil {
		dst = xmlstream.AppendElement(dst, e.App, "")
	}
	return append(dst, "</stream:error>"...)
}

// FromDecodeError returns the stream error to send to a peer whose input
// made the decoder fail: for an *xmlstream.Error (possibly wrapped), its
// condition (RFC 6120 §4.9.3) with the decoder's message as Text. It
// reports false for any other error.
func FromDecodeError(err error) (StreamError, bool) {
	var xe *xmlstream.Error
	if !errors.As(err, &xe) || xe == nil {
		return StreamError{}, false
	}
	c := StreamCondition(xe.Condition)
	if c == "" {
		c = StreamUndefinedCondition
	}
	return StreamError{Condition: c, Text: xe.Msg}, true
}
