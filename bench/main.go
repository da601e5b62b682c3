// Command bench measures Parley's stream decoder and stanza encoder side by
// side with mellium.im/xmpp, gosrc.io/xmpp and github.com/xmppo/go-xmpp, in
// one run and on the same input (Parley issue 3 §6), and prints one
// markdown table. It is a separate module so that the peers never become
// dependencies of parley.dev/xmpp. Run it with `make bench` or
// `cd bench && go run .`; see docs/PERFORMANCE.md.
//
// Decode rows read a stream header followed by -n chat messages of about
// 270 bytes and a closing tag; each must hand back -n typed messages with
// the expected type, sender, body and chat state, or its row is marked
// invalid. Encode rows write one chat message. Every row is run -count
// times with testing.Benchmark and the median (by time) is reported.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"testing"
)

func main() {
	testing.Init() // registers test.benchtime, which testing.Benchmark reads
	n := flag.Int("n", 100000, "chat messages in the decoded stream")
	count := flag.Int("count", 3, "repetitions of each measurement; the median is reported")
	benchtime := flag.String("benchtime", "1s", "minimum time of each measurement (testing's -benchtime)")
	only := flag.String("only", "", "measure only the rows whose \"op/name\" matches this regexp")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measurements to this file")
	clock := flag.String("clock", "wall", "clock the ratios and medians use: wall (testing.Benchmark's ns/op) or cpu (process CPU time, steadier on a loaded machine)")
	flag.Parse()

	if *n < 1 || *count < 1 {
		fatalf("-n and -count must be positive")
	}
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		fatalf("-benchtime: %v", err)
	}
	switch *clock {
	case "wall":
	case "cpu":
		useCPU = true
	default:
		fatalf("-clock must be wall or cpu")
	}
	var filter *regexp.Regexp
	if *only != "" {
		var err error
		if filter, err = regexp.Compile(*only); err != nil {
			fatalf("-only: %v", err)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fatalf("%v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatalf("%v", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	in := buildStream(*n)
	rows := allRows()
	fmt.Printf("# Parley side by side (one run)\n\n")
	fmt.Printf("%s, %s/%s, %s, NumCPU %d, GOMAXPROCS %d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("decode input: stream header + %d chat messages (%d bytes, %.0f bytes per message) + close;"+
		" median of %d, benchtime %s; ratios from %s time\n", *n, len(in),
		float64(len(in)-len(streamHeader)-len(streamClose))/float64(*n), *count, *benchtime, *clock)
	fmt.Printf("peers: %s\n\n", peerVersions())

	for i := range rows {
		r := &rows[i]
		r.skipped = filter != nil && !filter.MatchString(r.op+"/"+r.name)
		if !r.skipped {
			r.prepare(in, *n)
		}
	}
	// The repetitions go round the rows, so that a change in the machine's
	// load during the run touches every row alike.
	for rep := range *count {
		for i := range rows {
			r := &rows[i]
			if r.skipped {
				continue
			}
			r.runOnce(in, *n)
			last := r.runs[len(r.runs)-1]
			fmt.Fprintf(os.Stderr, "%d/%d %s/%s: %.1f ns/stanza (CPU %.1f), %.2f allocs/stanza, %.0f B/stanza\n",
				rep+1, *count, r.op, r.name, last.wall, last.cpu, last.allocs, last.bytes)
		}
	}
	for i := range rows {
		rows[i].finish()
	}
	printTable(os.Stdout, rows)
	printTargets(os.Stdout, rows)
}

// allRows lists what is measured, in table order. The first row of each
// operation is Parley's; the row marked anchor is the encoding/xml baseline.
func allRows() []row {
	return []row{
		{op: "decode", name: "Parley", kind: kindParley, dec: decodeParley,
			path: "xmlstream.Decoder fed 4 KiB chunks → stanza.MessageFromElement"},
		{op: "decode", name: "mellium.im/xmpp", kind: kindPeer, dec: decodeMellium,
			path: "Serve path: xml.Decoder, InnerElement, NewTokenDecoder.Decode(struct{stanza.Message; Body})"},
		{op: "decode", name: "gosrc.io/xmpp", kind: kindPeer, dec: decodeGosrc,
			path: "stanza.NextPacket(xml.Decoder) → stanza.Message"},
		{op: "decode", name: "github.com/xmppo/go-xmpp", kind: kindPeer, dec: decodeGoxmpp,
			path: "Recv reproduced: nextStart+CopyToken, DecodeElement, Chat"},
		{op: "decode", name: "encoding/xml", kind: kindAnchor, dec: decodeStdTokens,
			path: "bare Token() loop (anchor)"},
		{op: "decode", name: "bytes.IndexByte", kind: kindLimit, dec: decodeIndexByte,
			path: "scan for '<' (practical limit)"},

		{op: "encode", name: "Parley", kind: kindParley, enc: newParleyEncoder,
			path: "stanza.Message.AppendXML into a reused buffer"},
		{op: "encode", name: "mellium.im/xmpp", kind: kindPeer, enc: newMelliumSendEncoder,
			path: "Session.Send: Message.Wrap token readers → xml.Encoder"},
		{op: "encode", name: "mellium.im/xmpp (Encode)", kind: kindPeer, enc: newMelliumEncodeEncoder,
			path: "Session.Encode(struct): Encode, re-read, copy → xml.Encoder"},
		{op: "encode", name: "gosrc.io/xmpp", kind: kindPeer, enc: newGosrcEncoder,
			path: "Client.Send: xml.Marshal(stanza.Message)"},
		{op: "encode", name: "github.com/xmppo/go-xmpp", kind: kindPeer, enc: newGoxmppEncoder,
			path: "Client.Send reproduced: validUTF8, UUID, xmlEscape, Sprintf"},
		{op: "encode", name: "encoding/xml", kind: kindAnchor, enc: newStdEncoder,
			path: "xml.Encoder.Encode(struct) into a reused buffer (anchor)"},
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(2)
}
