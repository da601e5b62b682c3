package main

import (
	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/version"
)

// addResponders adds what a long-running client answers besides the
// service discovery (XEP-0030) and ping (XEP-0199) responders client.Dial
// adds by default: software version (XEP-0092), name and version only, no
// operating system (§6). A failure is not fatal: the command still does its
// job, and the peer gets service-unavailable.
func (a *app) addResponders(s *xmpp.Session) {
	if _, err := s.Add(version.New(version.Info{Name: "parley", Version: toolVersion()})); err != nil {
		a.notice("warning: %v", err)
	}
}
