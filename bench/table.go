package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// find returns the measured row of op with the given kind (the first one),
// or nil.
func find(rows []row, op string, kind rowKind) *row {
	for i := range rows {
		if rows[i].op == op && rows[i].kind == kind && !rows[i].skipped {
			return &rows[i]
		}
	}
	return nil
}

func ratio(num, den float64) string {
	if num == 0 || den == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", num/den)
}

// printTable writes the one markdown table: a row per library and
// operation. ns/stanza is wall time (testing.Benchmark), CPU ns/stanza the
// process CPU time; "× encoding/xml" is the row's time over the anchor's and
// "Parley speed-up" the row's time over Parley's for the same operation,
// both on the clock chosen with -clock.
func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| op | library | path | ns/stanza | CPU ns/stanza | allocs/stanza | B/stanza | MB/s | × encoding/xml | Parley speed-up | check |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for i := range rows {
		r := &rows[i]
		if r.skipped {
			continue
		}
		var anchorNs, parleyNs float64
		if a := find(rows, r.op, kindAnchor); a != nil {
			anchorNs = a.ns
		}
		if p := find(rows, r.op, kindParley); p != nil {
			parleyNs = p.ns
		}
		speedup := ratio(r.ns, parleyNs)
		if r.kind == kindParley {
			speedup = "—"
		}
		check := "ok " + r.check
		if !r.valid {
			check = "**INVALID** " + r.check
		}
		name := r.name
		if r.kind == kindParley {
			name = "**" + name + "**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.1f | %.1f | %.2f | %.0f | %.0f | %s | %s | %s |\n",
			r.op, name, r.path, r.wall, r.cpu, r.allocs, r.bytes, r.mbps, ratio(r.ns, anchorNs), speedup,
			strings.ReplaceAll(check, "|", "/"))
	}
	fmt.Fprintln(w)
}

// both returns num's time over den's on the compared clock, then on the
// other one.
func both(num, den *row) string {
	wall, cpu := ratio(num.wall, den.wall), ratio(num.cpu, den.cpu)
	if useCPU {
		return cpu + " on CPU time (wall time: " + wall + ")"
	}
	return wall + " on wall time (CPU time: " + cpu + ")"
}

// printTargets states each target of issue 3 §6 and whether this run
// meets it.
func printTargets(w io.Writer, rows []row) {
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT MET"
	}
	fmt.Fprintln(w, "Targets (issue 3 §6), from this run:")
	pd := find(rows, "decode", kindParley)
	if pd != nil && pd.valid {
		for i := range rows {
			r := &rows[i]
			if r.op != "decode" || r.kind != kindPeer || r.skipped || (r.name != "gosrc.io/xmpp" && r.name != "mellium.im/xmpp") {
				continue
			}
			if !r.valid {
				fmt.Fprintf(w, "- decode ≥8x faster than %s: not measurable (its row is invalid)\n", r.name)
				continue
			}
			fmt.Fprintf(w, "- decode ≥8x faster than %s: %s, %s\n", r.name, both(r, pd), verdict(r.ns >= 8*pd.ns))
		}
		// The decoder's own setup (one per stream) is amortized over the
		// stream; the verdict is on the value as printed.
		fmt.Fprintf(w, "- decode ≤4 allocations per stanza: %.2f, %s\n", pd.allocs, verdict(math.Round(pd.allocs*100) <= 400))
		if a := find(rows, "decode", kindAnchor); a != nil {
			fmt.Fprintf(w, "- decode time relative to the encoding/xml Token() loop: %s\n", both(pd, a))
		}
		if l := find(rows, "decode", kindLimit); l != nil {
			fmt.Fprintf(w, "- decode time relative to the bytes.IndexByte scan (practical limit): %s\n", both(pd, l))
		}
	} else if pd != nil {
		fmt.Fprintln(w, "- decode: Parley's row is invalid, no target can be judged")
	}
	pe := find(rows, "encode", kindParley)
	if pe != nil && pe.valid {
		var fastest *row
		for i := range rows {
			r := &rows[i]
			if r.op == "encode" && r.kind == kindPeer && !r.skipped && r.valid && (fastest == nil || r.ns < fastest.ns) {
				fastest = r
			}
		}
		if fastest != nil {
			fmt.Fprintf(w, "- encode ≥7x faster than the fastest peer (%s): %s, %s\n",
				fastest.name, both(fastest, pe), verdict(fastest.ns >= 7*pe.ns))
		}
		fmt.Fprintf(w, "- encode 0 allocations into a reused buffer: %.2f, %s\n", pe.allocs, verdict(pe.allocs < 0.01))
		if a := find(rows, "encode", kindAnchor); a != nil {
			fmt.Fprintf(w, "- encode time relative to xml.Encoder: %s\n", both(pe, a))
		}
	} else if pe != nil {
		fmt.Fprintln(w, "- encode: Parley's row is invalid, no target can be judged")
	}
}
