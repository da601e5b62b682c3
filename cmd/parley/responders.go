package main

import (
	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/ping"
	"parley.dev/xmpp/ext/version"
)

// addResponders adds the extensions a long-running client answers with:
// service discovery (XEP-0030), ping (XEP-0199) and software version
// (XEP-0092, name and version only: no operating system, §6). A failure to
// add one is not fatal: the command still does its job, and the peer gets
// service-unavailable.
func (a *app) addResponders(s *xmpp.Session) {
	for _, ext := range []xmpp.Extension{
		disco.New(nil),
		ping.New(nil),
		version.New(version.Info{Name: "parley", Version: toolVersion()}),
	} {
		if _, err := s.Add(ext); err != nil {
			a.notice("warning: %v", err)
		}
	}
}
