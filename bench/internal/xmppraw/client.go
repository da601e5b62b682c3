package xmppraw

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"
)

// Conn is a minimal client connection: negotiated by Dial, then written
// with Write (callers format stanzas themselves) and read with Count.
type Conn struct {
	Conn net.Conn // the *tls.Conn once Dial returns
	JID  string   // the bound full JID
	Mech string   // the SASL mechanism used
	buf  []byte   // negotiation bytes read but not consumed
}

const header = "<?xml version='1.0'?><stream:stream to='%s' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"

// Dial connects to addr, opens a stream to domain, does STARTTLS, logs in
// with mech ("PLAIN", "SCRAM-SHA-1" or "SCRAM-SHA-256") and binds a
// server-assigned resource. ctx bounds the whole negotiation.
func Dial(ctx context.Context, addr, domain string, tlsCfg *tls.Config, acct Account, mech string) (*Conn, error) {
	var d net.Dialer
	tcp, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Conn{Conn: tcp, Mech: mech}
	if err := c.negotiate(ctx, domain, tlsCfg, acct); err != nil {
		c.Conn.Close()
		return nil, err
	}
	return c, nil
}

func (c *Conn) negotiate(ctx context.Context, domain string, tlsCfg *tls.Config, acct Account) error {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(30 * time.Second)
	}
	c.Conn.SetDeadline(dl)
	if err := c.restart(domain); err != nil {
		return err
	}
	if _, err := c.writeString("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"); err != nil {
		return err
	}
	if el, err := c.element("proceed"); err != nil {
		return err
	} else if len(c.buf) > 0 {
		return fmt.Errorf("bytes after <proceed/>: %q", el)
	}
	tc := tls.Client(c.Conn, tlsCfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return err
	}
	c.Conn = tc
	c.Conn.SetDeadline(dl)
	if err := c.restart(domain); err != nil {
		return err
	}
	var err error
	switch c.Mech {
	case "PLAIN":
		err = c.plain(acct)
	case "SCRAM-SHA-1", "SCRAM-SHA-256":
		err = c.scram(acct)
	default:
		err = fmt.Errorf("mechanism %q not implemented", c.Mech)
	}
	if err != nil {
		return err
	}
	if err := c.restart(domain); err != nil {
		return err
	}
	if _, err := c.writeString("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>"); err != nil {
		return err
	}
	iq, err := c.element("iq")
	if err != nil {
		return err
	}
	j := between(iq, "<jid>", "</jid>")
	if j == nil {
		return fmt.Errorf("bind: %s", iq)
	}
	c.JID = string(j)
	c.Conn.SetDeadline(time.Time{})
	return nil
}

// restart sends a stream header and waits for the features.
func (c *Conn) restart(domain string) error {
	if _, err := fmt.Fprintf(c.Conn, header, domain); err != nil {
		return err
	}
	_, err := c.element("stream:features")
	return err
}

func (c *Conn) writeString(s string) (int, error) { return c.Conn.Write([]byte(s)) }

// element reads until the first element named name is complete, drops
// everything up to its end and returns it.
func (c *Conn) element(name string) ([]byte, error) {
	open := []byte("<" + name)
	end := []byte("</" + name + ">")
	tmp := make([]byte, 4096)
	for {
		if i := bytes.Index(c.buf, open); i >= 0 {
			if j := bytes.IndexByte(c.buf[i:], '>'); j >= 0 {
				k := -1
				if c.buf[i+j-1] == '/' {
					k = i + j + 1
				} else if e := bytes.Index(c.buf[i:], end); e >= 0 {
					k = i + e + len(end)
				}
				if k >= 0 {
					el := bytes.Clone(c.buf[i:k])
					c.buf = c.buf[k:]
					return el, nil
				}
			}
		}
		if bytes.Contains(c.buf, []byte("<stream:error")) || bytes.Contains(c.buf, []byte("<failure")) {
			return nil, fmt.Errorf("server said: %s", c.buf)
		}
		n, err := c.Conn.Read(tmp)
		c.buf = append(c.buf, tmp[:n]...)
		if err != nil {
			return nil, fmt.Errorf("waiting for <%s>: %w", name, err)
		}
	}
}

// between returns what lies between the first a and the following b in s.
func between(s []byte, a, b string) []byte {
	i := bytes.Index(s, []byte(a))
	if i < 0 {
		return nil
	}
	s = s[i+len(a):]
	j := bytes.Index(s, []byte(b))
	if j < 0 {
		return nil
	}
	return s[:j]
}

// Write writes p to the stream.
func (c *Conn) Write(p []byte) (int, error) { return c.Conn.Write(p) }

// Count reads the stream into a 4 KiB buffer, counting the occurrences of
// pattern (across read boundaries), and calls more with the running total
// after each read until more returns false.
func (c *Conn) Count(pattern []byte, more func(total int) bool) error {
	buf := make([]byte, 4096+len(pattern))
	keep := 0 // bytes carried over from the previous read
	total := 0
	// Bytes left over from the negotiation count too.
	if len(c.buf) > 0 {
		total += bytes.Count(c.buf, pattern)
		c.buf = nil
		if !more(total) {
			return nil
		}
	}
	for {
		n, err := c.Conn.Read(buf[keep:])
		if n > 0 {
			data := buf[:keep+n]
			for {
				i := bytes.Index(data, pattern)
				if i < 0 {
					break
				}
				total++
				data = data[i+len(pattern):]
			}
			keep = min(len(data), len(pattern)-1)
			copy(buf, data[len(data)-keep:])
			if !more(total) {
				return nil
			}
		}
		if err != nil {
			return err
		}
	}
}

// Close ends the stream without waiting for the server's closing tag.
func (c *Conn) Close() error {
	c.Conn.SetWriteDeadline(time.Now().Add(time.Second))
	_, err := c.writeString("</stream:stream>")
	return errors.Join(err, c.Conn.Close())
}

// SetArchiving sets the account's message archive default (XEP-0313 §6:
// "always", "never" or "roster") and waits for the server's answer.
// Benchmarks turn archiving off for their accounts: Prosody's internal
// archive store rewrites the whole archive for every message once an
// account reaches its quota, which would measure the server's disk, and
// not every library can mark its messages <no-store/>.
func (c *Conn) SetArchiving(def string) error {
	c.Conn.SetDeadline(time.Now().Add(15 * time.Second))
	defer c.Conn.SetDeadline(time.Time{})
	if _, err := fmt.Fprintf(c.Conn, "<iq type='set' id='mamprefs'><prefs xmlns='urn:xmpp:mam:2' default='%s'/></iq>", def); err != nil {
		return err
	}
	for {
		iq, err := c.element("iq")
		if err != nil {
			return err
		}
		if bytes.Contains(iq, []byte("'mamprefs'")) || bytes.Contains(iq, []byte(`"mamprefs"`)) {
			if bytes.Contains(iq, []byte("type='result'")) || bytes.Contains(iq, []byte(`type="result"`)) {
				return nil
			}
			return fmt.Errorf("archive preferences: %s", iq)
		}
	}
}

// Archiving sets the archive default of each account (see SetArchiving),
// logging in with the minimal client.
func (e *Env) Archiving(ctx context.Context, tlsCfg *tls.Config, def string, names ...string) error {
	for _, n := range names {
		c, err := Dial(ctx, e.Addr, e.Domain, tlsCfg, e.Account(n), "SCRAM-SHA-256")
		if err != nil {
			return err
		}
		err = c.SetArchiving(def)
		c.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}
