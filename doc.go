// Package xmpp is the root of Parley: the Session, the one I/O driver shared by
// XMPP clients (package client) and server components (package component).
//
// A Session owns one negotiated stream at a time (RFC 6120 §4) and drives it:
// a read loop that decodes stanzas with the I/O-free xmlstream decoder,
// resolves IQ replies by id and hands everything else to ordered handler
// chains; a write path that any goroutine, including a handler, may use;
// status events; timers; reconnection with jittered exponential back-off
// (RFC 6120 §3.3) and an outbound queue that holds stanzas while no stream is
// up. The Perl ancestors split the same way: Protocol::XMPP was the I/O-free
// stream, Net::XMPP and Jabber::Connection the connection that drives it.
//
// Requests and replies follow Net::XMPP's three modes:
//
//   - block: SendIQ waits for the reply or for ctx;
//   - nonblock: SendIQAsync returns a *Pending to poll (Received, Get) or
//     wait on (Wait), like ReceivedID, GetID and WaitForID;
//   - passthru: SendIQPassthru sends with a fresh id that is not tracked and
//     attaches an optional one-shot handler for that id.
//
// Handlers are registered per stanza kind and type, per IQ payload namespace,
// per compiled XPath-subset expression on the typed stanza, or "direct" on the
// raw element (Net::XMPP's XPath and DirectXPath callbacks). All handlers
// that match a stanza form one chain, run in registration order (direct
// handlers first); each sees the Parcel the previous one left, and returning
// Handled ends the chain, like Jabber::Connection's register_handler and
// HANDLED. Handlers of one session run one at a time, in stanza order, on a
// goroutine that is not the reader, so a handler may send and even wait for an
// IQ reply. Every IQ get or set that no handler answers gets exactly one
// service-unavailable error (RFC 6120 §8.4).
//
// Obtain a Session from client.Dial or component.Dial; NewSession is for
// Connector implementations.
package xmpp
