// Package testenv gives tests the details of the real XMPP servers the test rig runs:
// Prosody, ejabberd and jabberd2 on 127.0.0.1 (see TESTING.md at the repository root).
//
// The rig (test/servers/up.sh, run by "make servers" and "make test") starts the servers and
// writes an env file of KEY=VALUE lines. This package reads that file: from the path in the
// environment variable PARLEY_SERVERS_ENV, or by default from <repo root>/.servers/env, where the
// repo root is the nearest directory above the working directory whose go.mod declares
// "module parley.dev/xmpp".
//
// A real-server test asks for a server by name:
//
//	func TestLogin(t *testing.T) {
//		srv := testenv.Server(t, "prosody")  // skips (or fails in CI) when it is not running
//		acct := srv.Account(t)              // a pool account nobody else uses until t ends
//		conn, err := tls.Dial("tcp", srv.TLSAddr, srv.TLSConfig())
//		...
//	}
//
// When the env file or the server is missing, Server skips the test with a hint to run
// "make servers"; when the environment variable CI is true it fails the test instead, so that a
// CI run can never pass by skipping every real-server test.
//
// Accounts: every server has alice, bob, carol and admin (Fixed) and a pool user01..user40
// (Account); the password is always the local part followed by "pass". Account hands a pool
// account to one test at a time across all test processes (go test runs packages in parallel
// processes) with an flock(2) lock file per account under the server's directory, released
// when the test ends. State left on a pool account (roster items, offline messages, ...) is seen
// by the next test that gets it; tests should not assume an empty account.
//
// The package uses only the standard library, so every package's tests may import it.
package testenv
