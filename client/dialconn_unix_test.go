//go:build unix

package client

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
)

// socketPair returns the two ends of an AF_UNIX stream socket pair: a
// connection that no dialer made and that has no network address.
func socketPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	var conns [2]net.Conn
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		conns[i], err = net.FileConn(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { conns[0].Close() })
	return conns[0], conns[1]
}

// waitDone waits for the Session to end. A broken test fails after 20 s
// instead of hanging; no test asserts on the time.
func waitDone(t testing.TB, s *xmpp.Session) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatalf("the Session did not end (state %v)", s.State())
	}
}

// closed reports whether c has been closed on our side.
func closed(c net.Conn) bool {
	_, err := c.Write([]byte(" "))
	return errors.Is(err, net.ErrClosed)
}

// DialConn negotiates on the caller's connection as Dial does on its own:
// STARTTLS or direct TLS with the certificate checked against the JID's
// domain (the SNI is that domain), SASL, bind, and a Session with Dial's
// responders (a disco#info query is answered with the ping feature). The
// Session owns the connection: Close closes it.
func TestDialConn(t *testing.T) {
	for _, direct := range []bool{false, true} {
		name := map[bool]string{false: "starttls", true: "directtls"}[direct]
		t.Run(name, func(t *testing.T) {
			full := "juliet@" + testDomain + "/pair"
			cli, srv := socketPair(t)
			var sni, plain, info string
			answered := make(chan struct{})
			// The query waits for DialConn to return: the responders are
			// added once the Session runs, and a query that comes first is
			// answered service-unavailable.
			dialed := make(chan struct{})
			dialDone := sync.OnceFunc(func() { close(dialed) })
			defer dialDone()
			wait := servePeer(t, srv, func(p *peer) {
				p.tlsCfg.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
					sni = h.ServerName
					return nil, nil
				}
				if direct {
					p.handshake()
				} else {
					p.open(featStartTLS + featMechs("PLAIN"))
					p.startTLS()
				}
				p.open(featMechs("PLAIN"))
				plain = p.plainAuth()
				p.open(featBind)
				p.bind(full)
				<-dialed
				p.send("<iq type='get' id='info1' from='" + testDomain + "' to='" + full + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
				info = p.element("iq")
				close(answered)
				p.expect("</stream:stream>")
				p.send("</stream:stream>")
			})
			over := make(chan struct{})
			go func() { wait(); close(over) }()
			var rec recorder
			cfg := testConfig(t, "192.0.2.1:1") // Server plays no part
			cfg.DirectTLS = direct
			cfg.Session = &xmpp.Config{OnEvent: rec.add}
			s, err := DialConn(context.Background(), cli, testJID, cfg)
			if err != nil {
				t.Fatal(err)
			}
			dialDone()
			select {
			case <-answered:
			case <-over: // the script failed and said why
			}
			if got, want := rec.statuses(), "connected,tls,authenticated,bound,ready"; got != want {
				t.Errorf("events %s, want %s", got, want)
			}
			s.Close()
			<-over
			if s.JID().String() != full {
				t.Errorf("JID %v, want %s", s.JID(), full)
			}
			if plain != "\x00juliet\x00secret" {
				t.Errorf("PLAIN response %q", plain)
			}
			if sni != testDomain {
				t.Errorf("TLS server name %q, want the JID's domain %s", sni, testDomain)
			}
			if attr(info, "type") != "result" || attr(info, "id") != "info1" || !strings.Contains(info, "urn:xmpp:ping") {
				t.Errorf("disco#info answer %q lacks the ping feature", info)
			}
			if !closed(cli) {
				t.Errorf("the Session did not close the caller's connection")
			}
		})
	}
}

// The certificate is checked against the JID's domain whatever the
// caller's connection leads to (RFC 6120 §13.7.2.1): a peer with a
// certificate for example.test fails the handshake for
// juliet@other.example, and DialConn closes the connection.
func TestDialConnChecksDomain(t *testing.T) {
	for _, direct := range []bool{false, true} {
		name := map[bool]string{false: "starttls", true: "directtls"}[direct]
		t.Run(name, func(t *testing.T) {
			cli, srv := socketPair(t)
			wait := servePeer(t, srv, func(p *peer) {
				if !direct {
					p.open(featStartTLS)
					p.expect("<starttls")
					p.expect(">")
					p.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
				}
				tls.Server(p.c, p.tlsCfg).Handshake()
			})
			cfg := testConfig(t, "")
			cfg.DirectTLS = direct
			_, err := DialConn(context.Background(), cli, jid.MustParse("juliet@other.example"), cfg)
			wait()
			var ce *ConnectError
			var cv *tls.CertificateVerificationError
			if !errors.As(err, &ce) || ce.Step != StepTLS || !errors.As(err, &cv) {
				t.Fatalf("err %v, want a certificate verification error at %s", err, StepTLS)
			}
			if !closed(cli) {
				t.Errorf("DialConn did not close the connection it failed on")
			}
		})
	}
}

// A DialConn Session reconnects through Config.DialContext, to
// Config.Server (RFC 6120 §3.2.3); without a dial function it does not
// reconnect: a dropped stream ends it with the drop's cause although
// Config.Session.Reconnect is set, and Session.Reconnect ends it with
// ErrNoRedial.
func TestDialConnReconnect(t *testing.T) {
	full := "juliet@" + testDomain + "/pair"
	newConfig := func(rec *recorder) *Config {
		cfg := testConfig(t, "xmpp.example.test:5222")
		cfg.Session = &xmpp.Config{OnEvent: rec.add, Reconnect: &xmpp.Backoff{Min: time.Millisecond}}
		return cfg
	}

	t.Run("through DialContext", func(t *testing.T) {
		cli, srv := socketPair(t)
		wait1 := servePeer(t, srv, func(p *peer) { p.login(full) }) // then drops
		next, wait2 := runPeer(t, func(p *peer) {
			p.login(full)
			p.expect("</stream:stream>")
			p.send("</stream:stream>")
		})
		d := &dialLog{routes: map[string][]string{"xmpp.example.test:5222": {next}}}
		var rec recorder
		cfg := newConfig(&rec)
		cfg.DialContext = d.dial
		s, err := DialConn(context.Background(), cli, testJID, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rec.waitFor(t, xmpp.StatusReady, 2)
		wait1()
		s.Close()
		wait2()
		if got := d.log(); !reflect.DeepEqual(got, []string{"tcp xmpp.example.test:5222"}) {
			t.Errorf("DialContext calls %q, want one to Server", got)
		}
		if got, want := rec.statuses(), "connected,tls,authenticated,bound,ready,disconnected,reconnecting,connecting,connected,tls,authenticated,bound,ready"; !strings.HasPrefix(got, want) {
			t.Errorf("events %s, want %s first", got, want)
		}
	})

	t.Run("no dial function: the drop ends the Session", func(t *testing.T) {
		cli, srv := socketPair(t)
		wait := servePeer(t, srv, func(p *peer) { p.login(full) }) // then drops
		var rec recorder
		s, err := DialConn(context.Background(), cli, testJID, newConfig(&rec))
		if err != nil {
			t.Fatal(err)
		}
		wait()
		waitDone(t, s)
		if err := s.Err(); err == nil || errors.Is(err, ErrNoRedial) || errors.Is(err, xmpp.ErrClosed) {
			t.Errorf("Session ended with %v, want the drop's cause", err)
		}
		if got, want := rec.statuses(), "connected,tls,authenticated,bound,ready,disconnected,closed"; got != want {
			t.Errorf("events %s, want %s", got, want)
		}
	})

	t.Run("no dial function: Session.Reconnect", func(t *testing.T) {
		cli, srv := socketPair(t)
		wait := servePeer(t, srv, func(p *peer) {
			p.login(full)
			p.hold()
		})
		var rec recorder
		s, err := DialConn(context.Background(), cli, testJID, newConfig(&rec))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Reconnect(""); err != nil {
			t.Fatal(err)
		}
		waitDone(t, s)
		wait()
		err = s.Err()
		var ce *ConnectError
		if !errors.Is(err, ErrNoRedial) || !xmpp.IsPermanent(err) || !errors.As(err, &ce) || ce.Step != StepDial {
			t.Errorf("Session ended with %v, want a permanent ErrNoRedial at %s", err, StepDial)
		}
		if e, ok := rec.last(xmpp.StatusClosed); !ok || !errors.Is(e.Err, ErrNoRedial) {
			t.Errorf("closed event %+v", e)
		}
	})
}
