package jid

import "testing"

var escapeTests = [...]struct {
	unescaped, escaped string
}{
	// XEP-0106 §5.1 examples 1-8 and 12.
	0: {"space cadet", `space\20cadet`},
	1: {`call me "ishmael"`, `call\20me\20\22ishmael\22`},
	2: {"at&t guy", `at\26t\20guy`},
	3: {"d'artagnan", `d\27artagnan`},
	4: {"/.fanboy", `\2f.fanboy`},
	5: {"::foo::", `\3a\3afoo\3a\3a`},
	6: {"<foo>", `\3cfoo\3e`},
	7: {"user@host", `user\40host`},
	8: {`c:\5commas`, `c\3a\5c5commas`},
	// §4.1 rule 7 and §4.2 step 3: a backslash that starts an escape
	// sequence is itself escaped.
	9:  {`\3and\2is\5cool`, `\5c3and\2is\5c5cool`},
	10: {`\5c`, `\5c5c`},
	11: {`\20`, `\5c20`},
	// §4.3: partial and unknown sequences are left alone. (Examples 9-11 of
	// §5.1 escape every backslash, contradicting §4.3; the normative
	// business rules win.)
	12: {`\2plus\2is\4`, `\2plus\2is\4`},
	13: {`foo\bar`, `foo\bar`},
	14: {`foob\41r`, `foob\41r`},
	15: {`c:\net`, `c\3a\net`},
	16: {"", ""},
	17: {"plain", "plain"},
	18: {`\`, `\`},
	19: {`a\`, `a\`},
	20: {`\2`, `\2`},
	// Escape sequences are lower case only (XEP-0106 §3.1).
	21: {`\2F`, `\2F`},
	22: {`\ `, `\\20`},
	23: {"é@ü", `é\40ü`},
}

func TestEscape(t *testing.T) {
	for i, tc := range escapeTests {
		if got := Escape(tc.unescaped); got != tc.escaped {
			t.Errorf("%d: Escape(%q) = %q, want %q", i, tc.unescaped, got, tc.escaped)
		}
		if got := Unescape(tc.escaped); got != tc.unescaped {
			t.Errorf("%d: Unescape(%q) = %q, want %q", i, tc.escaped, got, tc.unescaped)
		}
	}
}

func TestUnescapeOnly(t *testing.T) {
	// Sequences that Escape never produces but Unescape must still handle.
	tests := [...]struct{ in, want string }{
		0: {`\5c\40`, `\@`},
		1: {`\2f\2F`, `/\2F`},
		2: {`a\40`, `a@`},
		3: {`\4`, `\4`},
	}
	for i, tc := range tests {
		if got := Unescape(tc.in); got != tc.want {
			t.Errorf("%d: Unescape(%q) = %q, want %q", i, tc.in, got, tc.want)
		}
	}
}

// TestEscapedIsLocalpart checks that escaping makes the XEP-0106 examples
// valid localparts.
func TestEscapedIsLocalpart(t *testing.T) {
	for i, tc := range escapeTests[:16] {
		if tc.unescaped == "" {
			continue
		}
		j, err := New(Escape(tc.unescaped), "example.com", "")
		if err != nil {
			t.Errorf("%d: New(Escape(%q)): %v", i, tc.unescaped, err)
			continue
		}
		if got := Unescape(j.Localpart()); got != tc.unescaped {
			t.Errorf("%d: Unescape(Localpart) = %q, want %q", i, got, tc.unescaped)
		}
	}
}
