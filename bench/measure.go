package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
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
	check   string  // "100000/100000", or why the row is invalid
	ns      float64 // per stanza
	allocs  float64 // per stanza
	bytes   float64 // allocated per stanza
	mbps    float64
}

// result is one testing.Benchmark run, per stanza.
type result struct {
	ns, allocs, bytes, mbps float64
}

func perStanza(r testing.BenchmarkResult, stanzas int) result {
	ops := float64(r.N) * float64(stanzas)
	res := result{
		ns:     float64(r.T.Nanoseconds()) / ops,
		allocs: float64(r.MemAllocs) / ops,
		bytes:  float64(r.MemBytes) / ops,
	}
	if s := r.T.Seconds(); s > 0 {
		res.mbps = float64(r.Bytes) * float64(r.N) / 1e6 / s
	}
	return res
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

// runOnce measures the row once with testing.Benchmark.
func (r *row) runOnce(in []byte, n int) {
	runtime.GC()
	var br testing.BenchmarkResult
	switch {
	case r.dec != nil:
		got := 0
		br = testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				got, _ = r.dec(in)
			}
		})
		if got != n {
			r.valid = false
		}
		r.runs = append(r.runs, perStanza(br, n))
	case r.encoder != nil:
		br = testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(r.encLen))
			for i := 0; i < b.N; i++ {
				if _, err := r.encoder(); err != nil {
					b.Fatal(err)
				}
			}
		})
		r.runs = append(r.runs, perStanza(br, 1))
	}
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
	m := runs[len(runs)/2]
	r.ns, r.allocs, r.bytes, r.mbps = m.ns, m.allocs, m.bytes, m.mbps
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
