// Package component connects external server components to an XMPP server
// and returns the same *xmpp.Session clients get: handlers, IQ by id in all
// three modes, events, timers, debug trace, reconnect and the outbound queue.
//
// Two connection protocols are supported, chosen by Config.Protocol:
//
//   - XEP-0114 (Jabber Component Protocol, jabber:component:accept): the
//     component opens a stream to its own domain and proves the shared
//     secret with <handshake/>, the lower-case hex SHA-1 of the stream id
//     followed by the secret (XEP-0114 §3). Prosody, ejabberd and jabberd2
//     accept it. Jabber::Connection's component connection and
//     POE::Component::Jabber's JABBERD14_COMPONENT type are this protocol.
//   - The jabberd2 router protocol (http://jabberd.jabberstudio.org/ns/component/1.0,
//     POE::Component::Jabber's JABBERD20_COMPONENT): SASL DIGEST-MD5 as a
//     router user, <bind name=.../> for each served name, and every stanza
//     wrapped in <route/>. The wrapping is invisible to the user, who sends
//     and receives plain stanzas.
//
// A component is responsible for the from address of what it sends: the
// Session stamps the component's domain on stanzas without from and refuses
// a from outside the component's domains. Stanzas addressed outside those
// domains are not dispatched as if they were addressed to it. Both
// jabber:component:accept and jabber:client stanzas are accepted (jabberd2
// delivers the latter).
package component
