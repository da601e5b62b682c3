package xmpptest

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Dial logs a fresh pool account of srv in and closes the Session when the
// test ends. The Session has no extensions: each test adds the ones it
// tests. jabberd2 2.7 sometimes ends a login that follows another closely
// with internal-server-error (a server race, see TESTING.md); Dial retries
// that case a few times and logs it. Every other failure fails the test.
func Dial(t testing.TB, srv *testenv.ServerInfo) *xmpp.Session {
	t.Helper()
	acct := srv.Account(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := &client.Config{
		Password:    acct.Password,
		Server:      srv.Addr,
		TLSConfig:   srv.TLSConfig(),
		StepTimeout: 15 * time.Second,
		Extensions:  []xmpp.Extension{},
	}
	for attempt := 1; ; attempt++ {
		s, err := client.Dial(ctx, jid.MustParse(acct.JID), cfg)
		if err == nil {
			t.Cleanup(func() { s.Close() })
			return s
		}
		if attempt < 4 && srv.Name == "jabberd2" && errors.Is(err, stanza.StreamError{Condition: stanza.StreamInternalServerError}) {
			t.Logf("xmpptest: jabberd2 refused login %d of %s with internal-server-error; retrying", attempt, acct.JID)
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
			continue
		}
		t.Fatalf("%s: dial %s: %v", srv.Name, acct.JID, err)
	}
}
