package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// medianCPU returns the run with the median CPU time per message.
func (r *row) medianCPU() (cpuResult, bool) {
	if len(r.cpu) == 0 {
		return cpuResult{}, false
	}
	runs := slices.Clone(r.cpu)
	slices.SortFunc(runs, func(a, b cpuResult) int {
		switch {
		case a.CPUPerMsg < b.CPUPerMsg:
			return -1
		case a.CPUPerMsg > b.CPUPerMsg:
			return 1
		}
		return 0
	})
	return runs[len(runs)/2], true
}

// cpuRatio is the median over the repetitions of r's CPU per message
// divided by base's in the same repetition: the load of the machine
// changes between repetitions more than within one.
func (r *row) cpuRatio(base *row) float64 {
	var ratios []float64
	for _, a := range r.cpu {
		for _, b := range base.cpu {
			if a.Rep == b.Rep && b.CPUPerMsg > 0 {
				ratios = append(ratios, a.CPUPerMsg/b.CPUPerMsg)
			}
		}
	}
	return median(ratios)
}

// issueMinimal is the minimal client's CPU per message in the issue's own
// measurement (issue 4 §7), against which the 7 µs target was set.
const issueMinimal = 5.4

func printTable(rows []*row) {
	var floor, floorSM, noSM *row
	for _, r := range rows {
		switch r.key {
		case "minimal":
			floor = r
		case "minimal-sm":
			floorSM = r
		case "parley-nosm":
			noSM = r
		}
	}
	var floorFirst float64
	if floor != nil {
		floorFirst = median(floor.connect.First)
	}
	ratio := func(x, base float64) string {
		if x == 0 || base == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f×", x/base)
	}
	fmt.Println("| library | client CPU µs/msg (send+recv) | × minimal (per-run median) | wall µs/msg | allocs/msg | B/msg | idle KiB/session (live) | goroutines/session | first connect ms | × minimal | reconnect ms | × minimal first | connect CPU ms first / re | SASL |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, r := range rows {
		c, ok := r.medianCPU()
		cells := []string{r.name}
		if ok {
			x := "—"
			if floor != nil {
				if q := r.cpuRatio(floor); q > 0 {
					x = fmt.Sprintf("%.2f×", q)
				}
			}
			cells = append(cells, fmt.Sprintf("%.2f", c.CPUPerMsg/1e3), x,
				fmt.Sprintf("%.2f", c.WallPerMsg/1e3), fmt.Sprintf("%.1f", c.Allocs), fmt.Sprintf("%.0f", c.Bytes))
		} else {
			cells = append(cells, "—", "—", "—", "—", "—")
		}
		if r.idle != nil {
			g := fmt.Sprintf("%.2f", r.idle.Goroutines)
			if r.callerReads {
				g += " (caller's reader)"
			}
			cells = append(cells, fmt.Sprintf("%.1f (%.1f)", r.idle.Bytes/1024, r.idle.Live/1024), g)
		} else {
			cells = append(cells, "—", "—")
		}
		first, re := median(r.connect.First), median(r.connect.Reconnect)
		if len(r.connect.First) > 0 {
			cells = append(cells, fmt.Sprintf("%.2f", first/1e6), ratio(first, floorFirst),
				fmt.Sprintf("%.2f", re/1e6), ratio(re, floorFirst),
				fmt.Sprintf("%.2f / %.2f", median(r.connect.FirstCPU)/1e6, median(r.connect.ReconnectCPU)/1e6), r.connect.Mech)
		} else {
			cells = append(cells, "—", "—", "—", "—", "—", "—")
		}
		if len(r.failed) > 0 {
			cells[0] += " (FAILED: " + strings.Join(r.failed, "; ") + ")"
		}
		fmt.Println("| " + strings.Join(cells, " | ") + " |")
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("- %s: %s\n", r.name, r.how)
	}
	fmt.Println()
	for _, r := range rows {
		if r.key != "parley" {
			continue
		}
		if c, ok := r.medianCPU(); ok {
			fmt.Printf("target: Parley client CPU ≤ 7 µs/message: %.2f µs → %s\n", c.CPUPerMsg/1e3, verdict(c.CPUPerMsg <= 7000))
			if floor != nil {
				q := r.cpuRatio(floor)
				fmt.Printf("        the same target as a ratio (7 µs over the issue's minimal client, %.1f µs = %.2f×): %.2f× → %s\n",
					issueMinimal, 7/issueMinimal, q, verdict(q <= 7/issueMinimal))
			}
			// Like with like: stream management on both sides, and off on both.
			if floorSM != nil {
				q := r.cpuRatio(floorSM)
				fmt.Printf("        like with like, against the minimal client with stream management on: %.2f× → %s\n",
					q, verdict(q <= 7/issueMinimal))
			}
			if noSM != nil && floor != nil {
				q := noSM.cpuRatio(floor)
				fmt.Printf("        like with like, stream management off on both: %.2f× → %s\n", q, verdict(q <= 7/issueMinimal))
			}
		}
		if r.idle != nil {
			fmt.Printf("target: Parley idle session ≤ 20 KiB: %.1f KiB HeapInuse+StackInuse → %s; %.1f KiB live (HeapAlloc+StackInuse) → %s\n",
				r.idle.Bytes/1024, verdict(r.idle.Bytes <= 20*1024), r.idle.Live/1024, verdict(r.idle.Live <= 20*1024))
			fmt.Printf("target: Parley ≤ 1 goroutine per idle session: %.2f → %s\n", r.idle.Goroutines, verdict(r.idle.Goroutines <= 1.0))
		}
		if first := median(r.connect.First); first > 0 && floorFirst > 0 {
			fmt.Printf("target: Parley first connect ≤ 1.1× minimal (%s): %.2f ms vs %.2f ms = %.2f× → %s\n",
				minimalMech, first/1e6, floorFirst/1e6, first/floorFirst, verdict(first <= 1.1*floorFirst))
			re := median(r.connect.Reconnect)
			fmt.Printf("target: Parley reconnect faster than the minimal client's connect (by 2%% at least, beyond noise): %.2f ms vs %.2f ms → %s\n",
				re/1e6, floorFirst/1e6, verdict(re < 0.98*floorFirst))
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
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
