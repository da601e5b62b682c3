package interop

import (
	"strings"
	"testing"
)

// fakePeer is a bash peer for the harness tests: it prints READY, then
// runs script (with the commands on stdin).
func fakePeer(t testing.TB, script string) (*peer, string) {
	return startPeer(t, "fake", nil, "bash", "-c", "printf 'READY\\tme@example.org/r\\n'\n"+script)
}

// runTB runs f with a recorder and returns how it ended ("" = normally).
func runTB(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// TestPeerHarness: the subprocess harness parses escaped fields, takes
// lines out of order, and fails the test on an ERROR line or a peer that
// ends without the awaited line.
func TestPeerHarness(t *testing.T) {
	t.Run("lines", func(t *testing.T) {
		r := runTB(t, func(tb testing.TB) {
			p, me := fakePeer(tb, `
printf 'A\tfirst\n'
printf 'B\tx\\ty\\nz\\\\n\n'
while IFS= read -r line; do
	case $line in
	quit) printf 'BYE\n'; exit 0 ;;
	*) printf 'GOT\t%s\n' "$line" ;;
	esac
done`)
			if me != "me@example.org/r" {
				t.Errorf("READY field %q", me)
			}
			if b := p.expect("B", nil); b[1] != "x\ty\nz\\n" {
				t.Errorf("B field %q", b[1])
			}
			if a := p.expect("A", nil); a[1] != "first" {
				t.Errorf("A field %q", a[1])
			}
			p.send("cmd", "tab\there", "line\nbreak")
			if g := p.expect("GOT", nil); len(g) != 4 || g[1] != "cmd" || g[2] != "tab\there" || g[3] != "line\nbreak" {
				t.Errorf("GOT %q: the command did not round-trip", g)
			}
			p.quit()
		})
		if r.how != "" {
			t.Fatalf("harness ended with %s: %s", r.how, r.msg)
		}
	})
	t.Run("error line", func(t *testing.T) {
		r := runTB(t, func(tb testing.TB) {
			p, _ := fakePeer(tb, `printf 'ERROR\tboom\n'; read -r line`)
			p.expect("NEVER", nil)
		})
		if r.how != "fatal" || !strings.Contains(r.msg, "boom") {
			t.Fatalf("got %s %q, want a fatal naming the peer's error", r.how, r.msg)
		}
	})
	t.Run("early exit", func(t *testing.T) {
		r := runTB(t, func(tb testing.TB) {
			p, _ := fakePeer(tb, `printf 'A\tx\n'; echo oops >&2; exit 3`)
			p.expect("NEVER", nil)
		})
		if r.how != "fatal" || !strings.Contains(r.msg, "ended without a NEVER line") || !strings.Contains(r.msg, "oops") {
			t.Fatalf("got %s %q, want a fatal with the peer's stderr", r.how, r.msg)
		}
	})
}
