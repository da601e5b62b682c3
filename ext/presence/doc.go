// Package presence implements presence (RFC 6121 §4) and presence
// subscriptions (RFC 6121 §3) for clients: sending available, unavailable
// and directed presence, a presence database, and a policy for incoming
// subscription requests.
//
// # Sending
//
// Available and Unavailable build a presence from Options: show, status
// texts per xml:lang, priority (RFC 6121 §4.7.2), a recipient for directed
// presence (§4.6), Net::XMPP's signature carried as a jabber:x:signed
// payload (XEP-0027 §3), and further payloads. SendAvailable and
// SendUnavailable send them (Net::XMPP's PresenceSend).
//
// # Subscriptions
//
// Subscribe, Unsubscribe, Approve (subscribed) and Deny (unsubscribed)
// send the four subscription presences to a bare JID (RFC 6121 §3;
// Net::XMPP's Subscription); SendSubscription takes the type as an
// argument.
//
// # The Manager extension
//
// A *Manager is an xmpp.Extension. Added to a Session it fills a DB from
// every available, unavailable and error presence received, and answers
// subscription requests by its Policy:
//
//   - Ask (the default): each request is reported to Config.OnRequest and
//     kept in Pending until the application answers it with
//     Request.Approve or Request.Deny, at any later time;
//   - AcceptAll: approve every request and acknowledge every unsubscribe
//     (Net::XMPP's default callbacks);
//   - RejectAll: refuse every request.
//
// Config.OnSubscription reports every subscription presence received
// (approvals, refusals and cancellations by contacts included), and
// Config.OnChange every change to the database.
//
// # The presence database
//
// DB mirrors Net::XMPP's PresenceDB: Parse records a presence, Query
// returns the highest-priority presence of a bare JID (or a full JID's
// own), Resources lists a JID's resources by priority, highest first,
// Delete and Clear forget entries. Unavailable and error presence remove
// the resource (all resources when sent from the bare JID).
package presence
