package xmpp

import (
	"context"
	"crypto/tls"
	"net"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Stream is a negotiated XMPP stream, ready for stanzas: what a Connector hands
// to the Session once TLS, authentication and binding (client) or the
// handshake (component) are done. The Session owns every field from then on.
type Stream struct {
	// Conn is the transport, a *tls.Conn when the stream is encrypted.
	Conn net.Conn
	// Decoder has parsed the negotiation and may hold bytes already read
	// past it; the Session keeps feeding it.
	Decoder *xmlstream.Decoder
	// Header is the peer's latest stream header (after the last restart).
	Header *xmlstream.Header
	// Features is the last <stream:features/> received (after bind for a
	// client: stream management and roster versioning are read from it), or
	// nil when the peer sent none (XEP-0114, pre-XMPP streams). Once the
	// stream is attached the Session keeps them encoded and sets Features to
	// nil (Session.StreamFeatures decodes them again).
	Features *xmlstream.Element
	// JID is the address the stream is bound to: the full JID of a client
	// (RFC 6120 §7) or the domain of a component.
	JID jid.JID
	// Namespace is the stream's content namespace (jabber:client or
	// jabber:component:accept): stanzas in it are written without xmlns.
	Namespace string
	// TLS is the connection state when the stream is encrypted, else nil.
	TLS *tls.ConnectionState
	// Mechanism names how the stream was authenticated: a SASL mechanism,
	// "iq:auth-digest", "iq:auth-plain", "handshake", or "" for none.
	Mechanism string
	// Wrap and Unwrap, when set, carry stanzas inside a transport envelope
	// (the jabberd2 router's <route/>): Wrap appends the wire form of a
	// stanza to dst; Unwrap returns the stanza inside a received element, or
	// nil to drop it. Nil means stanzas travel as they are.
	Wrap   func(dst []byte, e *xmlstream.Element) []byte
	Unwrap func(e *xmlstream.Element) (*xmlstream.Element, error)
	// Outbound, when set, checks and completes every stanza before it is
	// written or queued, and may return a modified copy: a component stamps
	// its own from and refuses a from outside its domains. Its error is
	// returned to the sender.
	Outbound func(e *xmlstream.Element) (*xmlstream.Element, error)
	// Accept, when set, filters received stanzas: those it rejects are
	// dropped before IQ tracking and handlers (a component ignores stanzas
	// addressed outside its domains).
	Accept func(e *xmlstream.Element) bool
	// SM reports a stream management resumption the Connector attempted
	// (see Trace.StreamManagement and ResumeSM); nil when it attempted none.
	SM *SMResult

	// features is Features encoded, once the Session took them over
	// (keepFeatures); guarded by Session.mu.
	features string
}

// A Connector establishes a Stream: it dials, secures, authenticates and binds
// (the client package), or dials and handshakes (the component package). The
// Session calls it for the first connection and again for every reconnect.
//
// Connect must honour ctx for every step that can block, report progress
// through t (which may not be nil), and return a *ConnectError-compatible error
// (see Permanent) that tells the Session whether retrying can help.
type Connector interface {
	Connect(ctx context.Context, t *Trace) (*Stream, error)
}

// ConnectorFunc adapts a function to the Connector interface.
type ConnectorFunc func(ctx context.Context, t *Trace) (*Stream, error)

// Connect calls f(ctx, t).
func (f ConnectorFunc) Connect(ctx context.Context, t *Trace) (*Stream, error) { return f(ctx, t) }
