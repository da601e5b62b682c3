// Package integration holds Parley's end-to-end tests: the Session, the
// client and the component packages against the real Prosody, ejabberd and
// jabberd2 servers of the test rig (see TESTING.md and internal/testenv).
//
// The package has no code of its own; its tests prove, on real servers, what
// the scripted-peer tests of the other packages prove on transcripts:
//
//   - IQ request/response in the three modes of RFC 6120 §8.2.3 handling
//     (Session.SendIQ blocks, SendIQAsync returns a handle, SendIQPassthru
//     leaves the reply to a one-shot handler), client to server and client
//     to client;
//   - exactly one service-unavailable for an IQ no handler answers (RFC 6120
//     §8.4), and a handler that waits for an IQ reply without deadlocking;
//   - messages (RFC 6121 §5) and directed presence (RFC 6121 §4.6) between two
//     accounts;
//   - credentials redacted from the trace hooks on a real login (RFC 6120 §6),
//     the status events of a login, and no goroutine left after Close;
//   - components over XEP-0114 (Prosody, ejabberd, jabberd2) and the jabberd2
//     router protocol: messages and IQs both ways, service-unavailable, wrong
//     secret, a name already bound;
//   - reconnection after a server restart, with stanzas sent while the server
//     was down delivered afterwards (RFC 6120 §3.3).
//
// Tests that restart a server (their names contain "Restart") would break
// the tests running in parallel with them, so they run only when
// PARLEY_RESTART_TESTS=1, alone, in the sequential step of "make test":
//
//	PARLEY_RESTART_TESTS=1 go test -count=1 -run Restart ./test/integration
//
// Component tests hold a per-server lock file, <server dir>/locks/component.lock
// (the servers accept one connection per component name at a time), so they
// never overlap with each other, in this process or another; other packages'
// component tests should take the same lock.
//
// jabberd2 2.7 answers about one login in five with an internal-server-error
// stream error when it comes right after another session closed; the tests'
// login helper retries exactly that case and logs it.
package integration
