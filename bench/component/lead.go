package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

const body = "The quick brown fox jumps over the lazy dog while the XMPP server routes it to a component."

// clientAccount is the pool account that sends (held with the component
// name against concurrent tests).
const clientAccount = "user38"

type row struct {
	impl
	runs   []result
	reps   []int     // the burst number of each run
	rates  []float64 // end-to-end messages per second, one per run
	failed []string
}

// sender is the lead's raw client and its reply counter.
type sender struct {
	c       *xmppraw.Conn
	replies atomic.Int64
	wake    chan struct{}
	to      string
	buf     []byte
	sent    int64
}

func lead(env *xmppraw.Env, rows []*row) {
	release, err := env.Lock("component", clientAccount)
	if err != nil {
		fatalf("%v", err)
	}
	defer release()
	tlsCfg, err := env.TLSConfig()
	if err != nil {
		fatalf("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if err := env.Archiving(ctx, tlsCfg, "never", clientAccount); err != nil {
		fatalf("%v", err)
	}
	defer func() {
		if err := env.Archiving(context.Background(), tlsCfg, "always", clientAccount); err != nil {
			progress("restoring archiving: %v", err)
		}
	}()
	c, err := xmppraw.Dial(ctx, env.Addr, env.Domain, tlsCfg, env.Account(clientAccount), "SCRAM-SHA-256")
	cancel()
	if err != nil {
		fatalf("client: %v", err)
	}
	defer c.Close()
	s := &sender{c: c, wake: make(chan struct{}, 1), to: "echo@" + env.CompDomain}
	go c.Count([]byte("</message>"), func(n int) bool {
		s.replies.Store(int64(n))
		select {
		case s.wake <- struct{}{}:
		default:
		}
		return true
	})

	fmt.Printf("# Parley components side by side (one run, Prosody %s, XEP-0114 on %s)\n\n", env.CompAddr, env.CompDomain)
	fmt.Println(machine())
	fmt.Printf("%d messages per burst (+%d warm-up), window %d, %d burst(s) per component; sender: minimal raw client (%s)\n",
		*nFlag, *warmup, *window, *count, c.Mech)
	fmt.Printf("peers: %s\n\n", peerVersions())

	for r := range *count {
		for _, row := range rows {
			var err error
			for try := range 3 {
				if err = row.burst(s, r); err == nil {
					break
				}
				progress("burst %d/%d %s, try %d: %v", r+1, *count, row.key, try+1, err)
				time.Sleep(3 * time.Second)
			}
			if err != nil {
				row.failed = append(row.failed, err.Error())
				continue
			}
			res := row.runs[len(row.runs)-1]
			progress("burst %d/%d %s: %.0f msg/s end to end, component CPU %.2f µs/msg, %.1f allocs/msg",
				r+1, *count, row.key, row.rates[len(row.rates)-1], res.CPUPerMsg/1e3, res.Allocs)
		}
	}
	printTable(rows)
}

// burst runs one worker: wait for "ready", send warm-up + n messages in
// windows, wait for every reply and for the worker's result.
func (r *row) burst(s *sender, rep int) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"-worker", r.key, "-n", strconv.Itoa(*nFlag), "-warmup", strconv.Itoa(*warmup)}
	if *cpuProf != "" {
		args = append(args, "-cpuprofile", *cpuProf+"."+r.key)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill() // our own child, by its PID
			cmd.Wait()
		}
	}()
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	select {
	case l, ok := <-lines:
		if !ok || l != "ready" {
			cmd.Wait()
			return fmt.Errorf("worker did not connect (%q)", l)
		}
	case <-time.After(30 * time.Second):
		return fmt.Errorf("worker did not connect in 30 s")
	}
	if err := s.send(*warmup); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	t0 := time.Now()
	if err := s.send(*nFlag); err != nil {
		return err
	}
	rate := float64(*nFlag) / time.Since(t0).Seconds()
	var res result
	select {
	case l, ok := <-lines:
		if !ok {
			cmd.Wait()
			return fmt.Errorf("worker ended without a result")
		}
		if err := json.Unmarshal([]byte(l), &res); err != nil {
			return fmt.Errorf("worker said %q: %v", l, err)
		}
	case <-time.After(*timeout):
		return fmt.Errorf("no result from the worker")
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	r.runs = append(r.runs, res)
	r.reps = append(r.reps, rep)
	r.rates = append(r.rates, rate)
	return nil
}

// send sends n messages, keeping at most -window unanswered, and waits for
// all their replies.
func (s *sender) send(n int) error {
	base := s.sent
	end := base + int64(n)
	for s.sent < end {
		for s.sent-s.replies.Load() >= int64(*window) {
			if err := s.wait(); err != nil {
				return err
			}
		}
		s.buf = fmt.Appendf(s.buf[:0], "<message to='%s' type='chat' id='c%d'><body>%s</body><no-store xmlns='%s'/></message>",
			s.to, s.sent, body, nsHints)
		if _, err := s.c.Write(s.buf); err != nil {
			return err
		}
		s.sent++
	}
	for s.replies.Load() < end {
		if err := s.wait(); err != nil {
			return err
		}
	}
	return nil
}

// wait waits for more replies, failing after -stall without any.
func (s *sender) wait() error {
	before := s.replies.Load()
	select {
	case <-s.wake:
		return nil
	case <-time.After(*timeout):
		if s.replies.Load() == before {
			// The component lost messages: resynchronise the counts so the next
			// burst starts clean.
			s.sent = s.replies.Load()
			return fmt.Errorf("no reply for %v (%d sent, %d answered)", *timeout, s.sent, before)
		}
		return nil
	}
}

func (r *row) median() (result, float64, bool) {
	if len(r.runs) == 0 {
		return result{}, 0, false
	}
	idx := make([]int, len(r.runs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch x, y := r.runs[a].CPUPerMsg, r.runs[b].CPUPerMsg; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	rates := slices.Clone(r.rates)
	slices.Sort(rates)
	return r.runs[idx[len(idx)/2]], rates[len(rates)/2], true
}

// cpuRatio is the median over the bursts of r's CPU per message divided
// by base's in the same burst round (the machine's load changes between
// rounds more than within one).
func (r *row) cpuRatio(base *row) float64 {
	var q []float64
	for i, a := range r.runs {
		for j, b := range base.runs {
			if r.reps[i] == base.reps[j] && b.CPUPerMsg > 0 {
				q = append(q, a.CPUPerMsg/b.CPUPerMsg)
			}
		}
	}
	if len(q) == 0 {
		return 0
	}
	slices.Sort(q)
	if len(q)%2 == 1 {
		return q[len(q)/2]
	}
	return (q[len(q)/2-1] + q[len(q)/2]) / 2
}

func printTable(rows []*row) {
	var parley *row
	for _, r := range rows {
		if r.key == "parley" {
			parley = r
		}
	}
	fmt.Println("| component | messages/s (end to end) | component CPU µs/msg | × Parley (per-round median) | component wall µs/msg | allocs/msg | B/msg |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		res, rate, ok := r.median()
		name := r.name
		if len(r.failed) > 0 {
			name += " (FAILED: " + strings.Join(r.failed, "; ") + ")"
		}
		if !ok {
			fmt.Printf("| %s | — | — | — | — | — | — |\n", name)
			continue
		}
		x := "—"
		if parley != nil {
			if q := r.cpuRatio(parley); q > 0 {
				x = fmt.Sprintf("%.2f×", q)
			}
		}
		fmt.Printf("| %s | %.0f | %.2f | %s | %.2f | %.1f | %.0f |\n", name, rate, res.CPUPerMsg/1e3, x, res.Wall/1e3, res.Allocs, res.Bytes)
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("- %s: %s\n", r.name, r.how)
	}
}
