// Package soak holds Parley's fault-injection tests for stream management
// (XEP-0198): a TCP proxy on loopback cuts the connections between clients
// and a real server at random points while messages flow, and the tests
// check that every message arrives exactly once and in order.
//
// Both clients' wires are recorded, so a failure names the hop that
// reordered: alice's client, the server, or bob's client (checkOrder).
//
// `make test` runs a short variant against Prosody and ejabberd; `make soak`
// runs the full one (PARLEY_SOAK=1: 10,000 messages).
package soak
