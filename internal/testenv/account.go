package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// Account is an account on a test server (RFC 6120 §6: the SASL authentication identity is
// Local, the bare JID is JID).
type Account struct {
	Local    string // local part, e.g. "user07"
	JID      string // bare JID, e.g. "user07@localhost"
	Password string // always Local + "pass"
}

// held records the lock files this process holds, so that Account never blocks on a lock the
// calling test itself holds.
var (
	heldMu sync.Mutex
	held   = map[string]testing.TB{} // lock path -> the test holding it
)

// next spreads the starting point of the pool search, so that parallel tests do not all
// contend for user01 first.
var next = struct {
	sync.Mutex
	n int
}{n: os.Getpid()}

// Account hands out a pool account for the rest of the test: no other test, in this or any
// other process, gets it until t ends (an exclusive flock(2) on DIR/locks/<local>.lock,
// released in t.Cleanup). When every pool account is taken, Account waits for one held by
// another test; it fails the test if the pool is empty or every account is held by t itself.
func (s *ServerInfo) Account(t testing.TB) Account {
	t.Helper()
	local, err := s.lockAccount(t)
	if err != nil {
		t.Fatalf("testenv: %s: %v", s.Name, err)
	}
	return s.account(local)
}

// lockAccount takes the lock of one pool account for t and registers its release.
func (s *ServerInfo) lockAccount(t testing.TB) (string, error) {
	n := len(s.Pool)
	if n == 0 {
		return "", errors.New("no pool accounts")
	}
	dir := filepath.Join(s.Dir, "locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	next.Lock()
	start := next.n % n
	next.n++
	next.Unlock()

	// First pass: any free account, without waiting.
	wait := -1
	for i := range n {
		k := (start + i) % n
		path := lockPath(dir, s.Pool[k])
		heldMu.Lock()
		holder, mine := held[path]
		heldMu.Unlock()
		if mine {
			if holder != t && wait < 0 {
				wait = k // held by another test of this process: worth waiting for
			}
			continue
		}
		f, ok, err := tryLock(path, false)
		if err != nil {
			return "", err
		}
		if ok {
			s.keep(t, path, f)
			return s.Pool[k], nil
		}
		wait = k // held by another process: it will let go
	}
	if wait < 0 {
		return "", fmt.Errorf("all %d pool accounts are held by this test", n)
	}
	path := lockPath(dir, s.Pool[wait])
	f, _, err := tryLock(path, true)
	if err != nil {
		return "", err
	}
	s.keep(t, path, f)
	return s.Pool[wait], nil
}

// keep records a taken lock and releases it when t ends.
func (s *ServerInfo) keep(t testing.TB, path string, f *os.File) {
	heldMu.Lock()
	held[path] = t
	heldMu.Unlock()
	t.Cleanup(func() {
		heldMu.Lock()
		delete(held, path)
		heldMu.Unlock()
		f.Close() // closing the descriptor releases the flock
	})
}

// lockPath is the lock file of one account.
func lockPath(dir, local string) string { return filepath.Join(dir, local+".lock") }

// tryLock opens path and takes an exclusive flock on it, waiting for it when block is set.
// ok is false (and f nil) when the lock is held elsewhere and block is not set. flock locks
// belong to the open file description, so two opens in one process exclude each other too.
func tryLock(path string, block bool) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_EX
	if !block {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("flock %s: %w", path, err)
	}
	return f, true, nil
}
