package xmpp

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// TestSentLogMatchesModel adds and drops stanzas at random and checks the
// log against a plain slice of copies after every step, through many
// compactions.
func TestSentLogMatchesModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var l sentLog
	var model [][]byte
	scratch := make([]byte, 0, 512)
	for step := range 20000 {
		if r.IntN(3) > 0 {
			// Reuse one buffer for every add, like the write buffer: the
			// log must copy.
			scratch = fmt.Appendf(scratch[:0], "<message id='%d'>%s</message>", step, bytes.Repeat([]byte{'x'}, r.IntN(300)))
			l.add(scratch)
			model = append(model, bytes.Clone(scratch))
		} else {
			n := r.IntN(len(model) + 1)
			if r.IntN(10) > 0 && n == len(model) {
				n /= 2 // mostly partial acks, so that compaction runs
			}
			l.drop(n)
			model = model[n:]
			if l.start > len(l.buf)-l.start {
				t.Fatalf("step %d: %d acked bytes kept in front of %d live ones: space is not reclaimed", step, l.start, len(l.buf)-l.start)
			}
		}
		if l.len() != len(model) {
			t.Fatalf("step %d: len %d, want %d", step, l.len(), len(model))
		}
		for i := range model {
			if !bytes.Equal(l.item(i), model[i]) {
				t.Fatalf("step %d: item %d = %q, want %q", step, i, l.item(i), model[i])
			}
		}
	}
}

func TestSentLogResetReleasesLargeBuffers(t *testing.T) {
	var l sentLog
	big := bytes.Repeat([]byte{'x'}, 2*keepLogCap)
	l.add(big)
	l.drop(1)
	if l.buf != nil || l.len() != 0 {
		t.Fatalf("after acking a large stanza: cap %d, len %d; want the buffer released", cap(l.buf), l.len())
	}
	l.add([]byte("<message/>"))
	l.drop(1)
	if cap(l.buf) == 0 {
		t.Fatal("a small buffer should be kept for the next stanzas")
	}
}

func TestSentLogTake(t *testing.T) {
	var l sentLog
	l.ns = "jabber:client"
	l.add([]byte("<message id='1'/>"))
	l.add([]byte("<message id='2'/>"))
	l.drop(1)
	old := l.take()
	if l.len() != 0 || old.len() != 1 || string(old.item(0)) != "<message id='2'/>" || old.ns != "jabber:client" {
		t.Fatalf("take: new len %d, old len %d, old item %q, ns %q", l.len(), old.len(), old.item(0), old.ns)
	}
	l.add([]byte("<message id='3'/>")) // must not overwrite what was taken
	if string(old.item(0)) != "<message id='2'/>" {
		t.Fatalf("taken item changed to %q", old.item(0))
	}
}

// TestSentLogElements checks that kept bytes come back as the elements they
// were encoded from, in the content namespace, deeper and larger than the
// decoder's default limits allow for peer input.
func TestSentLogElements(t *testing.T) {
	deep := xmlstream.New("", "message")
	cur := deep
	for range xmlstream.DefaultMaxDepth + 5 {
		c := xmlstream.New("urn:example:deep", "x")
		cur.AppendChild(c)
		cur = c
	}
	cur.AddText(string(bytes.Repeat([]byte{'y'}, xmlstream.DefaultMaxElementBytes+1)))
	plain := xmlstream.New("", "presence").SetAttr("type", "unavailable")
	var l sentLog
	l.ns = "jabber:client"
	for _, e := range []*xmlstream.Element{deep, plain} {
		l.add(xmlstream.AppendElement(nil, e, l.ns))
	}
	els, err := l.elements(l.ns)
	if err != nil || len(els) != 2 {
		t.Fatalf("elements: %d, %v", len(els), err)
	}
	for i, want := range []*xmlstream.Element{deep, plain} {
		w := want.Copy()
		w.Name.Space = l.ns // the stream's namespace, made explicit by the parse
		if !els[i].Equal(w) {
			t.Errorf("element %d differs after the round trip", i)
		}
	}
}
