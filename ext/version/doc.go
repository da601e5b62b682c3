// Package version implements XEP-0092 Software Version (jabber:iq:version):
// asking an entity which software it runs, and answering such questions.
//
// Get sends the request (XEP-0092 §3) and returns the Info of the answer.
// New returns an xmpp.Extension that answers with a given Info and
// advertises the jabber:iq:version feature (§4). It is off unless added:
// the operating system in particular tells an attacker what to attack
// (§6), so Info.OS is sent only when set.
package version
