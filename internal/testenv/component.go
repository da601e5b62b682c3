package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// LockComponent holds the server's component name (ComponentDomain) for the
// rest of the test. The servers accept one connection per component name at
// a time, and tests in several packages (run as separate processes) use the
// same name: every test that connects a component must call this first. The
// lock is an exclusive flock(2) on DIR/locks/component.lock, released in
// t.Cleanup; it waits while another test holds it.
func (s *ServerInfo) LockComponent(t testing.TB) {
	t.Helper()
	dir := filepath.Join(s.Dir, "locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "component.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	for err = syscall.EINTR; errors.Is(err, syscall.EINTR); {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		t.Fatalf("testenv: lock the component name of %s: %v", s.Name, err)
	}
	t.Cleanup(func() { f.Close() })
}
