package xmppraw

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// Conn is a minimal client connection: negotiated by Dial, then written
// with Write (callers format stanzas themselves) and read with Count.
type Conn struct {
	Conn net.Conn // the *tls.Conn once Dial returns
	JID  string   // the bound full JID
	Mech string   // the SASL mechanism used
	buf  []byte   // negotiation bytes read but not consumed

	// Stream management (CountSM): the count the next <a/> carries, and
	// whether an answer is scheduled.
	h        atomic.Int64
	pending  atomic.Bool
	ackDelay time.Duration
	sm       atomic.Bool // EnableSM was sent: Close writes a last <a/>
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
	return c.count(pattern, false, more)
}

// EnableSM asks the server to enable stream management (XEP-0198 §3) without
// resumption. The <enabled/> answer is left in the stream for CountSM,
// which ignores it.
func (c *Conn) EnableSM() error {
	_, err := c.writeString("<enable xmlns='urn:xmpp:sm:3'/>")
	c.sm.Store(err == nil)
	return err
}

// smRequest is how Prosody writes an ack request (XEP-0198 §4).
var smRequest = []byte("<r xmlns='urn:xmpp:sm:3'/>")

// CountSM is Count on a stream with stream management enabled: it also
// answers the server's ack requests with the number of pattern occurrences
// read so far as h (XEP-0198 §4). With delay 0 the answer is written after
// the read that held the <r/>; otherwise it is written delay later, with
// the count at that time (§4 asks for an answer, not an immediate one, and
// a server such as Prosody sends no new <r/> while one is unanswered, so
// one <a/> then answers for many stanzas). h is right only when pattern
// ends every stanza the server sends, as in the benchmark's one-way flow.
// It keeps no copies and never asks for acks itself: the least a client
// must do for XEP-0198.
func (c *Conn) CountSM(pattern []byte, delay time.Duration, more func(total int) bool) error {
	c.ackDelay = delay
	return c.count(pattern, true, more)
}

func (c *Conn) count(pattern []byte, sm bool, more func(total int) bool) error {
	maxLen := len(pattern)
	if sm {
		maxLen = max(maxLen, len(smRequest))
	}
	buf := make([]byte, 4096+maxLen)
	keep := 0 // bytes carried over from the previous read
	total := 0
	// scan counts the complete occurrences in data and returns what follows
	// the last one. Each byte is searched once for each pattern: the next
	// <r/> is looked for again only once the one found is passed.
	scan := func(data []byte) (rest []byte, asked bool) {
		off, r := 0, -1 // r: offset of the next <r/>, len(data) if none
		if !sm {
			r = len(data)
		}
		for {
			if r < off {
				r = len(data)
				if k := bytes.Index(data[off:], smRequest); k >= 0 {
					r = off + k
				}
			}
			i := len(data)
			if k := bytes.Index(data[off:r], pattern); k >= 0 {
				i = off + k
			}
			switch {
			case i < r:
				total++
				off = i + len(pattern)
			case r < len(data):
				asked = true
				off = r + len(smRequest)
			default:
				return data[off:], asked
			}
		}
	}
	// Bytes left over from the negotiation count too.
	if len(c.buf) > 0 {
		_, asked := scan(c.buf)
		c.buf = nil
		if err := c.ack(asked, total); err != nil {
			return err
		}
		if !more(total) {
			return nil
		}
	}
	for {
		n, err := c.Conn.Read(buf[keep:])
		if n > 0 {
			data, asked := scan(buf[:keep+n])
			keep = min(len(data), maxLen-1)
			copy(buf, data[len(data)-keep:])
			if err := c.ack(asked, total); err != nil {
				return err
			}
			if !more(total) {
				return nil
			}
		}
		if err != nil {
			return err
		}
	}
}

// ack records the count h and answers an ack request now or, with an
// ack delay, schedules one answer if none is.
func (c *Conn) ack(asked bool, h int) error {
	c.h.Store(int64(h))
	if !asked {
		return nil
	}
	if c.ackDelay <= 0 {
		return c.writeAck()
	}
	if c.pending.CompareAndSwap(false, true) {
		time.AfterFunc(c.ackDelay, func() {
			c.pending.Store(false)
			c.writeAck() // a failed write shows as the reader's error
		})
	}
	return nil
}

func (c *Conn) writeAck() error {
	_, err := c.Conn.Write(fmt.Appendf(nil, "<a xmlns='urn:xmpp:sm:3' h='%d'/>", c.h.Load()))
	return err
}

// Close ends the stream without waiting for the server's closing tag. With
// stream management it first tells the server what was handled (XEP-0198
// §4), as Parley's Close does: a server keeps unacknowledged stanzas and
// delivers them again (Prosody stores them offline), which would leave the
// benchmark's messages waiting for the next login of the account.
func (c *Conn) Close() error {
	c.Conn.SetWriteDeadline(time.Now().Add(time.Second))
	end := "</stream:stream>"
	if c.sm.Load() {
		end = fmt.Sprintf("<a xmlns='urn:xmpp:sm:3' h='%d'/>", c.h.Load()) + end
	}
	_, err := c.writeString(end)
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
