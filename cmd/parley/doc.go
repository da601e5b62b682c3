// Command parley is a command-line XMPP client over the Parley library: it
// sends messages from scripts (in the tradition of sendxmpp), listens for
// stanzas, manages the roster, registers accounts (XEP-0077), pings
// (XEP-0199), queries service discovery (XEP-0030) and software versions
// (XEP-0092), offers and receives out-of-band URLs (XEP-0066), and runs
// echo bots as a client or as a component (XEP-0114, jabberd2 router).
//
// It holds no protocol code of its own: every command is a thin layer over
// client.Dial, component.Dial, the Session and the ext/ packages.
//
// Usage:
//
//	parley COMMAND [flags] [arguments]
//	parley --help | parley COMMAND --help | parley --version
//
// The account comes from --jid and --password-file or --password-cmd, from
// the environment (PARLEY_JID, PARLEY_PASSWORD) or from the configuration
// file $XDG_CONFIG_HOME/parley/parley.toml (default ~/.config/parley/). A
// password is never printed, logged or taken from the command line.
//
// Exit codes: 0 success; 1 other failure; 2 usage error; 3 cannot connect
// (DNS, TCP, TLS); 4 authentication failed; 5 the remote side returned an
// error or rejected the request; 6 timeout.
//
// See docs/cli.md for every command with examples.
package main
