package soak

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cutProxy forwards TCP connections from a loopback listener to target and,
// while cutting is on, closes every open connection at random intervals in
// [minGap, maxGap): wherever the bytes happen to be, mid-stanza, mid-ack or
// in the middle of a resumption.
type cutProxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns map[net.Conn]struct{}

	cuts    atomic.Int64
	stop    chan struct{}
	stopped sync.WaitGroup
}

func newCutProxy(t testing.TB, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{t: t, ln: ln, target: target, conns: map[net.Conn]struct{}{}, stop: make(chan struct{})}
	p.stopped.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *cutProxy) Addr() string { return p.ln.Addr().String() }

func (p *cutProxy) accept() {
	defer p.stopped.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c] = struct{}{}
		p.conns[up] = struct{}{}
		p.mu.Unlock()
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *cutProxy) pipe(dst, src net.Conn) {
	io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}

// cutAll closes every open connection, as a network failure would.
func (p *cutProxy) cutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.conns) == 0 {
		return
	}
	for c := range p.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // a reset, not a polite close
		}
		c.Close()
	}
	p.cuts.Add(1)
}

// startCutting cuts at random intervals in [minGap, maxGap) until done is
// closed.
func (p *cutProxy) startCutting(minGap, maxGap time.Duration, done <-chan struct{}) {
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		for {
			gap := minGap + rand.N(maxGap-minGap)
			t := time.NewTimer(gap)
			select {
			case <-t.C:
				p.cutAll()
			case <-done:
				t.Stop()
				return
			case <-p.stop:
				t.Stop()
				return
			}
		}
	}()
}

func (p *cutProxy) close() {
	select {
	case <-p.stop:
		return
	default:
	}
	close(p.stop)
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.stopped.Wait()
}
