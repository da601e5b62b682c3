package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

type rowKind uint8

const (
	kindParley rowKind = iota
	kindPeer
	kindAnchor // encoding/xml: the denominator of the "× encoding/xml" column
	kindLimit  // bytes.IndexByte: the practical limit
)

// row is one line of the table: what to run and what it measured.
type row struct {
	op, name, path string
	kind           rowKind
	dec            decodeFunc
	enc            func() encodeFunc
	encoder        encodeFunc // made by prepare
	encLen         int
	runs           []result

	skipped bool
	valid   bool
	check   string // "100000/100000", or why the row is invalid
	result         // the median run
}

// result is one testing.Benchmark run, per stanza. ns is the clock the
// table compares (wall time, or CPU time with -clock cpu); wall and cpu are
// both kept.
type result struct {
	ns, wall, cpu, allocs, bytes, mbps float64
}

// useCPU makes the process's CPU time (user + system, all threads, so the
// garbage collector's work counts) the compared clock instead of wall time.
var useCPU bool

func perStanza(r testing.BenchmarkResult, cpu time.Duration, stanzas int) result {
	ops := float64(r.N) * float64(stanzas)
	res := result{
		wall:   float64(r.T.Nanoseconds()) / ops,
		cpu:    float64(cpu.Nanoseconds()) / ops,
		allocs: float64(r.MemAllocs) / ops,
		bytes:  float64(r.MemBytes) / ops,
	}
	res.ns = res.wall
	if useCPU {
		res.ns = res.cpu
	}
	if res.ns > 0 {
		res.mbps = float64(r.Bytes) / float64(stanzas) / res.ns * 1e3
	}
	return res
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// prepare checks the row once: a decoder must return n messages with the
// expected content, an encoder's output must read back as the message.
func (r *row) prepare(in []byte, n int) {
	switch {
	case r.dec != nil:
		got, err := r.dec(in)
		r.valid = err == nil && got == n
		r.check = fmt.Sprintf("%d/%d", got, n)
		if err != nil {
			r.check += ": " + err.Error()
		}
	case r.enc != nil:
		r.encoder = r.enc()
		out, err := r.encoder()
		if err == nil {
			err = checkEncoded(out)
		}
		r.valid = err == nil
		r.encLen = len(out)
		r.check = fmt.Sprintf("%d bytes re-read", len(out))
		if err != nil {
			r.check = err.Error()
		}
	}
}

// runOnce measures the row once with testing.Benchmark. The CPU time is
// taken around the last call of the benchmark function, the one whose b.N
// testing.Benchmark reports.
func (r *row) runOnce(in []byte, n int) {
	runtime.GC()
	var (
		cpu   time.Duration
		lastN int
		got   int
	)
	var br testing.BenchmarkResult
	switch {
	case r.dec != nil:
		br = testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				got, _ = r.dec(in)
			}
			cpu, lastN = cpuTime()-c0, b.N
		})
		if got != n {
			r.valid = false
		}
	case r.encoder != nil:
		n = 1
		br = testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(r.encLen))
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := r.encoder(); err != nil {
					b.Fatal(err)
				}
			}
			cpu, lastN = cpuTime()-c0, b.N
		})
	}
	if lastN != br.N {
		cpu = 0 // not the reported run; should not happen
	}
	r.runs = append(r.runs, perStanza(br, cpu, n))
}

// finish keeps the median run by time.
func (r *row) finish() {
	if len(r.runs) == 0 {
		return
	}
	runs := slices.Clone(r.runs)
	slices.SortFunc(runs, func(a, b result) int {
		switch {
		case a.ns < b.ns:
			return -1
		case a.ns > b.ns:
			return 1
		}
		return 0
	})
	r.result = runs[len(runs)/2]
}

// cpuModel returns the processor's name from /proc/cpuinfo, or GOARCH.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// peerVersions lists the peer modules this binary was built with.
func peerVersions() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var out []string
	for _, d := range bi.Deps {
		switch d.Path {
		case "mellium.im/xmpp", "gosrc.io/xmpp", "github.com/xmppo/go-xmpp":
			out = append(out, d.Path+" "+d.Version)
		}
	}
	return strings.Join(out, ", ")
}
