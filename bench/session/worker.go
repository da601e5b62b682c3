package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"time"
)

// The worker modes run in a subprocess of their own per library, so that the
// process's CPU time and memory belong to that library alone. Each prints one
// JSON line on stdout.

// cpuResult is one run of the message loop.
type cpuResult struct {
	Rep        int     `json:"-"` // the lead's repetition number
	N          int     `json:"n"`
	Received   int     `json:"received"`
	CPUPerMsg  float64 `json:"cpu_ns_per_msg"`  // user + system, whole process
	UserPerMsg float64 `json:"user_ns_per_msg"` // the user part: the library's own work, the runtime and TLS
	WallPerMsg float64 `json:"wall_ns_per_msg"` // elapsed
	Allocs     float64 `json:"allocs_per_msg"`
	Bytes      float64 `json:"bytes_per_msg"`
}

// idleResult is the memory of K idle sessions.
type idleResult struct {
	K          int     `json:"k"`
	Bytes      float64 `json:"bytes_per_session"` // HeapInuse + StackInuse delta / K
	Live       float64 `json:"live_per_session"`  // HeapAlloc + StackInuse delta / K: live objects only
	Heap       float64 `json:"heap_per_session"`
	Stack      float64 `json:"stack_per_session"`
	Goroutines float64 `json:"goroutines_per_session"`
}

// connectResult holds the durations of the connects of one worker.
type connectResult struct {
	Mech      string    `json:"mech"`
	First     []float64 `json:"first_ns"`     // fresh library state each time
	Reconnect []float64 `json:"reconnect_ns"` // one connector reused
	// The process's CPU time during each connect (this side's share).
	FirstCPU     []float64 `json:"first_cpu_ns"`
	ReconnectCPU []float64 `json:"reconnect_cpu_ns"`
}

func cpuTime() time.Duration {
	u, s := cpuTimes()
	return u + s
}

// cpuTimes returns the process's user and system CPU time. On loopback the
// system part includes the kernel's delivery of what the process writes
// into the server's socket, which depends on how the kernel coalesces
// writes into segments (different from run to run); the user part does not.
func cpuTimes() (user, system time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

func emit(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fatalf("%v", err)
	}
	fmt.Println(string(b))
}

// counter counts received messages and wakes the sender now and then.
type counter struct {
	n    atomic.Int64
	wake chan struct{}
}

func newCounter() *counter { return &counter{wake: make(chan struct{}, 1)} }

func (c *counter) inc() {
	if n := c.n.Add(1); n%32 == 0 {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// waitFor waits until at least n messages were counted, or stall passes
// without any progress.
func (c *counter) waitFor(n int64, stall time.Duration) bool {
	last, since := c.n.Load(), time.Now()
	for {
		cur := c.n.Load()
		if cur >= n {
			return true
		}
		if cur != last {
			last, since = cur, time.Now()
		}
		if time.Since(since) > stall {
			return false
		}
		select {
		case <-c.wake:
		case <-time.After(5 * time.Millisecond):
			// The last few messages may not reach a multiple of 32.
		}
	}
}

// workCPU: account A sends n chat messages to account B, both clients of the
// library in this process; at most window messages are in flight.
func workCPU(l lib, p params, n, window, warmup int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cnt := newCounter()
	b, err := l.dial(ctx, p, p.env.Account("user31"), cnt.inc)
	if err != nil {
		fatalf("%s: B: %v", l.key, err)
	}
	a, err := l.dial(ctx, p, p.env.Account("user30"), nil)
	if err != nil {
		fatalf("%s: A: %v", l.key, err)
	}
	to := b.jid()
	run := func(from, total int) bool {
		base := cnt.n.Load()
		for i := range total {
			for int64(i)-(cnt.n.Load()-base) >= int64(window) {
				if !cnt.waitFor(cnt.n.Load()+1, 30*time.Second) {
					return false
				}
			}
			if err := a.send(ctx, to, from+i); err != nil {
				fatalf("%s: send: %v", l.key, err)
			}
		}
		return cnt.waitFor(base+int64(total), 30*time.Second)
	}
	if !run(0, warmup) {
		fatalf("%s: warm-up: %d of %d messages arrived", l.key, cnt.n.Load(), warmup)
	}
	base := cnt.n.Load()
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	stop := startProfile(*cpuProf)
	u0, s0 := cpuTimes()
	t0 := time.Now()
	if !run(warmup, n) {
		progress("%s: stalled after %d of %d messages", l.key, cnt.n.Load()-base, n)
	}
	u1, s1 := cpuTimes()
	t1 := time.Now()
	stop()
	writeProfile("allocs", *memProf)
	runtime.ReadMemStats(&m1)
	got := int(cnt.n.Load() - base)
	a.close()
	b.close()
	emit(cpuResult{N: n, Received: got,
		CPUPerMsg:  float64(u1+s1-u0-s0) / float64(n),
		UserPerMsg: float64(u1-u0) / float64(n),
		WallPerMsg: float64(t1.Sub(t0)) / float64(n),
		Allocs:     float64(m1.Mallocs-m0.Mallocs) / float64(n),
		Bytes:      float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n),
	})
}

// workIdle opens k sessions over the accounts user32..user40 and measures
// what they keep once idle.
func workIdle(l lib, p params, k int, settle time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	accts := []string{"user32", "user33", "user34", "user35", "user36", "user37", "user38", "user39", "user40"}
	// One session opened and closed first, so that one-time costs (crypto
	// tables, the CA pool, library globals) are not counted.
	w, err := l.dial(ctx, p, p.env.Account(accts[0]), nil)
	if err != nil {
		fatalf("%s: %v", l.key, err)
	}
	w.close()
	time.Sleep(settle)
	m0, g0 := settled()
	keep := make([]session, 0, k)
	for i := range k {
		s, err := l.dial(ctx, p, p.env.Account(accts[i%len(accts)]), nil)
		if err != nil {
			fatalf("%s: session %d: %v", l.key, i, err)
		}
		keep = append(keep, s)
	}
	time.Sleep(settle) // roster, presence and stream management traffic ends
	m1, g1 := settled()
	writeProfile("heap", *memProf)
	heap := float64(m1.HeapInuse) - float64(m0.HeapInuse)
	stack := float64(m1.StackInuse) - float64(m0.StackInuse)
	emit(idleResult{K: k,
		Bytes:      (heap + stack) / float64(k),
		Live:       (float64(m1.HeapAlloc) - float64(m0.HeapAlloc) + stack) / float64(k),
		Heap:       heap / float64(k),
		Stack:      stack / float64(k),
		Goroutines: float64(g1-g0) / float64(k),
	})
	runtime.KeepAlive(keep)
	for _, s := range keep {
		s.close()
	}
}

func settled() (runtime.MemStats, int) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m, runtime.NumGoroutine()
}

// workConnect times m first connects (a new connector each) and m
// reconnects (one connector), alternating, after one unmeasured warm-up.
func workConnect(l lib, p params, m int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	a := p.env.Account("user30")
	once := func(connect func(context.Context) (string, func(), error)) (string, float64, float64) {
		c0, t0 := cpuTime(), time.Now()
		mech, closeFn, err := connect(ctx)
		d, c := time.Since(t0), cpuTime()-c0
		if err != nil {
			fatalf("%s: connect: %v", l.key, err)
		}
		closeFn()
		return mech, float64(d), float64(c)
	}
	re := l.connector(p, a)
	var res connectResult
	res.Mech, _, _ = once(re) // warm-up; also fills Parley's salt cache
	for range m {
		_, d, c := once(l.connector(p, a))
		res.First = append(res.First, d)
		res.FirstCPU = append(res.FirstCPU, c)
		_, d, c = once(re)
		res.Reconnect = append(res.Reconnect, d)
		res.ReconnectCPU = append(res.ReconnectCPU, c)
	}
	emit(res)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
