// Command component measures XMPP server components against the local
// Prosody (Parley issue 5): a client sends a burst of -n chat messages to
// echo@<component domain>, Prosody routes them to the component, and the
// component answers each one back to the client. Parley's component.Dial,
// gosrc.io/xmpp's Component and mellium.im/xmpp/component are measured in
// the same run, one after another on the same component name (the server
// accepts one connection per name), each in a subprocess of this binary
// (the -worker flag) so that the component process's CPU time (getrusage:
// user + system, all threads) is its own.
//
// The sending side is the same for all: the minimal raw client of
// bench/internal/xmppraw in the lead process, which keeps at most -window
// messages unanswered so that Prosody's queues stay bounded. Reported:
// end-to-end messages per second (the client's view; Prosody's routing is
// part of it) and the component's CPU and allocations per message. Run it
// with `cd bench && go run ./component` while the servers are up.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"syscall"
	"time"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

var (
	worker  = flag.String("worker", "", "internal: serve as this component (parley, gosrc, mellium) and print JSON")
	nFlag   = flag.Int("n", 100000, "messages per measured burst")
	warmup  = flag.Int("warmup", 2000, "unmeasured messages before each burst")
	window  = flag.Int("window", 1000, "messages the client keeps unanswered at most")
	count   = flag.Int("count", 1, "bursts per component (interleaved; the median is reported)")
	only    = flag.String("only", "", "measure only the components whose key matches this regexp")
	cpuProf = flag.String("cpuprofile", "", "write a CPU profile of each component worker to this file + \".<key>\"")
	timeout = flag.Duration("stall", 30*time.Second, "give up on a burst after this long without a reply")
)

// result is what a worker reports.
type result struct {
	N         int     `json:"n"`
	CPUPerMsg float64 `json:"cpu_ns_per_msg"`
	Wall      float64 `json:"wall_ns_per_msg"` // first to last measured reply, the component's clock
	Allocs    float64 `json:"allocs_per_msg"`
	Bytes     float64 `json:"bytes_per_msg"`
}

func main() {
	flag.Parse()
	env, err := xmppraw.LoadEnv()
	if err != nil {
		fatalf("%v", err)
	}
	if env.CompAddr == "" || env.CompDomain == "" {
		fatalf("%s: no Prosody component port", env.File)
	}
	if *worker != "" {
		for _, im := range impls() {
			if im.key == *worker {
				work(im, env)
				return
			}
		}
		fatalf("unknown -worker %q", *worker)
	}
	var filter *regexp.Regexp
	if *only != "" {
		filter = regexp.MustCompile(*only)
	}
	var rows []*row
	for _, im := range impls() {
		if filter == nil || filter.MatchString(im.key) {
			rows = append(rows, &row{impl: im})
		}
	}
	lead(env, rows)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// work is the worker: connect, say "ready", answer warm-up + n messages,
// print the measurement and disconnect.
func work(im impl, env *xmppraw.Env) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	m := newMeter(*warmup, *nFlag)
	closeFn, err := im.serve(ctx, env, m)
	if err != nil {
		fatalf("%s: connect: %v", im.key, err)
	}
	var ms0, ms1 runtime.MemStats
	fmt.Println("ready")
	// The allocation counters are read around the measured part too:
	// waiting for the warm-up first.
	for m.count.Load() < m.warm {
		time.Sleep(time.Millisecond)
	}
	runtime.ReadMemStats(&ms0)
	stop := startProfile(*cpuProf)
	select {
	case <-m.done:
	case <-ctx.Done():
		fatalf("%s: %d of %d answered", im.key, m.count.Load(), m.warm+m.n)
	}
	stop()
	runtime.ReadMemStats(&ms1)
	m.mu.Lock()
	res := result{N: int(m.n),
		CPUPerMsg: float64(m.c1-m.c0) / float64(m.n),
		Wall:      float64(m.t1.Sub(m.t0)) / float64(m.n),
		Allocs:    float64(ms1.Mallocs-ms0.Mallocs) / float64(m.n),
		Bytes:     float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(m.n),
	}
	m.mu.Unlock()
	b, _ := json.Marshal(res)
	fmt.Println(string(b))
	closeFn()
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "component: "+format+"\n", args...)
	os.Exit(2)
}
