package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar is the environment variable that names the env file explicitly. When it is empty the
// file is <repo root>/.servers/env.
const EnvVar = "PARLEY_SERVERS_ENV"

// modulePath identifies the repository root: the directory whose go.mod declares this module.
const modulePath = "parley.dev/xmpp"

// errNoEnvFile reports that the servers' env file does not exist (the servers are not up).
var errNoEnvFile = errors.New("no test servers env file")

// parseEnv reads KEY=VALUE lines as written by test/servers/up.sh. Blank lines and lines
// starting with '#' are ignored; an optional "export " prefix is accepted; a value may be
// wrapped in single or double quotes (no escapes inside). Later keys override earlier ones.
func parseEnv(r io.Reader) (map[string]string, error) {
	env := make(map[string]string)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !validKey(key) {
			return nil, fmt.Errorf("line %d: want KEY=VALUE, got %q", n, line)
		}
		if len(value) > 0 && (value[0] == '\'' || value[0] == '"') {
			q := value[0]
			if len(value) < 2 || value[len(value)-1] != q {
				return nil, fmt.Errorf("line %d: unterminated quote in the value of %s", n, key)
			}
			value = value[1 : len(value)-1]
			if strings.IndexByte(value, q) >= 0 {
				return nil, fmt.Errorf("line %d: stray quote inside the value of %s", n, key)
			}
		}
		env[key] = value
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return env, nil
}

// validKey reports whether k is a shell variable name.
func validKey(k string) bool {
	if k == "" || k[0] >= '0' && k[0] <= '9' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c != '_' && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// envFilePath returns the env file to read: $PARLEY_SERVERS_ENV, or .servers/env in the
// repository root found from the working directory.
func envFilePath() (string, error) {
	if p := os.Getenv(EnvVar); p != "" {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := findRepoRoot(wd)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".servers", "env"), nil
}

// findRepoRoot walks up from dir to the first directory holding a go.mod that declares
// module parley.dev/xmpp (nested modules such as bench/ are passed by).
func findRepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && moduleOf(data) == modulePath {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod with module %s above the working directory (set %s)", modulePath, EnvVar)
		}
		dir = parent
	}
}

// moduleOf returns the module path declared in a go.mod file, or "".
func moduleOf(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], "\"`")
		}
	}
	return ""
}

// readEnvFile reads and parses the env file at path; a missing file gives errNoEnvFile.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", errNoEnvFile, path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env, err := parseEnv(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return env, nil
}
