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
//
// Every test needs its server (testenv.Server: skipped locally when the rig
// is down, failed when CI=true) and its peer: a missing peer is skipped
// locally with the apt-get command that installs it, and fails the test when
// CI=true (the rig's test/servers/up.sh installs them, so a missing one is
// an install problem).
package interop
