package main

import "testing"

// TestCPURatio: ratios pair runs of the same burst round only.
func TestCPURatio(t *testing.T) {
	base := &row{runs: []result{{CPUPerMsg: 10}, {CPUPerMsg: 20}}, reps: []int{0, 2}}
	r := &row{runs: []result{{CPUPerMsg: 15}, {CPUPerMsg: 99}, {CPUPerMsg: 50}}, reps: []int{0, 1, 2}}
	// Pairs: 15/10 = 1.5 and 50/20 = 2.5 → median 2.
	if got := r.cpuRatio(base); got != 2 {
		t.Errorf("cpuRatio = %v, want 2", got)
	}
	res, rate, ok := (&row{runs: []result{{CPUPerMsg: 3}, {CPUPerMsg: 1}, {CPUPerMsg: 2}}, rates: []float64{30, 10, 20}}).median()
	if !ok || res.CPUPerMsg != 2 || rate != 20 {
		t.Errorf("median = %v, %v, %v; want 2, 20", res.CPUPerMsg, rate, ok)
	}
}

// TestMeter: the snapshots are taken at the warm-up count and at warm-up +
// n, and done closes exactly then.
func TestMeter(t *testing.T) {
	m := newMeter(2, 3)
	for i := 1; i <= 4; i++ {
		m.answered()
		select {
		case <-m.done:
			t.Fatalf("done after %d answers", i)
		default:
		}
		if i == 2 && m.t0.IsZero() {
			t.Fatalf("no start snapshot after the warm-up")
		}
	}
	m.answered()
	select {
	case <-m.done:
	default:
		t.Fatalf("not done after warm-up + n answers")
	}
	if m.t1.Before(m.t0) {
		t.Errorf("end snapshot before start")
	}
}
