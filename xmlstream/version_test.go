package xmlstream

import "testing"

func TestParseVersion(t *testing.T) {
	for i, tc := range []struct {
		in           string
		major, minor int
		ok           bool
	}{
		{"1.0", 1, 0, true},
		{"", 0, 9, true},
		{"0.9", 0, 9, true},
		{"01.02", 1, 2, true}, // leading zeros are ignored (RFC 6120 §4.7.5)
		{"1.10", 1, 10, true},
		{"2.0", 2, 0, true},
		{"000.000", 0, 0, true},
		{"1", 0, 0, false},
		{"1.", 0, 0, false},
		{".0", 0, 0, false},
		{"1.0.0", 0, 0, false},
		{"1.0 ", 0, 0, false},
		{"v1.0", 0, 0, false},
		{"-1.0", 0, 0, false},
		{"1.a", 0, 0, false},
		{"1234567890.0", 0, 0, false},
		{"0000000000001.0", 1, 0, true},
	} {
		major, minor, ok := ParseVersion(tc.in)
		if major != tc.major || minor != tc.minor || ok != tc.ok {
			t.Errorf("%d: ParseVersion(%q) = %d, %d, %v; want %d, %d, %v", i, tc.in, major, minor, ok, tc.major, tc.minor, tc.ok)
		}
	}
}
