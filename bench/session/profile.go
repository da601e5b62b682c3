package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile starts a CPU profile into path ("" for none) and returns
// the function that stops it.
func startProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fatalf("%v", err)
	}
	// 1 kHz instead of 100 Hz: a run is about a second of CPU.
	runtime.SetCPUProfileRate(1000)
	if err := pprof.StartCPUProfile(f); err != nil {
		fatalf("%v", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// writeProfile writes the named memory profile ("heap" for the in-use
// space after the last garbage collection, "allocs" for everything
// allocated) to path, if set.
func writeProfile(name, path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		fatalf("%v", err)
	}
	defer f.Close()
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		fatalf("%v", err)
	}
}
