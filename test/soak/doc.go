// Package soak holds Parley's fault-injection tests for stream management
// (XEP-0198): a TCP proxy on loopback cuts the connections between clients
// and a real server at random points while messages flow, and the tests
// check that every message arrives exactly once and in order.
//
// Both clients' wires are recorded, so a failure names the hop that
// reordered: alice's client, the server, or bob's client (checkOrder). The
// records also keep the stream management elements with their h and number
// each soak stanza as the counting side does, so a lost or doubled message
// is printed with the acks and resumptions around it; PARLEY_SOAK_DUMP=DIR
// writes both whole records there on a failure, to be read next to the
// server's log (for ejabberd: EJABBERD_LOGLEVEL=debug EJABBERD_LOG_LOSSLESS=1
// in test/servers/start-ejabberd.sh).
//
// `make test` runs a short variant against Prosody and ejabberd; `make soak`
// runs the full one (PARLEY_SOAK=1: 10,000 messages).
package soak
