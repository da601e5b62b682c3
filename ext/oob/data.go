package oob

import (
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// Namespaces of XEP-0066 (§3.1 iq, §3.2 x), which are also the disco
// features (§4).
const (
	NSIQ = "jabber:iq:oob"
	NSX  = "jabber:x:oob"
)

// Data is what XEP-0066 carries: the URL, an optional human-readable
// description, and, in jabber:iq:oob only, an optional session id (§3.1).
// The struct tags let xmlstream.Unmarshal decode either element into it.
type Data struct {
	URL  string `xml:"url"`
	Desc string `xml:"desc,omitempty"`
	SID  string `xml:"sid,attr,omitempty"`
}

// Parse extracts the Data of e: e is a {jabber:x:oob}x or a
// {jabber:iq:oob}query element, or a stanza with one as a child (the first
// found wins). It reports false when there is none or its <url/> is empty
// (the URL is required, XEP-0066 §3.1, §3.2).
func Parse(e *xmlstream.Element) (Data, bool) {
	if e == nil {
		return Data{}, false
	}
	if !isOOB(e) {
		var found *xmlstream.Element
		for c := range e.Children() {
			if isOOB(c) {
				found = c
				break
			}
		}
		if found == nil {
			return Data{}, false
		}
		e = found
	}
	ns := e.Name.Space
	d := Data{URL: e.ChildText(ns, "url"), Desc: e.ChildText(ns, "desc")}
	if ns == NSIQ {
		d.SID = e.Get("sid")
	}
	if d.URL == "" {
		return Data{}, false
	}
	return d, true
}

func isOOB(e *xmlstream.Element) bool {
	return (e.Name.Space == NSX && e.Name.Local == "x") || (e.Name.Space == NSIQ && e.Name.Local == "query")
}

// X returns the <x xmlns='jabber:x:oob'/> element for d (XEP-0066 §3.2);
// the SID has no place in it and is left out.
func (d Data) X() *xmlstream.Element { return d.element(NSX, "x") }

// Query returns the <query xmlns='jabber:iq:oob'/> element for d (XEP-0066
// §3.1).
func (d Data) Query() *xmlstream.Element {
	q := d.element(NSIQ, "query")
	if d.SID != "" {
		q.SetAttr("sid", d.SID)
	}
	return q
}

func (d Data) element(ns, local string) *xmlstream.Element {
	e := xmlstream.New(ns, local)
	e.AddChild(ns, "url").AddText(d.URL)
	if d.Desc != "" {
		e.AddChild(ns, "desc").AddText(d.Desc)
	}
	return e
}

// FromMessage returns the Data of every jabber:x:oob element of m
// (XEP-0066 §3.2: a message may carry several).
func FromMessage(m stanza.Message) []Data {
	var out []Data
	for p := range m.Payloads() {
		if p.Name.Space == NSX && p.Name.Local == "x" {
			if d, ok := Parse(p); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// Attach adds d to m as a jabber:x:oob element (XEP-0066 §3.2). XEP-0066
// suggests also putting the URL in the body for clients without support.
func Attach(m *stanza.Message, d Data) {
	m.AddPayload(d.X())
}
