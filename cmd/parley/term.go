package main

import (
	"io"
	"os"
)

// isTerminal reports whether w is a character device (a terminal), without
// any dependency: os.File.Stat's mode has os.ModeCharDevice for a tty. A
// pipe, a regular file or anything that is not an *os.File is not one.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	if err != nil {
		return false
	}
	return st.Mode()&os.ModeCharDevice != 0
}

// discard is where quiet output goes.
var discard io.Writer = io.Discard
