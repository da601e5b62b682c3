package xmpp

import "sync"

// listeners are the extensions' status observers. Guarded by their own lock
// so that emitting never needs the Session's.
type listeners struct {
	mu   sync.RWMutex
	seq  int
	fns  map[int]func(Event)
	keys []int // registration order
}

// listen adds f and returns a function that removes it.
func (s *Session) listen(f func(Event)) func() {
	l := &s.listeners
	l.mu.Lock()
	if l.fns == nil {
		l.fns = make(map[int]func(Event))
	}
	l.seq++
	k := l.seq
	l.fns[k] = f
	l.keys = append(l.keys, k)
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.fns, k)
		for i, kk := range l.keys {
			if kk == k {
				l.keys = append(l.keys[:i:i], l.keys[i+1:]...)
				break
			}
		}
	}
}

// fanout delivers a status event to Config.OnEvent, then to the extensions.
func (s *Session) fanout(e Event) {
	if s.cfg.OnEvent != nil {
		s.cfg.OnEvent(e)
	}
	l := &s.listeners
	l.mu.RLock()
	fns := make([]func(Event), 0, len(l.keys))
	for _, k := range l.keys {
		fns = append(fns, l.fns[k])
	}
	l.mu.RUnlock()
	for _, f := range fns {
		f(e)
	}
}
