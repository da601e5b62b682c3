package main

import "testing"

func TestMedian(t *testing.T) {
	for i, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("%d: median(%v) = %v, want %v", i, tc.in, got, tc.want)
		}
	}
}

// TestCPURatio: ratios pair runs of the same repetition only, and a
// repetition the base lacks is skipped.
func TestCPURatio(t *testing.T) {
	base := &row{cpu: []cpuResult{{Rep: 0, CPUPerMsg: 5}, {Rep: 1, CPUPerMsg: 10}, {Rep: 3, CPUPerMsg: 4}}}
	r := &row{cpu: []cpuResult{{Rep: 0, CPUPerMsg: 10}, {Rep: 1, CPUPerMsg: 30}, {Rep: 2, CPUPerMsg: 99}, {Rep: 3, CPUPerMsg: 8}}}
	// Pairs: 10/5 = 2, 30/10 = 3, 8/4 = 2 → median 2.
	if got := r.cpuRatio(base); got != 2 {
		t.Errorf("cpuRatio = %v, want 2", got)
	}
	if got := r.cpuRatio(&row{}); got != 0 {
		t.Errorf("cpuRatio against no runs = %v, want 0", got)
	}
}

func TestMedianCPU(t *testing.T) {
	r := &row{cpu: []cpuResult{{CPUPerMsg: 9, Allocs: 1}, {CPUPerMsg: 3, Allocs: 2}, {CPUPerMsg: 5, Allocs: 3}}}
	got, ok := r.medianCPU()
	if !ok || got.CPUPerMsg != 5 || got.Allocs != 3 {
		t.Errorf("medianCPU = %+v, %v; want the run with 5", got, ok)
	}
	if _, ok := (&row{}).medianCPU(); ok {
		t.Errorf("medianCPU of no runs reported a result")
	}
}

func TestLibKeysUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range libs() {
		if seen[l.key] || l.dial == nil || l.connector == nil {
			t.Errorf("lib %q: duplicate or incomplete", l.key)
		}
		seen[l.key] = true
		if got, ok := findLib(l.key); !ok || got.name != l.name {
			t.Errorf("findLib(%q) = %q, %v", l.key, got.name, ok)
		}
	}
	if !seen["minimal"] || !seen["parley"] {
		t.Errorf("the floor and Parley must be rows: %v", seen)
	}
}
