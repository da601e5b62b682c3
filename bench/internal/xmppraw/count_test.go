package xmppraw

import (
	"net"
	"slices"
	"testing"
	"time"
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

// TestCountSMAnswersRequests: every read that completes one or more <r/>
// gets one <a/> with the count read so far, a request split between reads
// included, and a request never counts as a stanza.
func TestCountSMAnswersRequests(t *testing.T) {
	const r = "<r xmlns='urn:xmpp:sm:3'/>"
	a := func(h string) string { return "<a xmlns='urn:xmpp:sm:3' h='" + h + "'/>" }
	type chunk struct{ in, answer string } // answer "": none expected
	for i, tc := range [][]chunk{
		{{"<enabled xmlns='urn:xmpp:sm:3'/></message>" + r, a("1")}, {"</message>", ""}},
		{{"</message>" + r + "</message>" + r + "</message>", a("3")}},
		{{"</message><r xmlns='urn:x", ""}, {"mpp:sm:3'/></mess", a("1")}, {"age>" + r, a("2")}},
		{{"</message></message>", ""}, {r + r, a("2")}},
	} {
		client, server := net.Pipe()
		c := &Conn{Conn: client}
		wrote := make(chan []string)
		go func() {
			var answers []string
			buf := make([]byte, 256)
			for _, ch := range tc {
				server.Write([]byte(ch.in)) // net.Pipe: one Write, one Read
				if ch.answer != "" {
					n, _ := server.Read(buf)
					answers = append(answers, string(buf[:n]))
				}
			}
			wrote <- answers
		}()
		var calls int
		err := c.CountSM([]byte("</message>"), 0, func(int) bool {
			calls++
			return calls < len(tc)
		})
		answers := <-wrote
		server.Close()
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		var want []string
		for _, ch := range tc {
			if ch.answer != "" {
				want = append(want, ch.answer)
			}
		}
		// A missing answer blocks the peer's Read and the test; an
		// unexpected one blocks CountSM's Write: either way it hangs.
		if !slices.Equal(answers, want) {
			t.Errorf("%d: answers %q, want %q", i, answers, want)
		}
	}
}

// TestCountSMDelayedAnswer: with a delay the answer is written once, later,
// with the count at that time: stanzas read after the <r/> are included.
func TestCountSMDelayedAnswer(t *testing.T) {
	const r = "<r xmlns='urn:xmpp:sm:3'/>"
	client, server := net.Pipe()
	defer server.Close()
	c := &Conn{Conn: client}
	go c.CountSM([]byte("</message>"), 300*time.Millisecond, func(int) bool { return true })
	server.Write([]byte("</message>" + r))
	server.Write([]byte("</message>" + r + "</message>")) // net.Pipe: returns once read
	buf := make([]byte, 256)
	n, err := server.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(buf[:n]), "<a xmlns='urn:xmpp:sm:3' h='3'/>"; got != want {
		t.Errorf("answer %q, want %q (one answer, 300 ms after the first request)", got, want)
	}
	// The second request came while the answer was pending: no second one.
	server.SetReadDeadline(time.Now().Add(400 * time.Millisecond))
	if n, err := server.Read(buf); err == nil {
		t.Errorf("a second answer: %q", buf[:n])
	}
}
