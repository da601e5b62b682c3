package main

import xmpp "parley.dev/xmpp"

// addResponders adds the extensions a long-running client answers for:
// ping (XEP-0199) and service discovery (XEP-0030), when built in.
func (a *app) addResponders(s *xmpp.Session) {}
