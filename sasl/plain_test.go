package sasl

import (
	"errors"
	"strings"
	"testing"
)

func TestOneShot(t *testing.T) {
	for i, tc := range []struct {
		m       Mechanism
		name    string
		initial string
		err     error
	}{
		0: {Plain(Credentials{Username: "alice", Password: "alicepass"}), "PLAIN", "\x00alice\x00alicepass", nil},
		1: {Plain(Credentials{Username: "alice", Password: "pw", Authzid: "admin@example.org"}), "PLAIN", "admin@example.org\x00alice\x00pw", nil},
		2: {Plain(Credentials{Username: "al\x00ice", Password: "pw"}), "PLAIN", "", ErrCredentials},
		3: {Plain(Credentials{Username: "a", Password: "p\x00w"}), "PLAIN", "", ErrCredentials},
		4: {Anonymous(""), "ANONYMOUS", "", nil},
		5: {Anonymous("sirhc@example.org"), "ANONYMOUS", "sirhc@example.org", nil},
		6: {Anonymous(strings.Repeat("é", 256)), "ANONYMOUS", "", ErrCredentials},
		7: {External(""), "EXTERNAL", "", nil},
		8: {External("juliet@example.com"), "EXTERNAL", "juliet@example.com", nil},
	} {
		if tc.m.Name() != tc.name {
			t.Errorf("%d: Name = %q, want %q", i, tc.m.Name(), tc.name)
		}
		got, err := tc.m.Start()
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%d: Start error %v, want %v", i, err, tc.err)
			}
			continue
		}
		// An empty initial response must be non-nil: it is sent as "=".
		if err != nil || got == nil || string(got) != tc.initial {
			t.Errorf("%d: Start = %q (nil %v), %v; want %q", i, got, got == nil, err, tc.initial)
		}
		if _, err := tc.m.Next([]byte("x")); !errors.Is(err, ErrUnexpectedChallenge) {
			t.Errorf("%d: Next after Start: %v", i, err)
		}
		if err := tc.m.Verify(nil); err != nil {
			t.Errorf("%d: Verify: %v", i, err)
		}
	}

	// A server that asks for the initial response with an empty challenge
	// (the client sent none) gets it once.
	m := Plain(Credentials{Username: "u", Password: "p"})
	if err := m.Verify(nil); !errors.Is(err, ErrEarlySuccess) {
		t.Fatalf("Verify before anything: %v", err)
	}
	got, err := m.Next(nil)
	if err != nil || string(got) != "\x00u\x00p" {
		t.Fatalf("Next(empty) = %q, %v", got, err)
	}
	if _, err := m.Next(nil); !errors.Is(err, ErrUnexpectedChallenge) {
		t.Fatalf("second empty challenge: %v", err)
	}
}
