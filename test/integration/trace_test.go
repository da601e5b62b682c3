package integration

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"sync"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/sasl"
)

// chunks records what the trace hooks see.
type chunks struct {
	mu         sync.Mutex
	sent, recv [][]byte
}

func (c *chunks) onSend(b []byte) {
	c.mu.Lock()
	c.sent = append(c.sent, bytes.Clone(b))
	c.mu.Unlock()
}
func (c *chunks) onRecv(b []byte) {
	c.mu.Lock()
	c.recv = append(c.recv, bytes.Clone(b))
	c.mu.Unlock()
}

func (c *chunks) reset() { c.mu.Lock(); c.sent, c.recv = nil, nil; c.mu.Unlock() }

func (c *chunks) get() (sent, recv [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sent), slices.Clone(c.recv)
}

// secretText finds the character data of the elements that carry SASL
// payloads (RFC 6120 §6.4.2-§6.4.6): what follows the start tag up to the
// next '<' or the end of the chunk.
var secretText = regexp.MustCompile(`<(auth|response|challenge|success)\b[^>]*[^/]>([^<]*)`)

// TestTraceRedactsCredentials logs in with PLAIN and with SCRAM-SHA-256 on
// every server and checks that the trace hooks saw the SASL exchange in
// clear text (after TLS) but never the password, the PLAIN message or any
// SCRAM message: each SASL payload reads "[redacted]".
func TestTraceRedactsCredentials(t *testing.T) {
	t.Parallel()
	for _, name := range servers() {
		for _, mech := range []string{"PLAIN", "SCRAM-SHA-256"} {
			t.Run(name+"/"+mech, func(t *testing.T) {
				t.Parallel()
				srv := testenv.Server(t, name)
				acct := srv.Account(t)
				var c chunks
				cfg := clientConfig(srv, acct, &xmpp.Config{OnSend: c.onSend, OnReceive: c.onRecv})
				cfg.SASL = &sasl.Config{Mechanisms: []string{mech}, AllowPlainWhenScramOffered: true}
				s, err := dial(t, srv, acct, cfg, c.reset, nil)
				if err != nil {
					t.Fatalf("login: %v", err)
				}
				s.Close()

				sent, recv := c.get()
				all := bytes.Join(append(sent, recv...), nil)
				plainMsg := base64.StdEncoding.EncodeToString([]byte("\x00" + acct.Local + "\x00" + acct.Password))
				for _, leak := range []string{acct.Password, plainMsg, base64.StdEncoding.EncodeToString([]byte(acct.Password)), "n=" + acct.Local} {
					if bytes.Contains(all, []byte(leak)) {
						t.Errorf("the trace shows %q", leak)
					}
				}
				if !bytes.Contains(all, []byte("mechanism='"+mech+"'")) && !bytes.Contains(all, []byte(`mechanism="`+mech+`"`)) {
					t.Errorf("the trace does not show the <auth mechanism=%s/> sent after TLS", mech)
				}
				payloads := 0
				for _, chunk := range append(sent, recv...) {
					for _, m := range secretText.FindAllSubmatch(chunk, -1) {
						payloads++
						if string(m[2]) != "[redacted]" && len(m[2]) != 0 {
							t.Errorf("<%s> payload %q is not redacted", m[1], m[2])
						}
					}
				}
				// PLAIN: auth (and success); SCRAM: auth, challenge, response, success.
				if min := map[string]int{"PLAIN": 1, "SCRAM-SHA-256": 4}[mech]; payloads < min {
					t.Errorf("saw %d SASL payloads in the trace, want at least %d", payloads, min)
				}
			})
		}
	}
}

// core keeps the statuses of the connection's life, dropping those of
// features negotiated after it is ready (stream management's sm-enabled,
// which may come before or after ready).
func core(all []xmpp.Status) []xmpp.Status {
	return slices.DeleteFunc(all, func(s xmpp.Status) bool {
		switch s {
		case xmpp.StatusConnecting, xmpp.StatusConnected, xmpp.StatusTLS, xmpp.StatusAuthenticated,
			xmpp.StatusBound, xmpp.StatusReady, xmpp.StatusDisconnected, xmpp.StatusReconnecting, xmpp.StatusClosed:
			return false
		}
		return true
	})
}

// TestStatusEvents checks the status events of a real login, with STARTTLS
// and with direct TLS (XEP-0368), and of Close, on every server.
func TestStatusEvents(t *testing.T) {
	t.Parallel()
	for _, name := range servers() {
		for _, direct := range []bool{false, true} {
			mode := "starttls"
			if direct {
				mode = "directtls"
			}
			t.Run(name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				srv := testenv.Server(t, name)
				acct := srv.Account(t)
				ev := newEvents()
				cfg := clientConfig(srv, acct, &xmpp.Config{OnEvent: ev.hook(nil)})
				if direct {
					cfg.Server, cfg.DirectTLS = srv.TLSAddr, true
				}
				s, err := dial(t, srv, acct, cfg, ev.reset, nil)
				if err != nil {
					t.Fatalf("login: %v", err)
				}
				want := []xmpp.Status{xmpp.StatusConnecting, xmpp.StatusConnected, xmpp.StatusTLS,
					xmpp.StatusAuthenticated, xmpp.StatusBound, xmpp.StatusReady}
				if got := core(ev.statuses()); !slices.Equal(got, want) {
					t.Errorf("login events %v, want %v", got, want)
				}
				ready, err := ev.wait(testCtx(t), xmpp.StatusReady, 1)
				if err != nil {
					t.Fatal(err)
				}
				if !ready.JID.Equal(s.JID()) || ready.JID.Bare().String() != acct.JID || ready.JID.Resourcepart() == "" {
					t.Errorf("ready JID %v, session JID %v, account %s", ready.JID, s.JID(), acct.JID)
				}
				if ready.StreamID == "" || ready.StreamID != s.StreamID() {
					t.Errorf("ready stream id %q, session %q", ready.StreamID, s.StreamID())
				}
				if s.State() != xmpp.StateReady {
					t.Errorf("state %v, want ready", s.State())
				}
				s.Close()
				if got := core(ev.statuses()); !slices.Equal(got, append(want, xmpp.StatusClosed)) {
					t.Errorf("events after Close %v, want the login's then closed", ev.statuses())
				}
				if s.State() != xmpp.StateClosed {
					t.Errorf("state after Close %v", s.State())
				}
				if err := s.Run(testCtx(t)); err != nil {
					t.Errorf("Run after Close = %v, want nil", err)
				}
			})
		}
	}
}
