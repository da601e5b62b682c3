package xmpp

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// answering reports whether the Session is writing its closing tag (or
// past it).
func answering(s *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentEnd || s.st == nil
}

// flusherWriting reports whether the flusher took everything that waited
// and is in its write.
func flusherWriting(s *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w != nil && s.w.busy && len(s.wbuf) == 0
}

// When the peer closes the stream while the flusher is in a write, what
// waits behind that write still leaves before our closing tag (RFC 6120
// §4.4, streamEnded): it is neither dropped by the flusher nor counted as
// written by Flush.
func TestPeerCloseDuringWriteKeepsWaitingStanzas(t *testing.T) {
	cfg := noSM()
	s, server, _ := countingSession(t, cfg)
	// m1's write blocks in the pipe (nobody reads); m2 waits behind it.
	if err := s.Send(ctxT(t), chat("m1")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return flusherWriting(s) })
	if err := s.Send(ctxT(t), chat("m2")); err != nil {
		t.Fatal(err)
	}
	flushed := make(chan error, 1)
	go func() { flushed <- s.Flush(ctxT(t)) }()
	// The peer closes its stream; the reader answers with our closing tag,
	// which waits for the flusher's write of m1 to end.
	go server.Write([]byte(`</stream:stream>`))
	waitFor(t, func() bool { return answering(s) })
	time.Sleep(20 * time.Millisecond) // the reader waits in takeWrites
	server.SetReadDeadline(time.Now().Add(10 * time.Second))
	all, _ := io.ReadAll(server)
	got := ids(t, all)
	if len(got) != 2 || got[0] != "m1" || got[1] != "m2" {
		t.Errorf("the peer got %q before our closing tag, want [m1 m2]: %q", got, all)
	}
	if !bytes.HasSuffix(all, []byte("</stream:stream>")) {
		t.Errorf("the stream does not end with the closing tag: %q", all)
	}
	select {
	case err := <-flushed:
		if err != nil && len(got) == 2 {
			t.Errorf("Flush = %v after both stanzas were written", err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("Flush still waits for bytes that were dropped unaccounted (the peer got %q)", got)
	}
}

// Stanzas held for the answer to <enable/> stay in the queue when Close
// wrote our closing tag before that answer came: nothing is written after
// the closing tag, and PurgeQueue returns them.
func TestEnabledAfterCloseWritesNothingAfterClosingTag(t *testing.T) {
	s, p, in, buf, readUntil := smRawSession(t)
	readUntil("<enable ")
	// Held in the queue until the server answers <enable/>.
	if err := s.Send(ctxT(t), chat("held")); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	readUntil("</stream:stream>")
	end := in.Len()
	// The server's answer to <enable/> was on its way: it arrives after
	// our closing tag, before the server's own.
	p.conn.Write([]byte(`<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>`))
	p.conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	for {
		n, err := p.conn.Read(buf)
		in.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if after := in.Bytes()[end:]; len(after) > 0 {
		t.Errorf("written after our closing tag: %q", after)
	}
	p.conn.Write([]byte(`</stream:stream>`))
	<-closed
	if q := s.PurgeQueue(); len(q) != 1 || q[0].Get("id") != "held" {
		t.Errorf("PurgeQueue after Close = %v, want the held stanza", q)
	}
}

// Close's final <a/> counts every stanza handled before the closing tag is
// written, those handled while Close waited for the flusher's write too:
// the server would otherwise treat them as undelivered and send them
// again (smFinalAck).
func TestCloseFinalAckCountsStanzasHandledWhileWaiting(t *testing.T) {
	s, p, in, _, readUntil := smRawSession(t)
	readUntil("<enable ")
	p.send(`<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>`)
	waitFor(t, func() bool { return s.SMStats().Enabled })
	// m1's write blocks (nobody reads): Close waits for it.
	if err := s.Send(ctxT(t), chat("m1")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return flusherWriting(s) })
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	waitFor(t, func() bool { return answering(s) })
	// Meanwhile a stanza arrives and is handled.
	p.send(`<message from='bob@localhost/x' id='in1' type='chat'/>`)
	waitFor(t, func() bool { return s.SMStats().Handled == 1 })
	readUntil("</stream:stream>")
	if want := `<a xmlns='urn:xmpp:sm:3' h='1'/></stream:stream>`; !bytes.HasSuffix(in.Bytes(), []byte(want)) {
		t.Errorf("the stream ends with %q, want %q", in.Bytes()[max(0, in.Len()-60):], want)
	}
	p.send(`</stream:stream>`)
	<-closed
}

// Close's write deadline (CloseTimeout) bounds what the flusher still
// writes ahead of the closing tag: a write the flusher starts after Close
// set it does not get WriteTimeout instead.
func TestCloseBoundsTheFlushersLastWrites(t *testing.T) {
	cfg := noSM()
	cfg.CloseTimeout = 100 * time.Millisecond // WriteTimeout stays 30 s
	s, server, _ := countingSession(t, cfg)
	m1 := chat("m1")
	if err := s.Send(ctxT(t), m1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return flusherWriting(s) })
	if err := s.Send(ctxT(t), chat("m2")); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	waitFor(t, func() bool { return answering(s) })
	// m1's write ends; the flusher goes on with m2, which nobody reads.
	readSome(t, server, len(m1.AppendXML(nil)))
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close still blocked 5 s after it began, with CloseTimeout 100 ms")
	}
}

// smRawSession starts a Session with stream management (CloseTimeout
// 300 ms) over a pipe peer whose bytes the test reads itself: readUntil
// reads into in, with buf, until sub has arrived.
func smRawSession(t *testing.T) (s *Session, p *peer, in *bytes.Buffer, buf []byte, readUntil func(sub string)) {
	t.Helper()
	c := newPipeConnector(t)
	c.features = smFeatures
	c.raw = true
	s, err := NewSession(ctxT(t), c, &Config{SM: quietSM, CloseTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p = c.nextPeer(t)
	p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	in, buf = new(bytes.Buffer), make([]byte, 4096)
	readUntil = func(sub string) {
		t.Helper()
		for !bytes.Contains(in.Bytes(), []byte(sub)) {
			n, err := p.conn.Read(buf)
			in.Write(buf[:n])
			if err != nil {
				t.Fatalf("waiting for %s: %v (got %q)", sub, err, in.Bytes())
			}
		}
	}
	return s, p, in, buf, readUntil
}
