package main

import (
	"bytes"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// machine describes the Go version and the machine.
func machine() string {
	return goruntime.Version() + ", " + goruntime.GOOS + "/" + goruntime.GOARCH + ", NumCPU " +
		strconv.Itoa(goruntime.NumCPU()) + "; load average " + loadAvg()
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return "unknown"
	}
	return string(bytes.Join(f[:3], []byte(" ")))
}

// peerVersions lists the peer modules this binary was built with.
func peerVersions() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var out []string
	for _, d := range bi.Deps {
		switch d.Path {
		case "mellium.im/xmpp", "gosrc.io/xmpp":
			out = append(out, d.Path+" "+d.Version)
		}
	}
	return strings.Join(out, ", ")
}
