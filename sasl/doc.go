// Package sasl implements the client side of the SASL mechanisms that XMPP
// servers offer (RFC 6120 §6), free of I/O: a Mechanism turns server
// challenges into responses and never touches the network. The caller (the
// client package) wraps the bytes in base64 and in the <auth/>,
// <response/>, <challenge/>, <success/> and <failure/> elements of the
// urn:ietf:params:xml:ns:xmpp-sasl namespace.
//
// # Mechanisms
//
//   - SCRAM-SHA-1, SCRAM-SHA-256, SCRAM-SHA-512 and their -PLUS variants with
//     channel binding (RFC 5802, RFC 7677; binding types from RFC 5929 and
//     RFC 9266): ScramSHA1, ScramSHA256, ScramSHA512. The client checks the
//     server's nonce, salt, iteration count and signature, so a server that
//     does not know the password cannot fake a success. A SaltCache lets
//     reconnects skip PBKDF2.
//   - PLAIN (RFC 4616), for TLS-protected streams only.
//   - DIGEST-MD5 (RFC 2831, historic per RFC 6331), for jabberd2's router
//     and old servers.
//   - EXTERNAL (RFC 4422 Appendix A, XEP-0178) and ANONYMOUS (RFC 4505).
//
// # Choosing a mechanism
//
// Select picks from the server's offer following Config, strongest first,
// and applies the downgrade rules: PLAIN only over TLS and only when no SCRAM
// is offered; DIGEST-MD5 only when no SCRAM is offered (Config can lift the
// SCRAM rule for either, to test a server's PLAIN or DIGEST-MD5); -PLUS only
// with a channel binding type the server accepts (XEP-0440's
// <sasl-channel-binding/> feature, or tls-unique when the feature is absent,
// which is what Prosody 0.12 and ejabberd 23.01 implement); and the GS2 flag
// "y" when the client could bind but the server offered no -PLUS (RFC 5802
// §6), so an attacker who strips -PLUS from the features is detected by the
// server. ChannelBindingFor takes the binding data from a tls.ConnectionState.
//
// A typical client loop, with I/O left out:
//
//	m, err := sasl.Select(offered, creds, &sasl.Config{TLS: true, ChannelBinding: cb})
//	initial, err := m.Start()          // send <auth mechanism=m.Name()>base64(initial)</auth>
//	for each <challenge>c</challenge>:
//		resp, err := m.Next(c)     // send <response>base64(resp)</response>
//	on <success>data</success>:
//		err := m.Verify(data)      // nil: authenticated; else close the stream
//	on <failure>: return &sasl.Failure{Condition: ..., Text: ...}
//
// # Errors
//
// Failure carries the server's RFC 6120 §6.5 condition; ServerError a SCRAM
// e= value (RFC 5802 §7); both compare with errors.Is treating blank fields
// as wildcards. Problems the client finds itself are the Err sentinels.
//
// # Passwords
//
// Passwords are used exactly as given. RFC 6120 §6.3.8 (via RFC 8265) and
// RFC 5802 §5.1 want the PRECIS OpaqueString profile applied first; this
// package depends only on the standard library and leaves that to the caller.
// ASCII passwords are unchanged by it.
//
// References: RFC 4422 (SASL), RFC 4616 (PLAIN), RFC 4505 (ANONYMOUS),
// RFC 5802 (SCRAM), RFC 7677 (SCRAM-SHA-256), RFC 5929 and RFC 9266 (TLS
// channel bindings), RFC 2831 (DIGEST-MD5), XEP-0440 (SASL channel-binding
// type capability), XEP-0178 (EXTERNAL with certificates), RFC 6120 §6.
package sasl
