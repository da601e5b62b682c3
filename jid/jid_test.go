package jid

import (
	"errors"
	"strings"
	"testing"
)

var validTests = [...]struct {
	in                      string
	want                    string // canonical form
	local, domain, resource string
}{
	0: {"example.com", "example.com", "", "example.com", ""},
	1: {"alice@example.com", "alice@example.com", "alice", "example.com", ""},
	2: {"alice@example.com/phone", "alice@example.com/phone", "alice", "example.com", "phone"},
	3: {"example.com/res", "example.com/res", "", "example.com", "res"},
	4: {"localhost", "localhost", "", "localhost", ""},
	// Case mapping of the localpart (RFC 7622 §3.3, UsernameCaseMapped).
	5: {"Alice@example.com", "alice@example.com", "alice", "example.com", ""},
	6: {"ÄLICE@example.com", "älice@example.com", "älice", "example.com", ""},
	// Width mapping of the localpart.
	7: {"ａｌｉｃｅ@example.com", "alice@example.com", "alice", "example.com", ""},
	// The resourcepart keeps case and width (OpaqueString).
	8: {"alice@example.com/Phone Ｘ", "alice@example.com/Phone Ｘ", "alice", "example.com", "Phone Ｘ"},
	// Non-ASCII spaces in the resourcepart become U+0020.
	9: {"a@example.com/x\u00a0y\u3000z", "a@example.com/x y z", "a", "example.com", "x y z"},
	// NFC normalization of localpart and resourcepart.
	10: {"e\u0301@example.com/e\u0301", "\u00e9@example.com/\u00e9", "\u00e9", "example.com", "\u00e9"},
	// IDN domains (RFC 7622 §3.2): lower case, U-labels, no trailing dot.
	11: {"ÜBER.example", "über.example", "", "über.example", ""},
	12: {"alice@ÜBER.example/r", "alice@über.example/r", "alice", "über.example", "r"},
	13: {"xn--ber-goa.example", "über.example", "", "über.example", ""},
	14: {"EXAMPLE.COM", "example.com", "", "example.com", ""},
	15: {"example.com.", "example.com", "", "example.com", ""},
	16: {"alice@example.com./r", "alice@example.com/r", "alice", "example.com", "r"},
	17: {"example\u3002com\u3002", "example.com", "", "example.com", ""},
	18: {"ｅｘａｍｐｌｅ.com", "example.com", "", "example.com", ""},
	// IP literals.
	19: {"127.0.0.1", "127.0.0.1", "", "127.0.0.1", ""},
	20: {"alice@192.0.2.1/r", "alice@192.0.2.1/r", "alice", "192.0.2.1", "r"},
	21: {"[::1]", "[::1]", "", "[::1]", ""},
	22: {"alice@[2001:DB8:0:0:0:0:0:1]/r", "alice@[2001:db8::1]/r", "alice", "[2001:db8::1]", "r"},
	23: {"[::ffff:192.0.2.1]", "[::ffff:192.0.2.1]", "", "[::ffff:192.0.2.1]", ""},
	// Split on the first '/', then the first '@' before it (RFC 7622 §3.1).
	24: {"a@b/c@d/e", "a@b/c@d/e", "a", "b", "c@d/e"},
	25: {"b/@", "b/@", "", "b", "@"},
	26: {"b//", "b//", "", "b", "/"},
	// Printable ASCII in the localpart, other than the disallowed characters.
	27: {`x!#$%*+-.=?^_{|}~\@example.com`, `x!#$%*+-.=?^_{|}~\@example.com`, `x!#$%*+-.=?^_{|}~\`, "example.com", ""},
	28: {"jul\\20iet@example.com", "jul\\20iet@example.com", "jul\\20iet", "example.com", ""},
	29: {"a-b.c-d.example", "a-b.c-d.example", "", "a-b.c-d.example", ""},
	30: {"alice@例え.テスト", "alice@例え.テスト", "alice", "例え.テスト", ""},
	31: {"Σ@example.com", "σ@example.com", "σ", "example.com", ""},
}

func TestParseValid(t *testing.T) {
	for i, tc := range validTests {
		j, err := Parse(tc.in)
		if err != nil {
			t.Errorf("%d: Parse(%q): %v", i, tc.in, err)
			continue
		}
		if got := j.String(); got != tc.want {
			t.Errorf("%d: Parse(%q) = %q, want %q", i, tc.in, got, tc.want)
		}
		if got := j.Localpart(); got != tc.local {
			t.Errorf("%d: Localpart = %q, want %q", i, got, tc.local)
		}
		if got := j.Domainpart(); got != tc.domain {
			t.Errorf("%d: Domainpart = %q, want %q", i, got, tc.domain)
		}
		if got := j.Resourcepart(); got != tc.resource {
			t.Errorf("%d: Resourcepart = %q, want %q", i, got, tc.resource)
		}
		n, err := New(tc.local, tc.domain, tc.resource)
		if err != nil || n != j {
			t.Errorf("%d: New(%q, %q, %q) = %q, %v; want %q", i, tc.local, tc.domain, tc.resource, n, err, j)
		}
		again, err := Parse(j.String())
		if err != nil || again != j {
			t.Errorf("%d: Parse(%q) = %#v, %v; want %#v", i, j.String(), again, err, j)
		}
	}
}

var invalidTests = [...]struct {
	in   string
	part string
	err  error
}{
	0:  {"", PartDomain, ErrEmpty},
	1:  {"@example.com", PartLocal, ErrEmpty},
	2:  {"alice@", PartDomain, ErrEmpty},
	3:  {"example.com/", PartResource, ErrEmpty},
	4:  {"alice@example.com/", PartResource, ErrEmpty},
	5:  {"/res", PartDomain, ErrEmpty},
	6:  {"alice@/res", PartDomain, ErrEmpty},
	7:  {".", PartDomain, ErrEmpty},
	8:  {"a@b@example.com", PartDomain, ErrInvalid},
	9:  {`a"b@example.com`, PartLocal, ErrInvalid},
	10: {"a&b@example.com", PartLocal, ErrInvalid},
	11: {"a'b@example.com", PartLocal, ErrInvalid},
	12: {"a:b@example.com", PartLocal, ErrInvalid},
	13: {"a<b@example.com", PartLocal, ErrInvalid},
	14: {"a>b@example.com", PartLocal, ErrInvalid},
	15: {"a b@example.com", PartLocal, ErrInvalid},
	16: {"a\x00b@example.com", PartLocal, ErrInvalid},
	// Full-width '＠' maps to '@', which is disallowed (§3.3.1).
	17: {"a＠b@example.com", PartLocal, ErrInvalid},
	18: {"example.com/a\x07b", PartResource, ErrInvalid},
	19: {"example.com/\u200e", PartResource, ErrInvalid},
	20: {"exa mple.com", PartDomain, ErrInvalid},
	21: {"example..com", PartDomain, ErrInvalid},
	22: {".example.com", PartDomain, ErrInvalid},
	23: {"example.com..", PartDomain, ErrInvalid},
	24: {"-example.com", PartDomain, ErrInvalid},
	25: {"example-.com", PartDomain, ErrInvalid},
	26: {"ab--c.example", PartDomain, ErrInvalid},
	27: {"xn--a.example", PartDomain, ErrInvalid},
	28: {"[::1", PartDomain, ErrInvalid},
	29: {"[127.0.0.1]", PartDomain, ErrInvalid},
	30: {"[fe80::1%eth0]", PartDomain, ErrInvalid},
	31: {"[]", PartDomain, ErrInvalid},
	32: {"1.2.3.04", PartDomain, ErrInvalid},
	33: {"256.1.1.1", PartDomain, ErrInvalid},
	34: {"example.123", PartDomain, ErrInvalid},
	35: {"exam_ple.com", PartDomain, ErrInvalid},
	36: {"a@exa\xffmple.com", PartDomain, ErrInvalid},
	37: {"\xff@example.com", PartLocal, ErrInvalid},
	38: {"example.com/\xff", PartResource, ErrInvalid},
}

func TestParseInvalid(t *testing.T) {
	for i, tc := range invalidTests {
		j, err := Parse(tc.in)
		if err == nil {
			t.Errorf("%d: Parse(%q) = %q, want error", i, tc.in, j)
			continue
		}
		if !j.IsZero() {
			t.Errorf("%d: Parse(%q) returned non-zero JID %q with error", i, tc.in, j)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%d: Parse(%q) error %v, want errors.Is %v", i, tc.in, err, tc.err)
		}
		if !errors.Is(err, &Error{Part: tc.part}) {
			t.Errorf("%d: Parse(%q) error %v, want part %s", i, tc.in, err, tc.part)
		}
		var e *Error
		if !errors.As(err, &e) || e.Reason == "" || !strings.HasPrefix(err.Error(), "jid: ") {
			t.Errorf("%d: Parse(%q) error %#v is not a *Error with a reason", i, tc.in, err)
		}
	}
}

func TestLengthLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	// A 1023-byte domain of 63-byte labels.
	label := long(63)
	dom1023 := strings.Repeat(label+".", 15) + long(1023-16*64+63+1)
	if len(dom1023) != 1023 {
		t.Fatalf("test bug: len(dom1023) = %d", len(dom1023))
	}
	tests := [...]struct {
		in   string
		part string // "" means valid
	}{
		0: {long(1023) + "@example.com", ""},
		1: {long(1024) + "@example.com", PartLocal},
		2: {"example.com/" + long(1023), ""},
		3: {"example.com/" + long(1024), PartResource},
		4: {dom1023, ""},
		5: {"b" + dom1023, PartDomain},
		6: {long(1023) + "@" + dom1023 + "/" + long(1023), ""},
		// Preparation counts: 1023 full-width letters are 3069 bytes of
		// input but 1023 bytes once width-mapped.
		7: {strings.Repeat("ａ", 1023) + "@example.com", ""},
		8: {strings.Repeat("ａ", 1024) + "@example.com", PartLocal},
		// 'é' is two bytes.
		9:  {strings.Repeat("é", 511) + "a@example.com", ""},
		10: {strings.Repeat("é", 512) + "@example.com", PartLocal},
		11: {"example.com/" + strings.Repeat("é", 512), PartResource},
	}
	for i, tc := range tests {
		j, err := Parse(tc.in)
		if tc.part == "" {
			if err != nil {
				t.Errorf("%d: Parse(len %d): %v", i, len(tc.in), err)
			} else if len(j.String()) > 3*MaxPartLen+2 {
				t.Errorf("%d: result too long: %d", i, len(j.String()))
			}
			continue
		}
		if !errors.Is(err, ErrTooLong) || !errors.Is(err, &Error{Part: tc.part}) {
			t.Errorf("%d: Parse(len %d) error = %v, want %s too long", i, len(tc.in), err, tc.part)
		}
	}
}

func TestAccessors(t *testing.T) {
	full := MustParse("alice@example.com/phone")
	bare := full.Bare()
	dom := full.Domain()
	if got := bare.String(); got != "alice@example.com" {
		t.Errorf("Bare = %q", got)
	}
	if got := dom.String(); got != "example.com" {
		t.Errorf("Domain = %q", got)
	}
	if bare != MustParse("alice@example.com") || dom != MustParse("example.com") {
		t.Errorf("Bare/Domain not == to parsed equivalents: %#v %#v", bare, dom)
	}
	if MustParse("example.com/r").Domain() != dom {
		t.Errorf("Domain of a domain JID with resource differs")
	}
	cases := [...]struct {
		j                      JID
		zero, isBare, isDomain bool
	}{
		0: {JID{}, true, false, false},
		1: {full, false, false, false},
		2: {bare, false, true, false},
		3: {dom, false, true, true},
		4: {MustParse("example.com/r"), false, false, false},
	}
	for i, c := range cases {
		if c.j.IsZero() != c.zero || c.j.IsBare() != c.isBare || c.j.IsDomain() != c.isDomain {
			t.Errorf("%d: %q: IsZero=%v IsBare=%v IsDomain=%v, want %v %v %v", i, c.j,
				c.j.IsZero(), c.j.IsBare(), c.j.IsDomain(), c.zero, c.isBare, c.isDomain)
		}
	}
	var z JID
	if z.String() != "" || z.Localpart() != "" || z.Domainpart() != "" || z.Resourcepart() != "" {
		t.Errorf("zero JID has non-empty parts")
	}
	if z.Bare() != z || z.Domain() != z {
		t.Errorf("Bare/Domain of zero JID not zero")
	}
	if !full.Equal(MustParse("ALICE@Example.COM./phone")) || full.Equal(bare) {
		t.Errorf("Equal wrong")
	}
	m := map[JID]int{full: 1, bare: 2}
	if m[MustParse("Alice@EXAMPLE.com/phone")] != 1 || m[MustParse("alice@example.com")] != 2 {
		t.Errorf("map lookup by canonical JID failed")
	}
}

func TestWith(t *testing.T) {
	j := MustParse("alice@example.com/phone")
	tests := [...]struct {
		f    func() (JID, error)
		want string
		err  error
	}{
		0:  {func() (JID, error) { return j.WithResource("Desk Top") }, "alice@example.com/Desk Top", nil},
		1:  {func() (JID, error) { return j.WithResource("") }, "alice@example.com", nil},
		2:  {func() (JID, error) { return j.Bare().WithResource("x\u00a0y") }, "alice@example.com/x y", nil},
		3:  {func() (JID, error) { return j.WithResource("\x00") }, "", ErrInvalid},
		4:  {func() (JID, error) { return j.WithResource(strings.Repeat("r", 1024)) }, "", ErrTooLong},
		5:  {func() (JID, error) { return j.WithLocal("BOB") }, "bob@example.com/phone", nil},
		6:  {func() (JID, error) { return j.WithLocal("") }, "example.com/phone", nil},
		7:  {func() (JID, error) { return j.Domain().WithLocal("Bob") }, "bob@example.com", nil},
		8:  {func() (JID, error) { return j.WithLocal("b@d") }, "", ErrInvalid},
		9:  {func() (JID, error) { return JID{}.WithResource("r") }, "", ErrEmpty},
		10: {func() (JID, error) { return JID{}.WithLocal("l") }, "", ErrEmpty},
	}
	for i, tc := range tests {
		got, err := tc.f()
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%d: err = %v, want %v", i, err, tc.err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%d: got %q, %v; want %q", i, got, err, tc.want)
		}
		if p, err := Parse(tc.want); err != nil || p != got {
			t.Errorf("%d: %#v != Parse(%q) = %#v, %v", i, got, tc.want, p, err)
		}
	}
}

func TestNew(t *testing.T) {
	tests := [...]struct {
		local, domain, resource string
		want                    string
		part                    string
	}{
		0: {"", "example.com", "", "example.com", ""},
		1: {"Alice", "EXAMPLE.com.", "r/s@t", "alice@example.com/r/s@t", ""},
		2: {"", "", "", "", PartDomain},
		3: {"a", "", "r", "", PartDomain},
		4: {"a/b", "example.com", "", "", PartLocal},
		5: {"a@b", "example.com", "", "", PartLocal},
		6: {"a", "b@example.com", "", "", PartDomain},
		7: {"a", "example.com/r", "", "", PartDomain},
		8: {"a", "[::1]", "\u3000r", "a@[::1]/ r", ""},
	}
	for i, tc := range tests {
		j, err := New(tc.local, tc.domain, tc.resource)
		if tc.part != "" {
			if !errors.Is(err, &Error{Part: tc.part}) {
				t.Errorf("%d: New = %q, %v; want %s error", i, j, err, tc.part)
			}
			continue
		}
		if err != nil || j.String() != tc.want {
			t.Errorf("%d: New = %q, %v; want %q", i, j, err, tc.want)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("MustParse(\"@\") did not panic")
		}
	}()
	MustParse("@")
}

func TestText(t *testing.T) {
	j := MustParse("alice@example.com/r")
	b, err := j.MarshalText()
	if err != nil || string(b) != "alice@example.com/r" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
	b, err = j.AppendText([]byte("to="))
	if err != nil || string(b) != "to=alice@example.com/r" {
		t.Errorf("AppendText = %q, %v", b, err)
	}
	var u JID
	if err := u.UnmarshalText([]byte("Alice@Example.com/r")); err != nil || u != j {
		t.Errorf("UnmarshalText = %q, %v", u, err)
	}
	if err := u.UnmarshalText(nil); err != nil || !u.IsZero() {
		t.Errorf("UnmarshalText(nil) = %q, %v", u, err)
	}
	u = j
	if err := u.UnmarshalText([]byte("@x")); !errors.Is(err, ErrEmpty) || u != j {
		t.Errorf("UnmarshalText(@x) = %q, %v; want error and JID unchanged", u, err)
	}
	if b, _ := (JID{}).MarshalText(); len(b) != 0 {
		t.Errorf("zero MarshalText = %q", b)
	}
}

func TestErrorIs(t *testing.T) {
	_, err := Parse("@x")
	if !errors.Is(err, &Error{}) || !errors.Is(err, &Error{Part: PartLocal, Err: ErrEmpty}) {
		t.Errorf("wildcard match failed for %v", err)
	}
	if errors.Is(err, &Error{Part: PartDomain}) || errors.Is(err, ErrTooLong) || errors.Is(err, &Error{Err: ErrInvalid}) {
		t.Errorf("unexpected match for %v", err)
	}
	if got := err.Error(); got != "jid: invalid localpart: empty" {
		t.Errorf("Error() = %q", got)
	}
}

// TestParseNoAlloc checks the fast path's promise: canonical ASCII input is
// parsed without allocating.
func TestParseNoAlloc(t *testing.T) {
	for _, s := range []string{"alice@localhost/res", "example.com", "a-b@c.d.example/Res 1!", "127.0.0.1", "a@[2001:db8::1]/r"} {
		var j JID
		n := testing.AllocsPerRun(100, func() { j, _ = Parse(s) })
		if n != 0 || j.String() != s {
			t.Errorf("Parse(%q): %v allocs, result %q", s, n, j)
		}
	}
	j := MustParse("alice@localhost/res")
	if n := testing.AllocsPerRun(100, func() { _ = j.Bare(); _ = j.Domain() }); n != 0 {
		t.Errorf("Bare/Domain: %v allocs", n)
	}
}
