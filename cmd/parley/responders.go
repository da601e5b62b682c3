package main

import (
	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
)

// addResponders adds the extensions a long-running client answers with:
// service discovery (XEP-0030), ping (XEP-0199) and software version
// (XEP-0092). A failure to add one is not fatal: the command still does
// its job, and the peer gets service-unavailable.
func (a *app) addResponders(s *xmpp.Session) {
	for _, ext := range []xmpp.Extension{disco.New(nil)} {
		if _, err := s.Add(ext); err != nil {
			a.notice("warning: %v", err)
		}
	}
}
