//go:build !linux

package xmpp

import "syscall"

// Elsewhere the reader always waits inside crypto/tls.
const canWaitReadable = false

func waitReadable(syscall.RawConn) error { return nil }
