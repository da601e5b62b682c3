package xmpp

import (
	"crypto/tls"
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// An idle Session is one goroutine, its reader, waiting for the server.
// Where it waits decides its stack. Blocked inside crypto/tls (Conn.Read →
// readRecordOrCCS → … → the poller) it uses about 1.5 KiB, and the runtime
// shrinks a goroutine's stack only while it uses less than a quarter of
// it, counting a reserve of 800 bytes: a reader that was born with, or grew
// to, 8 KiB keeps 8 KiB for as long as it waits there. Go starts
// goroutines at the average stack size it has seen (adaptive initial
// stacks, Go 1.19), which the deep TLS handshake of connecting raises to
// 8 KiB, so that was a quarter of an idle session's memory, and the
// difference between meeting issue 4 §7's 20 KiB per idle session and not.
//
// So on TLS over a socket the reader waits inside crypto/tls for at most
// idleWaitAfter, as before; a wait that lasts longer goes on outside it,
// in a few shallow frames (syscall.RawConn), and the read follows once the
// socket is readable. The stack, at well under 1 KiB used, shrinks to
// 4 KiB at the next collection. A busy stream pays two deadline changes
// per wait; an idle one, a peek at the socket more, once per wake-up.

// idleWaitAfter bounds a wait inside crypto/tls, in nanoseconds (50 ms).
// Tests lower it.
var idleWaitAfter atomic.Int64

func init() { idleWaitAfter.Store(int64(50 * time.Millisecond)) }

// idleWaiter returns the raw socket under a TLS stream, for waitRead, or
// nil when there is none (another transport, a wrapped connection, or no
// waitReadable on this system).
func idleWaiter(c *tls.Conn) syscall.RawConn {
	if !canWaitReadable {
		return nil
	}
	sc, ok := c.NetConn().(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// waitRead reads into p from c like c.Read, waiting outside crypto/tls
// once the wait has lasted idleWaitAfter.
func waitRead(c *tls.Conn, rc syscall.RawConn, p []byte) (int, error) {
	c.SetReadDeadline(time.Now().Add(time.Duration(idleWaitAfter.Load())))
	n, err := c.Read(p)
	c.SetReadDeadline(time.Time{})
	if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	// crypto/tls found no complete record and waited for the socket: it
	// takes a deadline as a temporary error and keeps the connection
	// usable, with any partial record it read kept for the next Read.
	if err := waitReadable(rc); err != nil {
		return 0, err
	}
	return c.Read(p)
}
