package main

import (
	"context"
	"crypto/tls"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

// wantBody is the body of every benchmark message; receivers count only
// chat messages carrying exactly this body. main appends a tag unique to
// the process.
var wantBody = "The quick brown fox jumps over the lazy dog while the XMPP server routes it, one more time."

// nsHints is XEP-0334's namespace: the messages carry <no-store/> so that
// Prosody's mod_mam does not archive them (where the library can add it).
const nsHints = "urn:xmpp:hints"

// params is what every adapter needs to reach the server.
type params struct {
	env    *xmppraw.Env
	tls    *tls.Config
	parley parleyOptions
}

type parleyOptions struct{ smOff bool }

// session is one logged-in, bound client of some library, receiving.
type session interface {
	// jid is the full JID the server bound.
	jid() string
	// send sends chat message number seq (body wantBody) to the full JID to.
	send(ctx context.Context, to string, seq int) error
	close() error
}

// lib is one row of the table: how to log in and how to connect once.
type lib struct {
	key  string // -lib value
	name string // table name
	how  string // the API path measured
	// dial opens a full session that calls onChat for each chat message
	// with body wantBody (onChat may be nil: nothing is counted).
	dial func(ctx context.Context, p params, a xmppraw.Account, onChat func()) (session, error)
	// connector returns a function doing connect + STARTTLS + SASL + bind
	// once per call. All calls of one returned function share whatever the
	// library keeps between logins (Parley's Connector and its SCRAM salt
	// cache); a new connector starts from scratch. close ends the stream.
	connector func(p params, a xmppraw.Account) func(ctx context.Context) (mech string, close func(), err error)
	// receiveGoroutine tells that the library starts no reader of its own:
	// the caller runs the receive loop (counted in the goroutine column).
	callerReads bool
}

func libs() []lib {
	return []lib{
		parleyLib(false),
		parleyLib(true),
		gosrcLib(),
		melliumLib(),
		goxmppLib(),
		minimalLib(false),
		minimalLib(true),
	}
}

func findLib(key string) (lib, bool) {
	for _, l := range libs() {
		if l.key == key {
			return l, true
		}
	}
	return lib{}, false
}
