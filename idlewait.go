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
// 8 KiB: up to 8 of an idle session's 18 to 22 KiB, and the difference
// between meeting issue 4 §7's 20 KiB per idle session and not.
//
// So on TLS over a socket some waits happen outside crypto/tls
// (shallowRead): the first shallowWaits waits of a stream, since a new session
// often goes quiet after the burst that follows its negotiation, and every
// wait after one that lasted idleWaitAfter. The stack, at well under 1 KiB
// used there, shrinks to 4 KiB at the next collection. A shallow wait
// costs two deadline changes and a peek or two at the socket more than a
// plain one, which a busy stream does not pay: its waits are short, and it
// waits inside crypto/tls as before. (A read deadline kept on every wait,
// so that any long one would move, cost a busy stream about 8 % more CPU
// in bench/session.) A busy session that then goes quiet keeps its deeper
// wait until something arrives.

// shallowWaits is how many waits of a new stream are shallow.
const shallowWaits = 64

// idleWaitAfter is how long a wait lasts for the next one to be shallow,
// in nanoseconds (50 ms). Tests change it.
var idleWaitAfter atomic.Int64

func init() { idleWaitAfter.Store(int64(50 * time.Millisecond)) }

// longAgo is a read deadline that has passed: a Read with it returns what
// is buffered and never waits.
var longAgo = time.Unix(1, 0)

// idleWaiter returns the raw socket under a TLS stream, for shallowRead,
// or nil when there is none (another transport, a wrapped connection, or
// no waitReadable on this system).
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

// shallowRead reads into p from c like c.Read, but waits for the server
// outside crypto/tls.
func shallowRead(c *tls.Conn, rc syscall.RawConn, p []byte) (int, error) {
	// What crypto/tls holds first: with a deadline in the past a Read
	// returns buffered bytes or records and never touches the socket.
	c.SetReadDeadline(longAgo)
	n, err := c.Read(p)
	c.SetReadDeadline(time.Time{})
	if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	// Nothing was buffered. crypto/tls takes a deadline as a temporary
	// error: the connection stays usable, with any partial record kept.
	if err := waitReadable(rc); err != nil {
		return 0, err
	}
	return c.Read(p)
}
