package testenv

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseEnv(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		err  string // substring of the error, "" = no error
	}{
		0:  {in: "", want: map[string]string{}},
		1:  {in: "A=1\nB=two\n", want: map[string]string{"A": "1", "B": "two"}},
		2:  {in: "# comment\n\n  \nA=x # not a comment\n", want: map[string]string{"A": "x # not a comment"}},
		3:  {in: "POOL='user01 user02'\n", want: map[string]string{"POOL": "user01 user02"}},
		4:  {in: `P="a b"` + "\n", want: map[string]string{"P": "a b"}},
		5:  {in: "EMPTY=\nQ=''\n", want: map[string]string{"EMPTY": "", "Q": ""}},
		6:  {in: "export A=1\n", want: map[string]string{"A": "1"}},
		7:  {in: "URL=http://127.0.0.1:15280/a=b\n", want: map[string]string{"URL": "http://127.0.0.1:15280/a=b"}},
		8:  {in: "A=1\nA=2\n", want: map[string]string{"A": "2"}},
		9:  {in: "A=1\r\n", want: map[string]string{"A": "1"}},
		10: {in: "A=1\nnot a pair\n", err: "line 2"},
		11: {in: "=x\n", err: "line 1"},
		12: {in: "1A=x\n", err: "line 1"},
		13: {in: "A-B=x\n", err: "line 1"},
		14: {in: "A='open\n", err: "unterminated quote"},
		15: {in: "A='\n", err: "unterminated quote"},
		16: {in: "A='a'b'\n", err: "stray quote"},
		17: {in: `A="x'` + "\n", err: "unterminated quote"},
	}
	for i, tt := range tests {
		got, err := parseEnv(strings.NewReader(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%d: parseEnv(%q) error = %v, want one containing %q", i, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d: parseEnv(%q): %v", i, tt.in, err)
			continue
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("%d: parseEnv(%q) = %v, want %v", i, tt.in, got, tt.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	tests := []struct{ in, want string }{
		0: {"module parley.dev/xmpp\n\ngo 1.26\n", "parley.dev/xmpp"},
		1: {"// comment\nmodule \"parley.dev/xmpp\"\n", "parley.dev/xmpp"},
		2: {"module parley.dev/xmpp/bench\n", "parley.dev/xmpp/bench"},
		3: {"go 1.26\n", ""},
		4: {"", ""},
	}
	for i, tt := range tests {
		if got := moduleOf([]byte(tt.in)); got != tt.want {
			t.Errorf("%d: moduleOf(%q) = %q, want %q", i, tt.in, got, tt.want)
		}
	}
}

// writeFile creates path (and its directories) with the given content.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindRepoRoot(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), "module parley.dev/xmpp\n\ngo 1.26\n")
	writeFile(t, filepath.Join(root, "bench", "go.mod"), "module parley.dev/xmpp/bench\n")
	writeFile(t, filepath.Join(root, "other", "go.mod"), "module example.com/other\n")
	deep := filepath.Join(root, "bench", "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, filepath.Join(root, "bench"), deep, filepath.Join(root, "other")} {
		got, err := findRepoRoot(dir)
		if err != nil {
			t.Errorf("findRepoRoot(%s): %v", dir, err)
		} else if got != root {
			t.Errorf("findRepoRoot(%s) = %s, want %s", dir, got, root)
		}
	}

	lone := t.TempDir()
	writeFile(t, filepath.Join(lone, "go.mod"), "module example.com/lone\n")
	if got, err := findRepoRoot(lone); err == nil {
		t.Errorf("findRepoRoot outside the repository = %s, want an error", got)
	}
}

func TestReadEnvFileMissing(t *testing.T) {
	_, err := readEnvFile(filepath.Join(t.TempDir(), "env"))
	if !errors.Is(err, errNoEnvFile) {
		t.Errorf("readEnvFile(missing) error = %v, want errNoEnvFile", err)
	}
}

func TestEnvFilePathFromVariable(t *testing.T) {
	want := filepath.Join(t.TempDir(), "my.env")
	t.Setenv(EnvVar, want)
	got, err := envFilePath()
	if err != nil || got != want {
		t.Errorf("envFilePath() = %q, %v; want %q", got, err, want)
	}
}

func TestEnvFilePathDefault(t *testing.T) {
	t.Setenv(EnvVar, "")
	got, err := envFilePath()
	if err != nil {
		t.Fatal(err)
	}
	// The tests run in internal/testenv: the repository root is two levels up.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(filepath.Dir(wd)), ".servers", "env")
	if got != want {
		t.Errorf("envFilePath() = %q, want %q", got, want)
	}
}
