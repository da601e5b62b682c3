package xmpp

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// The loop benchmarks measure the CPU a Session spends per chat message
// with no network and no TLS under it: the part of bench/session's client
// CPU per message that is Parley's own. Each has a floor doing what
// bench/session's minimal client does with the same bytes (fmt.Appendf
// and a write; a 4 KiB read and a count of </message>), so that
// `go test -bench Loop` gives the library's overhead as a ratio in one run
// without the noise of a server on a shared machine.

// loopBody is bench/session's message body.
const loopBody = "The quick brown fox jumps over the lazy dog while the XMPP server routes it, one more time. #ABCDEFGHIJ"

// loopMessage is a chat message as Prosody delivers it to the receiver
// (captured from the test Prosody, addresses and id shortened alike).
const loopMessage = `<message to='user31@localhost/hk5Yo53vzBs4' from='user30@localhost/omMyDCWsFBbt' id='m12345' xml:lang='en' type='chat'><body>` +
	loopBody + `</body><no-store xmlns='urn:xmpp:hints'/></message>`

// cpuClock starts a clock of the process's CPU time (user and system,
// every thread: the garbage collector and the Session's own goroutines
// count); the function it returns reports the time per operation as
// cpu-ns/op.
func cpuClock(b *testing.B) (stop func()) {
	start := cpuNow()
	return func() { b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memConn is a net.Conn in memory: writes are counted and dropped; reads
// wait for start, serve n copies of msg, then wait for Close.
type memConn struct {
	start   chan struct{}
	msg     []byte
	left    int // messages still to serve
	off     int // offset in the current message
	written int
	closed  chan struct{}
	once    sync.Once
}

func newMemConn(msg string, n int) *memConn {
	return &memConn{start: make(chan struct{}), msg: []byte(msg), left: n, closed: make(chan struct{})}
}

func (c *memConn) Read(p []byte) (int, error) {
	select {
	case <-c.start:
	case <-c.closed:
		return 0, net.ErrClosed
	}
	if c.left == 0 {
		<-c.closed
		return 0, net.ErrClosed
	}
	n := 0
	for n < len(p) && c.left > 0 {
		k := copy(p[n:], c.msg[c.off:])
		n += k
		c.off += k
		if c.off == len(c.msg) {
			c.off = 0
			c.left--
		}
	}
	return n, nil
}

func (c *memConn) Write(p []byte) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	c.written += len(p)
	return len(p), nil
}

func (c *memConn) Close() error                     { c.once.Do(func() { close(c.closed) }); return nil }
func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// memSession returns a Session (stream management off) over c.
func memSession(b *testing.B, c net.Conn) *Session {
	return openSession(b, c, "user30@localhost/omMyDCWsFBbt", &Config{SM: &StreamManagement{Disable: true}})
}

// BenchmarkLoopSend: what bench/session's Parley sender does per message
// (parse the address, build the message with a body and a <no-store/>
// hint, Send), into a connection that drops the bytes.
func BenchmarkLoopSend(b *testing.B) {
	c := newMemConn("", 0)
	s := memSession(b, c)
	defer s.Close()
	hints := xmlstream.New("urn:xmpp:hints", "no-store")
	ctx := context.Background()
	b.ReportAllocs()
	seq := 0
	stop := cpuClock(b)
	for b.Loop() {
		to, err := jid.Parse("user31@localhost/hk5Yo53vzBs4")
		if err != nil {
			b.Fatal(err)
		}
		m := stanza.NewMessage(stanza.MessageChat, to)
		m.ID = "m" + strconv.Itoa(seq)
		m.AddBody("", loopBody)
		m.AddPayload(hints)
		if err := s.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
		seq++
	}
	stop()
}

// BenchmarkLoopSendFloor: bench/session's minimal client's sender.
func BenchmarkLoopSendFloor(b *testing.B) {
	c := newMemConn("", 0)
	var mu sync.Mutex
	var buf []byte
	b.ReportAllocs()
	seq := 0
	stop := cpuClock(b)
	for b.Loop() {
		mu.Lock()
		buf = fmt.Appendf(buf[:0], "<message to='%s' type='chat' id='m%d'><body>%s</body><no-store xmlns='%s'/></message>",
			"user31@localhost/hk5Yo53vzBs4", seq, loopBody, "urn:xmpp:hints")
		c.Write(buf)
		mu.Unlock()
		seq++
	}
	stop()
}

// BenchmarkLoopReceive: the Session reads b.N messages from memory,
// decodes, types and dispatches each to a chat handler that checks the
// body, as bench/session's receiver does.
func BenchmarkLoopReceive(b *testing.B) {
	c := newMemConn(loopMessage, b.N)
	done := make(chan struct{})
	n := 0
	b.ReportAllocs()
	b.SetBytes(int64(len(loopMessage)))
	b.ResetTimer()
	s := memSession(b, c)
	s.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *Incoming) error {
		if in.Message.Body("") == loopBody {
			if n++; n == b.N {
				close(done)
			}
		}
		return nil
	})
	stop := cpuClock(b)
	close(c.start)
	<-done
	stop()
	b.StopTimer()
	s.Close()
}

// BenchmarkLoopReceiveFloor: bench/session's minimal client's reader over
// the same bytes (4 KiB reads, a count of </message>).
func BenchmarkLoopReceiveFloor(b *testing.B) {
	c := newMemConn(loopMessage, b.N)
	pattern := []byte("</message>")
	buf := make([]byte, 4096+len(pattern))
	b.ReportAllocs()
	b.SetBytes(int64(len(loopMessage)))
	keep, total := 0, 0
	stop := cpuClock(b)
	close(c.start)
	for total < b.N {
		n, _ := c.Read(buf[keep:])
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
	}
	stop()
}
