package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"parley.dev/xmpp/client"
	"parley.dev/xmpp/sasl"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func TestParseTOML(t *testing.T) {
	for i, c := range []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{"", map[string]string{}, ""},
		{"# only a comment\n\n", map[string]string{}, ""},
		{`jid = "a@b"`, map[string]string{"jid": "a@b"}, ""},
		{`jid="a@b" # trailing`, map[string]string{"jid": "a@b"}, ""},
		{`cmd = 'pass show "x"'`, map[string]string{"cmd": `pass show "x"`}, ""},
		{`s = "q\"\\\n\t\u00e9"`, map[string]string{"s": "q\"\\\n\té"}, ""},
		{"direct_tls = true\nn = 1_000", map[string]string{"direct_tls": "true", "n": "1_000"}, ""},
		{"s = \"a # not a comment\"", map[string]string{"s": "a # not a comment"}, ""},
		{"[account]", nil, "line 1: tables"},
		{"jid", nil, "want key = value"},
		{"a.b = \"x\"", nil, "bad key"},
		{"k = \"x\"\nk = \"y\"", nil, "line 2: key \"k\" defined twice"},
		{`k = "unterminated`, nil, "unterminated"},
		{`k = 'unterminated`, nil, "unterminated"},
		{`k = bare`, nil, "want a quoted string"},
		{`k = "x" y`, nil, "unexpected"},
		{`k = """x"""`, nil, "multi-line"},
		{`k = "\q"`, nil, "unknown escape"},
		{`k = "\u12"`, nil, "escape"},
		{"k = ", nil, "missing value"},
	} {
		got, err := parseTOML(strings.NewReader(c.in))
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%d: %q: err %v, want %q", i, c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%d: %q: %v, %v; want %v", i, c.in, got, err, c.want)
		}
	}
}

func FuzzParseTOML(f *testing.F) {
	f.Add("jid = \"a@b\"\npassword_cmd = 'pass x' # c\n")
	f.Add(`s = "\u00e9\n"`)
	f.Fuzz(func(t *testing.T, in string) {
		m, err := parseTOML(strings.NewReader(in))
		if err != nil {
			return
		}
		// Every accepted key is a bare key, and re-encoding each value as a
		// basic string parses back to it.
		for k, v := range m {
			if !bareKey(k) {
				t.Fatalf("key %q accepted", k)
			}
			enc := k + " = " + fmt.Sprintf("%q", v)
			if strings.ContainsAny(v, "\x00\x7f") || !isPrintableGo(v) {
				continue // %q's \x escapes are not TOML
			}
			m2, err := parseTOML(strings.NewReader(enc))
			if err != nil || m2[k] != v {
				t.Fatalf("%q -> %q: %v, %q", v, enc, err, m2[k])
			}
		}
	})
}

// isPrintableGo reports whether %q writes v with escapes TOML shares.
func isPrintableGo(v string) bool {
	q := fmt.Sprintf("%q", v)
	return !strings.Contains(q, `\x`) && !strings.Contains(q, `\U`) && !strings.Contains(q, `\a`) &&
		!strings.Contains(q, `\b`) && !strings.Contains(q, `\f`) && !strings.Contains(q, `\v`)
}

func TestConfigPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for i, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HOME": "/h"}, "/h/.config/parley/parley.toml"},
		{map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "/x/parley/parley.toml"},
		{map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "relative"}, "/h/.config/parley/parley.toml"},
		{map[string]string{"HOME": "/h", "PARLEY_CONFIG": "/p.toml"}, "/p.toml"},
		{map[string]string{}, ""},
	} {
		if got := configPath(env(c.env)); got != c.want {
			t.Errorf("%d: %q, want %q", i, got, c.want)
		}
	}
}

func TestParseArgs(t *testing.T) {
	for i, c := range []struct {
		args     []string
		pos      []string
		name     string
		groups   []string
		wantFail bool
	}{
		{[]string{"a@b", "--name", "N", "--group", "G1", "--group", "G2"}, []string{"a@b"}, "N", []string{"G1", "G2"}, false},
		{[]string{"--name", "N", "x", "y"}, []string{"x", "y"}, "N", nil, false},
		{[]string{"x", "--", "--name", "y"}, []string{"x", "--name", "y"}, "", nil, false},
		{[]string{"x", "--bogus"}, nil, "", nil, true},
		{[]string{"-", "x"}, []string{"-", "x"}, "", nil, false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(discard)
		name := fs.String("name", "", "")
		var groups stringList
		fs.Var(&groups, "group", "")
		pos, err := parseArgs(fs, c.args)
		if (err != nil) != c.wantFail {
			t.Errorf("%d: err %v", i, err)
			continue
		}
		if err == nil && (!slices.Equal(pos, c.pos) || *name != c.name || !slices.Equal(groups, c.groups)) {
			t.Errorf("%d: pos %q name %q groups %q", i, pos, *name, groups)
		}
	}
}

func TestClassify(t *testing.T) {
	for i, c := range []struct {
		err  error
		code int
	}{
		{usagef("bad"), exitUsage},
		{&client.ConnectError{Step: client.StepSASL, Err: &sasl.Failure{Condition: sasl.CondNotAuthorized}}, exitAuth},
		{&client.ConnectError{Step: client.StepDial, Addr: "127.0.0.1:1", Err: errors.New("refused")}, exitConnect},
		{&client.ConnectError{Step: client.StepStream, Err: client.ErrStepTimeout}, exitTimeout},
		{fmt.Errorf("x: %w", stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound}), exitRemote},
		{stanza.StreamError{Condition: stanza.StreamNotAuthorized}, exitAuth},
		{&exitError{code: exitRemote, msg: "rejected"}, exitRemote},
		{errInterrupted, exitSignaled},
		{errors.New("other"), exitFailure},
	} {
		code, msg := classify(c.err)
		if code != c.code || strings.Contains(msg, "\n") || msg == "" {
			t.Errorf("%d: %v: code %d msg %q, want %d", i, c.err, code, msg, c.code)
		}
	}
}

func TestDescribe(t *testing.T) {
	for i, c := range []struct{ xml, want, jsonKind, jsonType string }{
		{`<message from='a@b/r' type='chat'><body>hi
there</body></message>`, "message chat a@b/r: hi\n  there", "message", "chat"},
		{`<message from='a@b/r'><subject>S</subject><body>x</body><x xmlns='jabber:x:oob'><url>http://u</url></x></message>`,
			"message normal a@b/r [S]: x <http://u>", "message", "normal"},
		{`<presence from='a@b/r'><show>away</show><status>lunch</status></presence>`, `presence available a@b/r show=away "lunch"`, "presence", "available"},
		{`<iq from='b' type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, "iq get b: {urn:xmpp:ping}ping", "iq", "get"},
	} {
		e, err := xmlstream.Parse([]byte(c.xml), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := describe(e); got != c.want {
			t.Errorf("%d: describe %q, want %q", i, got, c.want)
		}
		j := toJSON(e)
		if j.Kind != c.jsonKind || j.Type != c.jsonType || j.XML == "" {
			t.Errorf("%d: json %+v", i, j)
		}
		back, err := xmlstream.Parse([]byte(j.XML), "jabber:client", nil)
		if err != nil || !back.Equal(e) {
			t.Errorf("%d: xml field %q does not parse back to the stanza: %v", i, j.XML, err)
		}
	}
}

// TestIsTerminal: a pipe and a regular file are not terminals.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, x := range []any{r, w, f, &strings.Builder{}, nil} {
		if isTerminal(x) {
			t.Errorf("%T is a terminal?", x)
		}
	}
}
