// Package interop tests Parley against other XMPP implementations through
// the real servers of the test rig (Prosody, ejabberd, jabberd2; see
// TESTING.md and internal/testenv): each peer is a Debian-packaged library
// or tool run as a subprocess, and a Parley client on the same server talks
// to it. A scripted peer can only prove that Parley agrees with its author's
// reading of the RFCs; these prove that it agrees with software people run.
//
// The package has no code of its own: only tests and the helper scripts in
// peers/. Each helper logs a pool account in with STARTTLS, verifying the
// rig's certificate, reads commands on its stdin and prints one line per
// event on its stdout (tab-separated fields, backslash escapes; see
// peers/peerproto.py); the Go test starts it with exec.CommandContext and a
// timeout and parses those lines.
//
// What each peer proves:
//
//   - Net::XMPP 1.05 (libnet-xmpp-perl, peers/netxmpp.pl), the Perl
//     library Parley descends from, on Prosody and jabberd2: chat messages
//     both ways with bodies that need XML escaping and are not ASCII
//     (RFC 6121 §5); an IQ from Net::XMPP answered by a Parley extension
//     (ext/version, XEP-0092) and by a plain handler in a custom namespace;
//     an IQ nobody handles answered with exactly one service-unavailable
//     (RFC 6120 §8.4); an IQ from Parley answered by Net::XMPP's iq callback
//     through a namespace added with AddNamespace (RFC 6120 §8.2.3).
//     Not on ejabberd: it refuses Net::XMPP's SASL login (Authen::SASL picks
//     DIGEST-MD5) with not-authorized, logging "Nodeprep failed".
//   - slixmpp 1.8.3 and aioxmpp 0.13.3 (python3-slixmpp, python3-aioxmpp,
//     run with /usr/bin/python3; peers/slix.py, peers/aio.py) on Prosody and
//     ejabberd: chat messages both ways; the peer's disco#info of the Parley
//     client lists exactly the identities and features of the extensions
//     added to the Session, and a feature disappears when its extension is
//     removed (XEP-0030 §3.1, the extension mechanism); pings both ways, and
//     service-unavailable from Parley once ext/ping is removed (XEP-0199
//     §4.2, §4.3); a custom-namespace IQ both ways; Parley's disco.GetInfo
//     reads the peer's answer. The Parley clients start with no extension
//     (client.Config.Extensions empty) so each test controls what is added.
//   - go-sendxmpp (the operators' alerting tool Parley replaces) on Prosody
//     and ejabberd: an alert piped into go-sendxmpp, with the account from
//     its own config file and then from its -u/-p/-j flags, reaches a Parley
//     client's bare JID with exactly the body sent (multi-line, tab, XML
//     specials, non-ASCII; go-sendxmpp drops the final newline). It verifies
//     the rig's certificate, given through SSL_CERT_FILE (Go's crypto/x509
//     reads it), so -n/--no-tls-verify is not needed; the test checks that
//     the same run with the other server's certificate fails.
//
// TestRequire and TestPeerHarness check the harness itself without servers:
// the skip/fail decision for a missing peer, the line protocol's escaping,
// lines taken out of order, and a failed test on an ERROR line or a peer
// that exits early (with its stderr in the message).
//
// Every test needs its server (testenv.Server: skipped locally when the rig
// is down, failed when CI=true) and its peer: a missing peer is skipped
// locally with the apt-get command that installs it, and fails the test when
// CI=true (the rig's test/servers/up.sh installs them, so a missing one is
// an install problem).
package interop
