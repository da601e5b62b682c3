package sasl

import (
	"errors"
	"fmt"
	"testing"
)

func TestFailureIs(t *testing.T) {
	err := fmt.Errorf("login: %w", &Failure{Condition: CondNotAuthorized, Text: "Error authenticating user"})
	for i, tc := range []struct {
		target error
		want   bool
	}{
		0: {&Failure{}, true},
		1: {&Failure{Condition: CondNotAuthorized}, true},
		2: {&Failure{Condition: CondNotAuthorized, Text: "Error authenticating user"}, true},
		3: {&Failure{Condition: CondNotAuthorized, Text: "other"}, false},
		4: {&Failure{Condition: CondAborted}, false},
		5: {&ServerError{}, false},
		6: {ErrNoMechanism, false},
		7: {(*Failure)(nil), false},
	} {
		if got := errors.Is(err, tc.target); got != tc.want {
			t.Errorf("%d: errors.Is(%v, %v) = %v", i, err, tc.target, got)
		}
	}
	var f *Failure
	if !errors.As(err, &f) || f.Condition != CondNotAuthorized {
		t.Fatalf("errors.As: %v", f)
	}
	if s := err.Error(); s != "login: sasl: failure: not-authorized: Error authenticating user" {
		t.Fatalf("Error() = %q", s)
	}
	if s := (&Failure{}).Error(); s != "sasl: failure: (no condition)" {
		t.Fatalf("Error() = %q", s)
	}
	if !(&Failure{Condition: CondTemporaryAuthFailure}).Temporary() || (&Failure{Condition: CondNotAuthorized}).Temporary() {
		t.Fatal("Temporary")
	}

	se := fmt.Errorf("x: %w", &ServerError{Value: ScramErrInvalidProof})
	if !errors.Is(se, &ServerError{}) || !errors.Is(se, &ServerError{Value: ScramErrInvalidProof}) ||
		errors.Is(se, &ServerError{Value: ScramErrUnknownUser}) || errors.Is(se, &Failure{}) {
		t.Fatal("ServerError.Is")
	}
	if s := (&ServerError{Value: "unknown-user"}).Error(); s != "sasl: scram server error: unknown-user" {
		t.Fatalf("Error() = %q", s)
	}
}
