package client

import (
	"net"
	"syscall"
)

// quickAck asks Linux to acknowledge the next incoming segments at once
// (TCP_QUICKACK, tcp(7)) instead of delaying the ACK. During negotiation
// each side waits for the other's answer; a server whose small writes wait
// for our ACK (Nagle's algorithm) and our delayed ACK would otherwise stall
// every step by the delayed-ACK timeout (about 40 ms, measured against
// Prosody in bench/session). Linux clears the flag after use, so it is set
// before each read. Errors are ignored: this is only an optimisation.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
