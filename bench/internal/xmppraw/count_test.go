package xmppraw

import (
	"net"
	"testing"
)

// TestCountAcrossReads: a pattern split between two reads is counted once,
// and the running totals are handed to more after each read.
func TestCountAcrossReads(t *testing.T) {
	for i, tc := range []struct {
		chunks []string
		want   []int // totals after each chunk
	}{
		{[]string{"<message/></message>", "x</mes", "sage>"}, []int{1, 1, 2}},
		{[]string{"</message></message></mess", "age></message>"}, []int{2, 4}},
		{[]string{"<", "/", "message", ">"}, []int{0, 0, 0, 1}},
		{[]string{"</message", "</message>"}, []int{0, 1}},
		{[]string{"nothing here"}, []int{0}},
	} {
		client, server := net.Pipe()
		c := &Conn{Conn: client}
		go func() {
			for _, ch := range tc.chunks {
				server.Write([]byte(ch)) // net.Pipe: one Write, one Read
			}
		}()
		var got []int
		err := c.Count([]byte("</message>"), func(n int) bool {
			got = append(got, n)
			return len(got) < len(tc.chunks)
		})
		server.Close()
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%d: totals %v, want %v", i, got, tc.want)
		}
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("%d: totals %v, want %v", i, got, tc.want)
				break
			}
		}
	}
}

// TestCountLeftover: bytes the negotiation read past its last element are
// counted first.
func TestCountLeftover(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	c := &Conn{Conn: client, buf: []byte("<message><body/></message><message>")}
	go server.Write([]byte("</message>"))
	var got []int
	c.Count([]byte("</message>"), func(n int) bool { got = append(got, n); return len(got) < 2 })
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("totals %v, want [1 2]", got)
	}
}
