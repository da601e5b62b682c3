package client

import (
	"context"
	"errors"
	"net"
	"reflect"
	"testing"
)

// fakeSRV answers lookups from a table keyed by service name.
func fakeSRV(recs map[string][]*net.SRV, fail map[string]error) srvLookup {
	return func(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
		if name != "example.net" || proto != "tcp" {
			return "", nil, errors.New("unexpected lookup " + service + " " + proto + " " + name)
		}
		if err := fail[service]; err != nil {
			return "", nil, err
		}
		r, ok := recs[service]
		if !ok {
			return "", nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
		}
		return "", r, nil
	}
}

func TestCandidates(t *testing.T) {
	dot := []*net.SRV{{Target: ".", Port: 0}}
	tests := []struct {
		name string
		cfg  Config
		recs map[string][]*net.SRV
		fail map[string]error
		want []candidate
		err  error
	}{
		{"no records: domain on 5222", Config{}, nil, nil,
			[]candidate{{addr: "example.net:5222"}}, nil},
		{"lookup failure: domain on 5222", Config{}, nil, map[string]error{"xmpp-client": errors.New("servfail"), "xmpps-client": errors.New("servfail")},
			[]candidate{{addr: "example.net:5222"}}, nil},
		{"explicit server skips DNS", Config{Server: "10.0.0.1:5999"}, map[string][]*net.SRV{"xmpp-client": {{Target: "x.", Port: 1}}}, nil,
			[]candidate{{addr: "10.0.0.1:5999"}}, nil},
		{"explicit direct TLS", Config{Server: "10.0.0.1:5223", DirectTLS: true}, nil, nil,
			[]candidate{{addr: "10.0.0.1:5223", directTLS: true}}, nil},
		{"priority order across both services", Config{}, map[string][]*net.SRV{
			"xmpp-client":  {{Target: "b.example.net.", Port: 5222, Priority: 20}, {Target: "a.example.net.", Port: 5222, Priority: 10}},
			"xmpps-client": {{Target: "c.example.net.", Port: 5223, Priority: 5}, {Target: "d.example.net.", Port: 443, Priority: 15}},
		}, nil, []candidate{
			{addr: "c.example.net:5223", directTLS: true},
			{addr: "a.example.net:5222"},
			{addr: "d.example.net:443", directTLS: true},
			{addr: "b.example.net:5222"},
		}, nil},
		{"dot: service not available", Config{}, map[string][]*net.SRV{"xmpp-client": dot}, nil, nil, ErrServiceUnavailable},
		{"xmpps dot only: STARTTLS fallback", Config{}, map[string][]*net.SRV{"xmpps-client": dot}, nil,
			[]candidate{{addr: "example.net:5222"}}, nil},
		{"xmpps dot, xmpp records", Config{}, map[string][]*net.SRV{"xmpps-client": dot, "xmpp-client": {{Target: "a.example.net.", Port: 5222}}}, nil,
			[]candidate{{addr: "a.example.net:5222"}}, nil},
		{"direct TLS only uses xmpps", Config{DirectTLS: true}, map[string][]*net.SRV{
			"xmpp-client":  {{Target: "a.example.net.", Port: 5222}},
			"xmpps-client": {{Target: "c.example.net.", Port: 5223}},
		}, nil, []candidate{{addr: "c.example.net:5223", directTLS: true}}, nil},
		{"direct TLS without records", Config{DirectTLS: true}, nil, nil, nil, ErrNoAddress},
		{"direct TLS dot", Config{DirectTLS: true}, map[string][]*net.SRV{"xmpps-client": dot}, nil, nil, ErrServiceUnavailable},
	}
	for i, tt := range tests {
		c, err := NewConnector(testJIDOn("example.net"), &tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		c.lookupSRV = fakeSRV(tt.recs, tt.fail)
		c.rand = func(n int) int { return 0 }
		got, err := c.candidates(context.Background(), "example.net")
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("%d %s: err %v, want %v", i, tt.name, err, tt.err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d %s: got %+v, want %+v", i, tt.name, got, tt.want)
		}
	}
}

// TestRedirectCandidates: a see-other-host target with a port is dialed as
// it is; a bare name is resolved like a domain (SRV, else port 5222); an
// IP address has no SRV records; a malformed target is ErrBadRedirect
// (RFC 6120 §4.9.3.19).
func TestRedirectCandidates(t *testing.T) {
	srv := map[string][]*net.SRV{"xmpp-client": {{Target: "xmpp.example.net.", Port: 5269}}}
	tests := []struct {
		target string
		cfg    Config
		recs   map[string][]*net.SRV
		want   []candidate
		err    error
	}{
		0:  {"other.example.net:5999", Config{Server: "10.0.0.1:5222"}, srv, []candidate{{addr: "other.example.net:5999"}}, nil},
		1:  {"10.9.9.9:5222", Config{}, nil, []candidate{{addr: "10.9.9.9:5222"}}, nil},
		2:  {"[2001:db8::1]:9222", Config{}, nil, []candidate{{addr: "[2001:db8::1]:9222"}}, nil},
		3:  {"10.9.9.9:5223", Config{DirectTLS: true}, nil, []candidate{{addr: "10.9.9.9:5223", directTLS: true}}, nil},
		4:  {"example.net", Config{Server: "10.0.0.1:5222"}, srv, []candidate{{addr: "xmpp.example.net:5269"}}, nil},
		5:  {"example.net", Config{}, nil, []candidate{{addr: "example.net:5222"}}, nil},
		6:  {"example.net", Config{DirectTLS: true}, nil, nil, ErrNoAddress},
		7:  {"127.0.0.1", Config{}, srv, []candidate{{addr: "127.0.0.1:5222"}}, nil},
		8:  {"[2001:db8::1]", Config{}, srv, []candidate{{addr: "[2001:db8::1]:5222"}}, nil},
		9:  {"2001:db8::1", Config{}, srv, []candidate{{addr: "[2001:db8::1]:5222"}}, nil},
		10: {"127.0.0.1", Config{DirectTLS: true}, nil, nil, ErrNoAddress},
		11: {"", Config{}, nil, nil, ErrBadRedirect},
		12: {":5222", Config{}, nil, nil, ErrBadRedirect},
		13: {"example.net:", Config{}, nil, nil, ErrBadRedirect},
		14: {"example.net:0", Config{}, nil, nil, ErrBadRedirect},
		15: {"example.net:65536", Config{}, nil, nil, ErrBadRedirect},
		16: {"example.net:52x", Config{}, nil, nil, ErrBadRedirect},
		17: {"[example.net]:5222", Config{}, nil, nil, ErrBadRedirect},
		18: {"[2001:db8::1", Config{}, nil, nil, ErrBadRedirect},
		19: {"[2001:db8::1]5222", Config{}, nil, nil, ErrBadRedirect},
		20: {"a:b:c", Config{}, nil, nil, ErrBadRedirect},
		21: {"user@example.net", Config{}, nil, nil, ErrBadRedirect},
		22: {"example.net/res:5222", Config{}, nil, nil, ErrBadRedirect},
	}
	for i, tt := range tests {
		c, err := NewConnector(testJIDOn("example.net"), &tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		c.lookupSRV = fakeSRV(tt.recs, nil)
		got, err := c.redirectCandidates(context.Background(), tt.target)
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("%d %q: err %v, want %v", i, tt.target, err, tt.err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d %q: got %+v, want %+v", i, tt.target, got, tt.want)
		}
	}
}

// TestOrderSRVWeights drives the RFC 2782 selection with a scripted random
// source and checks each pick.
func TestOrderSRVWeights(t *testing.T) {
	recs := []srvRecord{
		{SRV: net.SRV{Target: "w0", Priority: 1, Weight: 0}},
		{SRV: net.SRV{Target: "w10", Priority: 1, Weight: 10}},
		{SRV: net.SRV{Target: "w30", Priority: 1, Weight: 30}},
		{SRV: net.SRV{Target: "p0", Priority: 0, Weight: 5}},
	}
	tests := []struct {
		picks []int // successive rnd results within priority 1
		want  []string
	}{
		// Running sums in order w0(0), w10(10), w30(40): 0 selects w0.
		{[]int{0, 0, 0}, []string{"p0", "w0", "w10", "w30"}},
		// 40 selects w30; then sums w0(0), w10(10): 5 selects w10.
		{[]int{40, 5, 0}, []string{"p0", "w30", "w10", "w0"}},
		// 11 selects w30 (sum 40 >= 11); then 1 selects w10.
		{[]int{11, 1, 0}, []string{"p0", "w30", "w10", "w0"}},
		// 10 selects w10 (sum 10 >= 10); then 0 selects w0.
		{[]int{10, 0, 0}, []string{"p0", "w10", "w0", "w30"}},
	}
	for i, tt := range tests {
		picks := append([]int{0}, tt.picks...) // priority 0 group first
		var bounds []int
		rnd := func(n int) int {
			bounds = append(bounds, n)
			v := picks[0]
			picks = picks[1:]
			if v >= n {
				t.Fatalf("%d: pick %d out of [0,%d)", i, v, n)
			}
			return v
		}
		var got []string
		for _, r := range orderSRV(recs, rnd) {
			got = append(got, r.Target)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d: order %v, want %v (rnd bounds %v)", i, got, tt.want, bounds)
		}
	}
}

func TestDialTriesNextCandidate(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// A closed port, then the listener.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().String()
	dead.Close()
	c, _ := NewConnector(testJIDOn("example.net"), nil)
	var tried []string
	conn, cand, err := c.dial(context.Background(), []candidate{{addr: deadAddr}, {addr: ln.Addr().String()}}, func(a string) { tried = append(tried, a) })
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if cand.addr != ln.Addr().String() || len(tried) != 2 {
		t.Errorf("connected to %s after %v", cand.addr, tried)
	}
	_, _, err = c.dial(context.Background(), []candidate{{addr: deadAddr}, {addr: deadAddr}}, nil)
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Step != StepDial || !errors.Is(err, ErrNoAddress) {
		t.Errorf("err %v, want ErrNoAddress at dial", err)
	}
}
