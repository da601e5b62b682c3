package xmpp

import (
	"context"
	"time"
)

// interruptOn makes set(past) run when ctx ends, so a blocked Read or Write
// returns. The returned stop undoes that, and if the interruption already
// started, waits for it to finish, so that a late interruption can never
// clobber a deadline set after stop returned.
func interruptOn(ctx context.Context, set func(time.Time) error) (stop func()) {
	if ctx.Done() == nil {
		return noop // context.Background and its like never end
	}
	done := make(chan struct{})
	unhook := context.AfterFunc(ctx, func() {
		set(time.Unix(1, 0))
		close(done)
	})
	return func() {
		if !unhook() {
			<-done
		}
	}
}

func noop() {}
