package xmppraw

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Lock takes the locks the repository's tests take (internal/testenv): an
// exclusive flock(2) on DIR/locks/NAME.lock for each pool account name, or
// "component" for the component name, waiting while a test holds one. The
// servers are shared with tests that may run at the same time; holding
// the locks keeps those tests off the accounts (and the component name)
// a benchmark uses. release drops them all.
func (e *Env) Lock(names ...string) (release func(), err error) {
	dir := filepath.Join(e.Dir, "locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var held []*os.File
	release = func() {
		for _, f := range held {
			f.Close()
		}
	}
	for _, n := range names {
		f, err := os.OpenFile(filepath.Join(dir, n+".lock"), os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			release()
			return nil, err
		}
		for err = syscall.EINTR; errors.Is(err, syscall.EINTR); {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		}
		if err != nil {
			f.Close()
			release()
			return nil, fmt.Errorf("lock %s: %w", n, err)
		}
		held = append(held, f)
	}
	return release, nil
}
