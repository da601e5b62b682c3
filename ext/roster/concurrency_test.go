package roster

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentQueries reads the database from several goroutines while
// pushes change it (run with -race to check the locking).
func TestConcurrentQueries(t *testing.T) {
	s, p := newPeerSession(t, "alice@localhost/home", "")
	var log changeLog
	r := New(&Config{OnChange: log.add})
	if _, err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	const n = 100
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				for it := range r.All() {
					r.Exists(it.JID)
					r.Query(it.JID, KeyGroups)
				}
				r.Groups()
				r.GroupJIDs("even")
				r.NonGroupJIDs()
			}
		})
	}
	// The pushes are written in one go; the answers are read as they come.
	var b strings.Builder
	for i := range n {
		group := map[bool]string{true: "<group>even</group>", false: ""}[i%2 == 0]
		fmt.Fprintf(&b, `<iq type='set' id='c%d'><query xmlns='jabber:iq:roster' ver='%d'><item jid='u%d@localhost'>%s</item></query></iq>`, i, i, i, group)
	}
	go p.Conn.Write([]byte(b.String())) // net.Pipe: the write waits for the reader
	for range n {
		if e := p.Next(); e.Get("type") != "result" {
			t.Fatalf("push answered %s", e)
		}
	}
	close(done)
	wg.Wait()
	if r.Len() != n || len(r.GroupJIDs("even")) != n/2 || len(r.NonGroupJIDs()) != n/2 || r.Version() != fmt.Sprint(n-1) || log.len() != n {
		t.Fatalf("after %d pushes: %d items, %d even, version %q, %d changes", n, r.Len(), len(r.GroupJIDs("even")), r.Version(), log.len())
	}
}
