package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// configKeys are the keys parley.toml may hold, each the name of the
// command-line flag it stands in for (docs/cli.md, "Configuration file").
var configKeys = map[string]bool{
	"jid": true, "password_file": true, "password_cmd": true, "password": true,
	"server": true, "ca": true, "direct_tls": true, "insecure_skip_verify": true,
	"resource": true,
}

// fileConfig is the parsed configuration file: key → value. Booleans are
// kept as "true" or "false".
type fileConfig struct {
	path   string
	values map[string]string
	// private reports that no one but the owner can read the file, which
	// is required before a password is taken from it.
	private bool
}

// configPath returns $XDG_CONFIG_HOME/parley/parley.toml, or
// ~/.config/parley/parley.toml when XDG_CONFIG_HOME is unset or relative
// (XDG Base Directory Specification). PARLEY_CONFIG overrides both.
func configPath(getenv func(string) string) string {
	if p := getenv("PARLEY_CONFIG"); p != "" {
		return p
	}
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "parley", "parley.toml")
}

// loadConfig reads the configuration file at path. A missing file is an
// empty configuration; a malformed one is a usage error naming the line.
func loadConfig(path string) (*fileConfig, error) {
	fc := &fileConfig{path: path, values: map[string]string{}}
	if path == "" {
		return fc, nil
	}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return fc, nil
	}
	if err != nil {
		return nil, usagef("configuration file: %v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		fc.private = st.Mode().Perm()&0o077 == 0
	}
	values, err := parseTOML(f)
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	for k := range values {
		if !configKeys[k] {
			return nil, usagef("%s: unknown key %q (known: jid, password_file, password_cmd, password, server, ca, direct_tls, insecure_skip_verify, resource)", path, k)
		}
	}
	fc.values = values
	return fc, nil
}

// get returns the value of key and whether the file set it.
func (c *fileConfig) get(key string) (string, bool) {
	if c == nil {
		return "", false
	}
	v, ok := c.values[key]
	return v, ok
}

// parseTOML reads the subset of TOML v1.0.0 that a flat configuration
// needs: blank lines, # comments, and top-level key = value pairs whose
// value is a basic string ("..." with \" \\ \n \t \r \uXXXX escapes), a
// literal string ('...'), true, false or a decimal integer. Tables, arrays,
// dotted keys and multi-line strings are refused with the line number.
func parseTOML(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("line %d: invalid UTF-8", n)
		}
		if line[0] == '[' {
			return nil, fmt.Errorf("line %d: tables are not supported: put every key at the top level", n)
		}
		key, rest, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want key = value", n)
		}
		key = strings.TrimSpace(key)
		if !bareKey(key) {
			return nil, fmt.Errorf("line %d: bad key %q (letters, digits, _ and - only)", n, key)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("line %d: key %q defined twice", n, key)
		}
		v, err := tomlValue(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		out[key] = v
	}
	return out, sc.Err()
}

func bareKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// tomlValue parses one value and checks that only a comment follows it.
func tomlValue(s string) (string, error) {
	var v, rest string
	switch {
	case s == "":
		return "", fmt.Errorf("missing value")
	case strings.HasPrefix(s, `"""`) || strings.HasPrefix(s, "'''"):
		return "", fmt.Errorf("multi-line strings are not supported")
	case s[0] == '"':
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			c := s[i]
			if c != '\\' {
				b.WriteByte(c)
				continue
			}
			i++
			if i >= len(s) {
				break
			}
			switch s[i] {
			case '"', '\\':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'u':
				if i+4 >= len(s) {
					return "", fmt.Errorf("short \\u escape")
				}
				r, err := strconv.ParseUint(s[i+1:i+5], 16, 32)
				if err != nil {
					return "", fmt.Errorf("bad \\u escape")
				}
				b.WriteRune(rune(r))
				i += 4
			default:
				return "", fmt.Errorf("unknown escape \\%c", s[i])
			}
		}
		if i >= len(s) {
			return "", fmt.Errorf("unterminated string")
		}
		v, rest = b.String(), s[i+1:]
	case s[0] == '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("unterminated string")
		}
		v, rest = s[1:1+end], s[2+end:]
	default:
		tok, after, _ := strings.Cut(s, "#")
		tok = strings.TrimSpace(tok)
		switch {
		case tok == "true" || tok == "false":
		case isInteger(tok):
		default:
			return "", fmt.Errorf("value %q: want a quoted string, true, false or an integer", tok)
		}
		return tok, checkTrailing("#" + after)
	}
	return v, checkTrailing(rest)
}

func isInteger(s string) bool {
	_, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	return err == nil
}

// checkTrailing accepts nothing or a comment after a value.
func checkTrailing(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest == "" || rest[0] == '#' {
		return nil
	}
	return fmt.Errorf("unexpected %q after the value", rest)
}
