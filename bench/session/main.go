// Command session measures XMPP client sessions against the local Prosody
// over STARTTLS, Parley side by side with gosrc.io/xmpp, mellium.im/xmpp,
// github.com/xmppo/go-xmpp and a minimal hand-written client, in one run
// (Parley issue 4 §7), and prints one markdown table:
//
//   - client CPU per message: account A sends -n chat messages to account B,
//     both logged in with the same library in one process; the process's
//     CPU time (getrusage: user + system, all threads) divided by -n;
//   - idle authenticated sessions: -k sessions opened in one process; the
//     growth of HeapInuse + StackInuse and of the goroutine count, per
//     session, after a garbage collection;
//   - connect + STARTTLS + SASL + bind: the median of -m first connects (a
//     new connector each time) and -m reconnects (one connector reused, so
//     Parley's SCRAM salt cache is warm).
//
// Every measurement of a library runs in a subprocess of this binary (the
// -worker flag), so CPU and memory are attributed to that library alone.
// Run it with `cd bench && go run ./session` while the servers are up (make
// servers); see docs/PERFORMANCE.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"parley.dev/xmpp/bench/internal/xmppraw"
)

var (
	worker   = flag.String("worker", "", "internal: run one measurement (cpu, idle, connect) for -lib and print JSON")
	libFlag  = flag.String("lib", "", "internal: the library a worker measures")
	nFlag    = flag.Int("n", 20000, "chat messages per CPU run")
	window   = flag.Int("window", 500, "messages in flight at most (the sender waits for the receiver)")
	warmup   = flag.Int("warmup", 1000, "unmeasured messages before each CPU run")
	count    = flag.Int("count", 3, "CPU runs per library (interleaved across libraries; the median is reported)")
	kFlag    = flag.Int("k", 50, "idle sessions per library")
	settle   = flag.Duration("settle", 2*time.Second, "wait before each idle memory reading")
	mFlag    = flag.Int("m", 7, "first connects and reconnects per round")
	rounds   = flag.Int("rounds", 3, "connect rounds (interleaved across libraries; the median of all is reported)")
	only     = flag.String("only", "", "measure only the libraries whose key matches this regexp (parley, parley-nosm, gosrc, mellium, goxmpp, minimal, minimal-sm)")
	skip     = flag.String("skip", "", "skip these parts: any of cpu,idle,connect")
	cpuProf  = flag.String("cpuprofile", "", "with -worker cpu: write a CPU profile of the measured messages to this file")
	memProf  = flag.String("memprofile", "", "with -worker idle: write a heap profile of the idle sessions to this file; with -worker cpu: an allocation profile")
	mechFlag = flag.String("minimal-mech", "SCRAM-SHA-256", "SASL mechanism of the minimal client (PLAIN, SCRAM-SHA-1, SCRAM-SHA-256)")
)

func main() {
	flag.Parse()
	if *memProf != "" {
		runtime.MemProfileRate = 1 // every allocation: sessions are small
	}
	minimalMech = *mechFlag
	// A per-process tag in the body: messages left over from an earlier,
	// interrupted run (delivered from offline storage) are not counted.
	wantBody += " #" + rand.Text()[:10]
	env, err := xmppraw.LoadEnv()
	if err != nil {
		fatalf("%v", err)
	}
	tlsCfg, err := env.TLSConfig()
	if err != nil {
		fatalf("%v", err)
	}
	p := params{env: env, tls: tlsCfg}
	if *worker != "" {
		l, ok := findLib(*libFlag)
		if !ok {
			fatalf("unknown -lib %q", *libFlag)
		}
		switch *worker {
		case "cpu":
			workCPU(l, p, *nFlag, *window, *warmup)
		case "idle":
			workIdle(l, p, *kFlag, *settle)
		case "connect":
			workConnect(l, p, *mFlag)
		default:
			fatalf("unknown -worker %q", *worker)
		}
		return
	}
	lead(env, tlsCfg)
}

// row is what the lead process gathers for one library.
type row struct {
	lib
	cpu     []cpuResult
	idle    *idleResult
	connect connectResult
	failed  []string
}

func lead(env *xmppraw.Env, tlsCfg *tls.Config) {
	var filter *regexp.Regexp
	if *only != "" {
		filter = regexp.MustCompile(*only)
	}
	var rows []*row
	for _, l := range libs() {
		if filter == nil || filter.MatchString(l.key) {
			rows = append(rows, &row{lib: l})
		}
	}
	// The pool accounts this program uses, held against concurrent tests.
	release, err := env.Lock("user30", "user31", "user32", "user33", "user34", "user35", "user36", "user37", "user38", "user39", "user40")
	if err != nil {
		fatalf("%v", err)
	}
	defer release()
	// Archiving off for the two accounts that exchange messages, restored
	// at the end (see xmppraw.Conn.SetArchiving).
	if err := env.Archiving(context.Background(), tlsCfg, "never", "user30", "user31"); err != nil {
		fatalf("%v", err)
	}
	defer func() {
		if err := env.Archiving(context.Background(), tlsCfg, "always", "user30", "user31"); err != nil {
			progress("restoring archiving: %v", err)
		}
	}()
	skipped := func(part string) bool { return regexp.MustCompile(`\b` + part + `\b`).MatchString(*skip) }
	fmt.Printf("# Parley client sessions side by side (one run, Prosody %s over STARTTLS)\n\n", env.Addr)
	fmt.Printf("%s, %s/%s, NumCPU %d; load average %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadAvg())
	fmt.Printf("CPU: %d messages (+%d warm-up), window %d, median of %d; idle: %d sessions; connect: median of %d×%d\n",
		*nFlag, *warmup, *window, *count, *kFlag, *rounds, *mFlag)
	fmt.Printf("peers: %s\n\n", peerVersions())

	if !skipped("connect") {
		for r := range *rounds {
			for _, row := range rows {
				var res connectResult
				if row.run("connect", &res, "-m", strconv.Itoa(*mFlag)) {
					row.connect.Mech = res.Mech
					row.connect.First = append(row.connect.First, res.First...)
					row.connect.Reconnect = append(row.connect.Reconnect, res.Reconnect...)
					row.connect.FirstCPU = append(row.connect.FirstCPU, res.FirstCPU...)
					row.connect.ReconnectCPU = append(row.connect.ReconnectCPU, res.ReconnectCPU...)
					progress("connect %d/%d %s (%s): first %.1f ms, reconnect %.1f ms", r+1, *rounds, row.key, res.Mech,
						median(res.First)/1e6, median(res.Reconnect)/1e6)
				}
			}
		}
	}
	if !skipped("idle") {
		for _, row := range rows {
			var res idleResult
			if row.run("idle", &res, "-k", strconv.Itoa(*kFlag), "-settle", settle.String()) {
				row.idle = &res
				progress("idle %s: %.1f KiB (live %.1f KiB), %.2f goroutines per session", row.key, res.Bytes/1024, res.Live/1024, res.Goroutines)
			}
		}
	}
	if !skipped("cpu") {
		for r := range *count {
			for _, row := range rows {
				var res cpuResult
				if row.run("cpu", &res, "-n", strconv.Itoa(*nFlag), "-window", strconv.Itoa(*window), "-warmup", strconv.Itoa(*warmup)) {
					if res.Received != res.N {
						row.failed = append(row.failed, fmt.Sprintf("cpu: %d of %d messages arrived", res.Received, res.N))
					}
					res.Rep = r
					row.cpu = append(row.cpu, res)
					progress("cpu %d/%d %s: %.2f µs/msg CPU, %.2f µs/msg wall, %.1f allocs/msg", r+1, *count, row.key,
						res.CPUPerMsg/1e3, res.WallPerMsg/1e3, res.Allocs)
				}
			}
		}
	}
	printTable(rows)
}

// run starts a worker subprocess and decodes its JSON line into v, trying
// up to three times: the servers are shared with tests that restart them.
func (r *row) run(mode string, v any, args ...string) bool {
	var errs []string
	for range 3 {
		err := r.runOnce(mode, v, args...)
		if err == nil {
			return true
		}
		errs = append(errs, err.Error())
		progress("%s %s failed: %v", mode, r.key, err)
		time.Sleep(2 * time.Second)
	}
	r.failed = append(r.failed, fmt.Sprintf("%s: %s", mode, strings.Join(errs, "; ")))
	return false
}

func (r *row) runOnce(mode string, v any, args ...string) error {
	exe, err := os.Executable()
	if err != nil {
		fatalf("%v", err)
	}
	args = append([]string{"-worker", mode, "-lib", r.key, "-minimal-mech", minimalMech}, args...)
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(out))
		var last []byte
		for sc.Scan() {
			if len(sc.Bytes()) > 0 && sc.Bytes()[0] == '{' {
				last = bytes.Clone(sc.Bytes())
			}
		}
		if last == nil {
			err = fmt.Errorf("no result in %q", out)
		} else {
			err = json.Unmarshal(last, v)
		}
	}
	return err
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return "unknown"
	}
	return string(bytes.Join(f[:3], []byte(" ")))
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "session: "+format+"\n", args...)
	os.Exit(2)
}
