package soak

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// soakSize is the number of messages: a short run in `make test`, the full
// 10,000 with PARLEY_SOAK=1 (`make soak`).
func soakSize() int {
	if os.Getenv("PARLEY_SOAK") != "" {
		return 10000
	}
	return 2000
}

// sendRate paces the sender so that the random cuts (every 200-500 ms)
// land all through the run, whatever the server's speed: at 400 messages/s
// the short run lasts about 5 s and the full one about 25 s.
const sendRate = 400

// maxInFlight keeps the sender this far ahead of the receiver at most, below
// Prosody's 500-stanza stream management queue (smacks_max_queue_size), so
// the test measures the client and not that server limit.
const maxInFlight = 200

type party struct {
	s      *xmpp.Session
	events sync.Map // Status -> *atomic.Int64

	// out tells which way this party's soak stanzas go: written (alice) or
	// read (bob). The stream management count the record keeps (see
	// wireID.n) follows that direction.
	out bool

	// wire records, in order, the soak ids this party's chunks carried on
	// the wire (alice's writes, bob's reads) and the stream each went out on
	// or came in on (a counter bumped at every new stream). With it a
	// failure shows which hop reordered: alice's client, the server, or
	// bob's client. marks records the stream management elements either way
	// (XEP-0198: <enable/>, <enabled/>, <resume/>, <resumed/>, <failed/>,
	// <a/>) between them, so a lost or doubled stanza can be matched with
	// the acks and resumptions around it. Owned by OnSend/OnReceive and
	// OnEvent, under wmu.
	wmu     sync.Mutex
	wire    []wireID
	marks   []smMark
	carry   [2][]byte // per direction (read, written): the end of the last chunk, where an element may have been cut
	stream  int64
	n       int64 // stanzas counted on the current stream management session, the way the counting side does (XEP-0198 §4)
	counted bool  // n follows a stream management session (false before the first <enable/> or <enabled/>)
}

// wireID is one soak id seen on the wire, the stream it was on, and the
// number of its stanza in the stream management session (the h that
// acknowledges it), 0 if none.
type wireID struct {
	id     int
	stream int64
	n      int64
}

func (w wireID) String() string { return fmt.Sprintf("%d@%d", w.id, w.stream) }

// smMark is a stream management element seen on the wire.
type smMark struct {
	at      int // len(wire) when seen: the mark came just before wire[at]
	stream  int64
	written bool   // written by this party (else read)
	kind    string // element name: enable, enabled, resume, resumed, failed, a
	h       int64  // its h attribute, or -1
	n       int64  // the record's count just before it (see party.n)
	when    time.Time
}

func (m smMark) String() string {
	dir := "<"
	if m.written {
		dir = ">"
	}
	s := "[" + dir + m.kind
	if m.h >= 0 {
		s += fmt.Sprintf(" h=%d", m.h)
	}
	s += fmt.Sprintf(" n=%d", m.n)
	if m.kind != "a" {
		s += " " + m.when.Format("15:04:05.000")
	}
	return s + "]"
}

// soakPrefix starts every soak id, with a tag of its own per test process:
// a message left over from an earlier run (a late delivery, or one kept in
// offline storage and delivered at the next login) is then never counted.
var soakPrefix = fmt.Sprintf("soak%06x-", rand.Uint32()&0xffffff)

// startTags finds the start tags the wire record looks at: a stanza's
// (counted) and stream management elements' (group 1 is the name); soakIDs
// finds the soak ids. Two patterns that each start with a literal are far
// cheaper to run than one that does not.
var (
	startTags = regexp.MustCompile(`<(message|presence|iq|enabled?|resumed?|failed|a)[\s/>]`)
	soakIDs   = regexp.MustCompile(`id='` + soakPrefix + `(\d+)'`)
)

var hAttr = regexp.MustCompile(`\sh=['"](\d+)['"]`)

// maxCarry bounds the text a match spans (the longest is a <resumed/> start
// tag with its previd), so that the carried end of a chunk holds any match
// cut between two chunks.
const maxCarry = 256

// recordRead and recordWritten note what a chunk that crossed the wire
// carried (see party.wire).
func (p *party) recordRead(chunk []byte)    { p.record(chunk, false) }
func (p *party) recordWritten(chunk []byte) { p.record(chunk, true) }

// record notes the soak ids and stream management elements in a chunk.
// Something cut between two chunks of one direction is found in the
// carried end of the first.
func (p *party) record(chunk []byte, written bool) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	dir := 0
	if written {
		dir = 1
	}
	counting := written == p.out
	buf := append(p.carry[dir], chunk...)
	tags, ids := startTags.FindAllSubmatchIndex(buf, -1), soakIDs.FindAllSubmatchIndex(buf, -1)
	end := 0
	for len(tags) > 0 || len(ids) > 0 {
		if len(tags) == 0 || len(ids) > 0 && ids[0][0] < tags[0][0] {
			m := ids[0]
			ids = ids[1:]
			end = m[1]
			id, _ := strconv.Atoi(string(buf[m[2]:m[3]]))
			n := int64(0)
			if p.counted {
				n = p.n
			}
			p.wire = append(p.wire, wireID{id, p.stream, n})
			continue
		}
		m := tags[0]
		tags = tags[1:]
		switch kind := string(buf[m[2]:m[3]]); kind {
		case "message", "presence", "iq":
			end = m[1]
			if counting {
				p.n++
			}
		default:
			gt := bytes.IndexByte(buf[m[0]:], '>')
			if gt < 0 { // cut off: carried to the next chunk
				p.carry[dir] = append(p.carry[dir][:0:0], buf[m[0]:]...)
				return
			}
			end = m[0] + gt + 1
			h := int64(-1)
			if hm := hAttr.FindSubmatch(buf[m[0]:end]); hm != nil {
				h, _ = strconv.ParseInt(string(hm[1]), 10, 64)
			}
			p.marks = append(p.marks, smMark{len(p.wire), p.stream, written, kind, h, p.n, time.Now()})
			// The counting side's count starts at 0 when stream management
			// is enabled and goes on from the h of a resumption (§4, §5).
			switch {
			case written && p.out && kind == "enable", !written && !p.out && kind == "enabled":
				p.n, p.counted = 0, true
			case !written && p.out && kind == "resumed" && h >= 0, written && !p.out && kind == "resume" && h >= 0:
				p.n, p.counted = h, true
			}
			for len(tags) > 0 && tags[0][0] < end { // inside this tag
				tags = tags[1:]
			}
			for len(ids) > 0 && ids[0][0] < end {
				ids = ids[1:]
			}
		}
	}
	p.carry[dir] = append(p.carry[dir][:0:0], buf[max(end, len(buf)-maxCarry):]...)
}

// newStream notes that the next chunks belong to a new stream.
func (p *party) newStream() {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.stream++
	p.carry = [2][]byte{}
}

// wireRecord returns a copy of the wire record.
func (p *party) wireRecord() []wireID {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	return slices.Clone(p.wire)
}

// resentWhy tells, from the sender's record, why id was written more than
// once: each write after the first went out on a resumed stream, after a
// <resumed h/> (XEP-0198 §5) that either did not count the first write
// (the resend was due: if the receiver got both, the server delivered a
// stanza it had not counted) or did (the client resent an acknowledged
// stanza). "" when id was written once.
func (p *party) resentWhy(id int) string {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	var first *wireID
	var out []string
	mi := 0
	var resumed *smMark
	for i := range p.wire {
		for ; mi < len(p.marks) && p.marks[mi].at <= i; mi++ {
			if m := &p.marks[mi]; !m.written && m.kind == "resumed" {
				resumed = m
			}
		}
		w := &p.wire[i]
		if w.id != id {
			continue
		}
		if first == nil {
			first = w
			continue
		}
		switch {
		case resumed == nil || resumed.stream != w.stream:
			out = append(out, fmt.Sprintf("%d written again on stream %d without a resumption", id, w.stream))
		case resumed.h < first.n:
			out = append(out, fmt.Sprintf("%d#%d resent on stream %d after <resumed h='%d'/>, which did not count it: the resend was due, so a server that delivered it twice delivered a stanza it had not counted", id, first.n, w.stream, resumed.h))
		default:
			out = append(out, fmt.Sprintf("%d#%d resent on stream %d after <resumed h='%d'/>, which counted it: the client resent an acknowledged stanza", id, first.n, w.stream, resumed.h))
		}
	}
	return strings.Join(out, "; ")
}

// near returns the wire record, with the stream management marks, around
// the first occurrence of id, or where it would have been: before the
// first greater id.
func (p *party) near(id int) string {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	at := -1
	for i, w := range p.wire {
		if w.id == id {
			at = i
			break
		}
		if w.id > id && at < 0 {
			at = i
		}
	}
	if at < 0 {
		at = len(p.wire)
	}
	lo, hi := max(0, at-12), min(len(p.wire), at+12)
	var b strings.Builder
	mi, _ := slices.BinarySearchFunc(p.marks, lo, func(m smMark, at int) int { return m.at - at })
	for i := lo; i <= hi; i++ {
		for ; mi < len(p.marks) && p.marks[mi].at == i; mi++ {
			fmt.Fprintf(&b, " %v@%d", p.marks[mi], p.marks[mi].stream)
		}
		if i == hi {
			break
		}
		w := p.wire[i]
		fmt.Fprintf(&b, " %d@%d", w.id, w.stream)
		if w.n > 0 {
			fmt.Fprintf(&b, "#%d", w.n)
		}
		if i == at {
			b.WriteString("<<")
		}
	}
	return strings.TrimSpace(b.String())
}

// countMismatches lists the stream management counts on the wire that
// contradict the record's own count: an h the server sends the sender
// (<a/>, <resumed/>, <failed/>) above the stanzas it had written on the
// session or below one it sent before, an h the receiver resumes with that
// is not the stanzas it had read (less one cut off by the drop), or a
// resumption that goes on elsewhere than after that h (resendMismatches).
// Each means that a client and the server count differently, which loses
// or doubles stanzas.
func (p *party) countMismatches() []string {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	var out []string
	last := int64(-1) // the sender's last h from the server on this session
	for _, m := range p.marks {
		if p.out && m.written && m.kind == "enable" {
			last = -1
		}
		if m.h < 0 {
			continue
		}
		switch {
		case p.out && !m.written && m.h > m.n:
			out = append(out, fmt.Sprintf("%v@%d: the server acknowledged %d stanzas of %d written", m, m.stream, m.h, m.n))
		case p.out && !m.written && m.h < last:
			out = append(out, fmt.Sprintf("%v@%d: the server's h went back from %d to %d", m, m.stream, last, m.h))
		case !p.out && m.written && m.kind == "resume" && (m.h > m.n || m.h < m.n-1):
			out = append(out, fmt.Sprintf("%v@%d: resumed with h=%d after reading %d stanza start tags", m, m.stream, m.h, m.n))
		}
		if p.out && !m.written {
			last = max(last, m.h)
		}
	}
	if !p.out {
		out = append(out, p.resendMismatches()...)
	}
	return out
}

// resendMismatches checks, on the receiver's record, that each resumption
// went on where the receiver's h left off (XEP-0198 §5): when the stanza
// numbered h+1 before the drop was a soak message, the first soak message
// read after <resume h/> must be that one, numbered h+1 again. p.wmu is
// held.
func (p *party) resendMismatches() []string {
	var out []string
	byN := map[int64]int{} // the soak ids of the current session by number
	resumeH := int64(-1)   // h of the last <resume/> until a soak id is read
	var resume smMark
	mi := 0
	for i := 0; i <= len(p.wire); i++ {
		for ; mi < len(p.marks) && p.marks[mi].at == i; mi++ {
			switch m := p.marks[mi]; {
			case !m.written && m.kind == "enabled":
				clear(byN)
				resumeH = -1
			case m.written && m.kind == "resume" && m.h >= 0:
				resumeH, resume = m.h, m
			}
		}
		if i == len(p.wire) {
			break
		}
		w := p.wire[i]
		if w.n == 0 {
			continue
		}
		if resumeH >= 0 && w.stream == resume.stream {
			if want, ok := byN[resumeH+1]; ok && (w.n != resumeH+1 || w.id != want) {
				out = append(out, fmt.Sprintf("%v@%d: the first soak message read after it is %d#%d, want %d#%d", resume, resume.stream, w.id, w.n, want, resumeH+1))
			}
			resumeH = -1
		}
		byN[w.n] = w.id
	}
	return out
}

// dump writes the whole record to dir/name (PARLEY_SOAK_DUMP), for a
// failure to be read next to the server's log.
func (p *party) dump(t *testing.T, dir, name string) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	var b strings.Builder
	mi := 0
	for i := 0; i <= len(p.wire); i++ {
		for ; mi < len(p.marks) && p.marks[mi].at == i; mi++ {
			fmt.Fprintf(&b, "%v@%d\n", p.marks[mi], p.marks[mi].stream)
		}
		if i < len(p.wire) {
			w := p.wire[i]
			fmt.Fprintf(&b, "%d@%d#%d\n", w.id, w.stream, w.n)
		}
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Logf("dump: %v", err)
		return
	}
	t.Logf("wire record written to %s", f)
}

func (p *party) count(st xmpp.Status) int64 {
	v, _ := p.events.LoadOrStore(st, new(atomic.Int64))
	return v.(*atomic.Int64).Load()
}

func dial(t *testing.T, srv *testenv.ServerInfo, acct testenv.Account, proxy string, out bool, onReady func(*xmpp.Session)) *party {
	t.Helper()
	p := &party{out: out}
	var sess atomic.Pointer[xmpp.Session]
	cfg := &client.Config{
		Password:    acct.Password,
		Server:      proxy,
		TLSConfig:   srv.TLSConfig(),
		Resource:    "soak",
		StepTimeout: 5 * time.Second,
		Session: &xmpp.Config{
			Reconnect: &xmpp.Backoff{Min: 20 * time.Millisecond, Max: 300 * time.Millisecond},
			SM: &xmpp.StreamManagement{
				AckEvery:   10,
				AckAfter:   100 * time.Millisecond,
				AckTimeout: 3 * time.Second,
				KeepAlive:  5 * time.Second,
			},
			OnSend:    p.recordWritten,
			OnReceive: p.recordRead,
			OnEvent: func(e xmpp.Event) {
				if e.Status == xmpp.StatusConnected {
					p.newStream()
				}
				v, _ := p.events.LoadOrStore(e.Status, new(atomic.Int64))
				v.(*atomic.Int64).Add(1)
				if e.Status == xmpp.StatusResumeFailed {
					t.Logf("%s: resumption failed (%d stanzas handed back): %v", acct.JID, e.Unacked, e.Err)
				}
				if e.Status == xmpp.StatusReady && onReady != nil {
					if s := sess.Load(); s != nil {
						go onReady(s) // a new session (not a resumption)
					}
				}
			},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var s *xmpp.Session
	var err error
	for attempt := 0; attempt < 20; attempt++ { // the proxy may cut the first login too
		s, err = client.Dial(ctx, jid.MustParse(acct.JID), cfg)
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("dial %s: %v", acct.JID, err)
	}
	sess.Store(s)
	p.s = s
	t.Cleanup(func() { s.Close() })
	if onReady != nil {
		onReady(s)
	}
	return p
}

// resend sends again the stanzas of a session that could not be resumed:
// the Session hands them back (StatusResumeFailed) and this application's
// policy is to resend them. Their soak ids go into doubt: a server that
// lost the session (Prosody answers item-not-found, without the h of
// XEP-0198 §5, when its session is gone) may have routed some of them
// already, which no client can know, and the application writes them
// after what the Session queued meanwhile. Only the main test goroutine
// calls resend.
func resend(s *xmpp.Session, doubt map[int]bool) {
	for _, e := range s.Unacknowledged() {
		if id, ok := strings.CutPrefix(e.Get("id"), soakPrefix); ok {
			if i, err := strconv.Atoi(id); err == nil {
				doubt[i] = true
			}
		}
		s.SendElement(context.Background(), e)
	}
}

// serverReorders names the servers seen to deliver one sender's stanzas
// out of order, and what was seen. On these the soak still requires
// exactly-once delivery and that neither client reorders (checkOrder), but
// reports the server's own reordering instead of failing on it.
var serverReorders = map[string]string{
	// Caught under load by the wire records, e.g. alice wrote 355-374 in
	// order on one stream; bob read 357-362, 368, 369, 363-367, 370 on one
	// stream, the inversion 20 to 40 stanzas after bob resumed it (after the
	// resent queue). That fits ejabberd's mod_stream_mgmt: when a session
	// is resumed, the replaced session's process routes again, as it
	// terminates, the stanzas that reached it after the hand-over
	// (route_late_queue_after_resume, bounce_message_queue), behind those
	// routed straight to the new session in the meantime.
	//
	// The sender's side does it too, seen in ejabberd's debug log: the
	// replaced c2s process of alice answers the new one's resume_session
	// call (mod_stream_mgmt:c2s_handle_call, which fixes the h of
	// <resumed/>) and then goes on reading its old connection and routing
	// what it reads, uncounted, while the new process routes what alice
	// resends and writes next: bob read 9462 between 9414 and 9415. Those
	// stanzas are also routed twice, since <resumed/> did not count them
	// and alice resends them (XEP-0198 §5): this test fails on that.
	"ejabberd": "ejabberd 23.01 delivers stanzas out of order just after a resumption",
}

// offline reports how many messages wait in bob's offline storage, where
// the server has an admin API to tell (ejabberd): a message stored there
// while bob's session is being resumed is never delivered to that session
// (offline messages go out on initial presence only), so it is missing.
func offline(srv *testenv.ServerInfo, acct testenv.Account) string {
	if srv.API == "" {
		return ""
	}
	user, host, _ := strings.Cut(acct.JID, "@")
	body := fmt.Sprintf(`{"user":%q,"server":%q}`, user, host)
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Post(srv.API+"/get_offline_count", "application/json", strings.NewReader(body))
	if err != nil {
		return fmt.Sprintf("; bob's offline storage: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return fmt.Sprintf("; bob's offline storage holds %s", bytes.TrimSpace(b))
}

func TestSoakExactlyOnceInOrder(t *testing.T) {
	for _, name := range []string{"prosody", "ejabberd"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			soak(t, name, soakSize())
		})
	}
}

func soak(t *testing.T, name string, n int) {
	srv := testenv.Server(t, name)
	aliceAcct, bobAcct := srv.Account(t), srv.Account(t)
	pa := newCutProxy(t, srv.Addr)
	pb := newCutProxy(t, srv.Addr)

	// handled is the order in which bob's handler saw the soak ids; seen
	// counts each. Owned by bob's handler, under mu.
	var mu sync.Mutex
	var handled []int
	seen := make([]int, n)
	received := make(chan struct{}, n)
	bob := dial(t, srv, bobAcct, pb.Addr(), false, func(s *xmpp.Session) {
		// Available presence, so messages to the bare JID reach this
		// resource; a resumed session has it restored by the server.
		s.Send(context.Background(), stanza.NewPresence(stanza.PresenceAvailable, jid.JID{}))
	})
	bob.s.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		id, ok := strings.CutPrefix(in.Message.ID, soakPrefix)
		if !ok {
			return nil
		}
		i, err := strconv.Atoi(id)
		if err != nil || i < 0 || i >= n {
			return nil
		}
		mu.Lock()
		handled = append(handled, i)
		seen[i]++
		first := seen[i] == 1
		mu.Unlock()
		if first {
			received <- struct{}{}
		}
		return nil
	})
	alice := dial(t, srv, aliceAcct, pa.Addr(), true, nil)
	bobJID := jid.MustParse(bobAcct.JID)

	doubt := map[int]bool{} // ids the application resent after a failed resumption
	done := make(chan struct{})
	defer close(done)
	start := time.Now()
	pa.startCutting(200*time.Millisecond, 500*time.Millisecond, done)
	pb.startCutting(200*time.Millisecond, 500*time.Millisecond, done)

	deadline := time.Now().Add(time.Duration(n)*20*time.Millisecond + 2*time.Minute)
	// detail shows both wire records, with the stream management elements,
	// around id; with PARLEY_SOAK_DUMP=DIR the whole records go to files.
	detail := func(id int) string {
		if dir := os.Getenv("PARLEY_SOAK_DUMP"); dir != "" {
			tag := strings.TrimSuffix(soakPrefix, "-")
			alice.dump(t, dir, fmt.Sprintf("%s-%s-alice.txt", tag, name))
			bob.dump(t, dir, fmt.Sprintf("%s-%s-bob.txt", tag, name))
		}
		why := ""
		if w := alice.resentWhy(id); w != "" {
			why = "\nalice's resends: " + w
		}
		return fmt.Sprintf("%s\ncount mismatches: alice %q, bob %q\nalice's record around %d (id@stream#n: n is the stanza's number in the stream management session, the h that acknowledges it; [>written/<read element h= n=count before it]):\n%s\nbob's record around %d:\n%s",
			why, alice.countMismatches(), bob.countMismatches(), id, alice.near(id), id, bob.near(id))
	}
	missing := func() string {
		mu.Lock()
		defer mu.Unlock()
		for i, c := range seen {
			if c == 0 {
				return fmt.Sprintf("first missing %d; alice's writes (id@stream) around it: %s; bob's reads: %s%s%s",
					i, around(alice.wireRecord(), i), around(bob.wireRecord(), i), offline(srv, bobAcct), detail(i))
			}
		}
		return ""
	}
	got := 0
	for i := 0; i < n; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * time.Second / sendRate)); wait > 0 {
			time.Sleep(wait)
		}
		for i-got >= maxInFlight {
			select {
			case <-received:
				got++
			case <-time.After(100 * time.Millisecond):
				resend(alice.s, doubt)
				if time.Now().After(deadline) {
					t.Fatalf("%s: stalled at %d sent, %d received; %s", name, i, got, missing())
				}
			}
		}
		m := stanza.NewMessage(stanza.MessageChat, bobJID)
		m.ID = fmt.Sprintf("%s%05d", soakPrefix, i)
		m.AddBody("", "message "+strconv.Itoa(i))
		ctx, cancel := context.WithTimeout(context.Background(), time.Until(deadline))
		err := alice.s.Send(ctx, m)
		cancel()
		if err != nil {
			t.Fatalf("%s: send %d: %v", name, i, err)
		}
		resend(alice.s, doubt)
	}
	for got < n {
		select {
		case <-received:
			got++
		case <-time.After(100 * time.Millisecond):
			resend(alice.s, doubt)
			if time.Now().After(deadline) {
				t.Fatalf("%s: only %d of %d arrived; %s", name, got, n, missing())
			}
		}
	}
	elapsed := time.Since(start)
	as, bs := alice.s.SMStats(), bob.s.SMStats()
	t.Logf("%s: %d messages in %v; cuts: alice %d, bob %d; resumptions: alice %d, bob %d; failed resumptions: alice %d, bob %d; reconnect attempts: alice %d, bob %d",
		name, n, elapsed.Round(time.Millisecond), pa.cuts.Load(), pb.cuts.Load(), as.Resumptions, bs.Resumptions, as.Failed, bs.Failed,
		alice.count(xmpp.StatusReconnecting), bob.count(xmpp.StatusReconnecting))
	for _, p := range []*party{alice, bob} {
		for _, m := range p.countMismatches() {
			t.Logf("%s: count mismatch: %s", name, m)
		}
	}
	if pa.cuts.Load() == 0 || pb.cuts.Load() == 0 {
		t.Fatalf("%s: the proxy never cut a connection: the test proved nothing", name)
	}

	mu.Lock()
	r := checkOrder(handled, alice.wireRecord(), bob.wireRecord(), doubt)
	mu.Unlock()
	if len(doubt) > 0 {
		t.Logf("%s: %d messages handed back after failed resumptions were resent by the application; %s", name, len(doubt), r.doubtful)
	}
	if r.fatal != "" {
		t.Fatalf("%s: %s%s", name, r.fatal, detail(r.id))
	}
	if r.unrecorded > 0 {
		t.Logf("%s: %d handled messages were missing from bob's wire record, so their read order was not checked", name, r.unrecorded)
	}
	if r.serverReorder != "" {
		why, known := serverReorders[name]
		if !known {
			t.Fatalf("%s: not in order: %s%s", name, r.serverReorder, detail(r.id))
		}
		t.Logf("%s: %s, which no client can undo: %s; every message still arrived exactly once, and both clients kept the order they saw on their wire",
			name, why, r.serverReorder)
	}
}
