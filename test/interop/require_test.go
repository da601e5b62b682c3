package interop

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB whose Fatalf and Skipf record the message and
// end the goroutine, as the real ones do.
type recorder struct {
	testing.TB
	how, msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.how, r.msg = "fatal", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.how, r.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestRequire: a missing peer skips the test with the install command,
// except with CI=true, where it fails it; an installed one does neither.
func TestRequire(t *testing.T) {
	missing := tool{"nothing", "parley-no-such-package", []string{"parley-no-such-binary-" + t.Name()}}
	broken := tool{"broken", "parley-broken", []string{"sh", "-c", "echo no module; exit 1"}}
	present := tool{"sh", "dash", []string{"sh", "-c", "exit 0"}}
	for i, tc := range []struct {
		tl      tool
		ci      string
		wantHow string
	}{
		{missing, "", "skip"},
		{missing, "false", "skip"},
		{missing, "true", "fatal"},
		{broken, "", "skip"},
		{broken, "true", "fatal"},
		{present, "true", ""},
		{present, "", ""},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				require(r, tc.tl)
			}()
			<-done
			if r.how != tc.wantHow {
				t.Fatalf("require(%s) with CI=%q: %s %q, want %q", tc.tl.name, tc.ci, r.how, r.msg, tc.wantHow)
			}
			if r.how != "" && !strings.Contains(r.msg, "apt-get install -y "+tc.tl.pkg) {
				t.Errorf("message %q does not name the install command", r.msg)
			}
		})
	}
}

// TestEscape: the line protocol's field escaping round-trips, and reads
// what the peers write.
func TestEscape(t *testing.T) {
	for i, tc := range []struct{ raw, wire string }{
		{"", ""},
		{"plain", "plain"},
		{"a\tb", `a\tb`},
		{"two\nlines", `two\nlines`},
		{`back\slash`, `back\\slash`},
		{`\n is not a newline`, `\\n is not a newline`},
		{"é <&>", "é <&>"},
	} {
		if got := escape(tc.raw); got != tc.wire {
			t.Errorf("%d: escape(%q) = %q, want %q", i, tc.raw, got, tc.wire)
		}
		if got := unescape(tc.wire); got != tc.raw {
			t.Errorf("%d: unescape(%q) = %q, want %q", i, tc.wire, got, tc.raw)
		}
	}
}
