package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// poolServer is a ServerInfo with a pool of n accounts in a temporary directory.
func poolServer(t *testing.T, n int) *ServerInfo {
	s := &ServerInfo{Name: "test", Domain: "example.test", Dir: t.TempDir()}
	for i := range n {
		s.Pool = append(s.Pool, "u"+string(rune('a'+i)))
	}
	return s
}

// lockedElsewhere reports whether another open file description holds the account's lock.
func lockedElsewhere(t *testing.T, s *ServerInfo, local string) bool {
	t.Helper()
	f, ok, err := tryLock(lockPath(filepath.Join(s.Dir, "locks"), local), false)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		f.Close()
	}
	return !ok
}

func TestAccountExclusive(t *testing.T) {
	s := poolServer(t, 3)
	var got []string
	t.Run("take all", func(t *testing.T) {
		for range 3 {
			a := s.Account(t)
			if a.JID != a.Local+"@example.test" || a.Password != a.Local+"pass" {
				t.Errorf("Account = %+v", a)
			}
			got = append(got, a.Local)
		}
		slices.Sort(got)
		if !slices.Equal(got, s.Pool) {
			t.Fatalf("accounts handed out = %q, want each of %q once", got, s.Pool)
		}
		for _, u := range s.Pool {
			if !lockedElsewhere(t, s, u) {
				t.Errorf("%s is not locked while the test holds it", u)
			}
		}
		if _, err := s.lockAccount(t); err == nil || !strings.Contains(err.Error(), "held by this test") {
			t.Errorf("fourth account: error = %v, want 'held by this test'", err)
		}
	})
	// The subtest has ended: its cleanups released every lock.
	for _, u := range s.Pool {
		if lockedElsewhere(t, s, u) {
			t.Errorf("%s is still locked after the test that held it ended", u)
		}
	}
}

func TestAccountEmptyPool(t *testing.T) {
	s := poolServer(t, 0)
	if _, err := s.lockAccount(t); err == nil {
		t.Error("lockAccount on an empty pool: want an error")
	}
}

// TestAccountWaitsForRelease: with the only account held by another test, Account returns
// only after that test has released it.
func TestAccountWaitsForRelease(t *testing.T) {
	s := poolServer(t, 1)
	taken := make(chan struct{})
	var released atomic.Bool
	t.Run("group", func(t *testing.T) {
		t.Run("holder", func(t *testing.T) {
			t.Parallel()
			s.Account(t)
			// Cleanups run last-in first-out: this one runs before the lock is released.
			t.Cleanup(func() { released.Store(true) })
			close(taken)
		})
		t.Run("waiter", func(t *testing.T) {
			t.Parallel()
			<-taken
			a := s.Account(t)
			if !released.Load() {
				t.Errorf("got %s while the holder still had it", a.Local)
			}
		})
	})
}

// TestAccountAcrossProcesses: a pool account held here cannot be locked by another process,
// and can be once released.
func TestAccountAcrossProcesses(t *testing.T) {
	s := poolServer(t, 1)
	path := lockPath(filepath.Join(s.Dir, "locks"), s.Pool[0])
	t.Run("held", func(t *testing.T) {
		s.Account(t)
		if err := lockInChild(t, path); err == nil {
			t.Error("another process locked the account this test holds")
		}
	})
	if err := lockInChild(t, path); err != nil {
		t.Errorf("another process could not lock the released account: %v", err)
	}
}

// lockInChild runs TestLockHelperProcess in a child process to try the lock at path.
func lockInChild(t *testing.T, path string) error {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "TESTENV_LOCK_PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("child: %v", err)
		}
		return errors.New(strings.TrimSpace(string(out)))
	}
	return nil
}

// TestLockHelperProcess is the child of lockInChild; it does nothing in a normal run.
func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv("TESTENV_LOCK_PATH")
	if path == "" {
		t.Skip("helper process only")
	}
	f, ok, err := tryLock(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("lock is held elsewhere")
	}
	f.Close()
}
