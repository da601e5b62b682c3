package xmpp

import (
	"syscall"
	"unsafe"
)

const canWaitReadable = true

// waitReadable returns once the socket under rc has bytes to read (or its
// end, or an error, which the read that follows reports). The readiness
// check peeks one byte without taking it: RawConn.Read clears the poller's
// last readiness before calling it, so only a check of the socket itself
// tells whether bytes that arrived earlier are waiting.
func waitReadable(rc syscall.RawConn) error {
	return rc.Read(func(fd uintptr) bool {
		var b [1]byte
		for {
			_, _, e := syscall.Syscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), 1,
				syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
			if e != syscall.EINTR {
				return e != syscall.EAGAIN
			}
		}
	})
}
