package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpGolden compares --help of parley and of every command with
// testdata/help-*.golden (go test -update rewrites them).
func TestHelpGolden(t *testing.T) {
	cases := [][]string{{"--help"}}
	for g := range groups {
		cases = append(cases, []string{g, "--help"})
	}
	for _, c := range commands {
		cases = append(cases, append(strings.Fields(c.name), "--help"))
	}
	for _, args := range cases {
		name := "help-" + strings.Join(args[:len(args)-1], "-")
		if len(args) == 1 {
			name = "help"
		}
		t.Run(name, func(t *testing.T) {
			r := runParley(t, nil, "", args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("parley %q: exit %d, stderr %q", args, r.code, r.stderr)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if r.stdout != string(want) {
				t.Errorf("parley %q --help differs from %s (go test -update to accept):\n%s", args, path, r.stdout)
			}
		})
	}
}

// TestHelpComplete: every command's help shows an example, and every flag
// the command defines appears in it.
func TestHelpComplete(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			a := &app{getenv: func(string) string { return "" }}
			fs, _ := c.newFlagSet(a)
			var b strings.Builder
			c.writeHelp(&b, fs)
			help := b.String()
			if !strings.Contains(help, "Examples:\n  parley "+strings.Fields(c.name)[0]) {
				t.Errorf("no example in:\n%s", help)
			}
			for _, name := range []string{"debug", "timeout"} {
				if !strings.Contains(help, "  --"+name) {
					t.Errorf("--%s missing", name)
				}
			}
			n := 0
			fs.VisitAll(func(f *flagT) {
				n++
				dash := "--"
				if len(f.Name) == 1 {
					dash = "-"
				}
				if !strings.Contains(help, "  "+dash+f.Name+" ") && !strings.Contains(help, "  "+dash+f.Name+"\n") {
					t.Errorf("--%s missing from the help", f.Name)
				}
			})
			if n < 2 {
				t.Errorf("only %d flags", n)
			}
		})
	}
}

// TestVersion: parley --version names the tool and the Go version.
func TestVersion(t *testing.T) {
	r := runParley(t, nil, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "parley ") || !strings.Contains(r.stdout, " go1.") {
		t.Errorf("--version: exit %d, %q", r.code, r.stdout)
	}
}
