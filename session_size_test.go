package xmpp

import (
	"testing"
	"unsafe"
)

// TestSessionSize guards the idle memory budget (issue 4 §7: at most 20 KiB
// per idle session): the Session struct lives as long as the session, and
// the allocator rounds it up to a size class, so a few bytes more can cost
// a whole class. 1792 is the class it fits in with the reader's peek buffer
// (peekSize); growing past it costs 256 bytes per session at once.
func TestSessionSize(t *testing.T) {
	const class = 1792
	if n := unsafe.Sizeof(Session{}); n > class {
		t.Fatalf("Session is %d bytes, over the %d-byte size class: shrink it or re-measure idle memory (bench/session) and raise this bound", n, class)
	}
}
