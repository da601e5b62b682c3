package main

import (
	"bufio"
	"bytes"
	"io"
)

// connReader reads in the way the peers read a connection: a net.Conn is
// an io.Reader but not an io.ByteReader, so encoding/xml puts a
// bufio.Reader (4 KiB) in front of it and copies the bytes into that
// buffer before it scans them, as Parley's decoder copies each chunk it
// is fed. A bytes.Reader would be read in place, sparing the peers that
// copy.
type connReader struct{ r *bytes.Reader }

func (c connReader) Read(p []byte) (int, error) { return c.r.Read(p) }

// newConnReader returns in as a connection would deliver it.
func newConnReader(in []byte) io.Reader { return connReader{bytes.NewReader(in)} }

// gosrcPacketSize is the size of the bufio.Reader that gosrc.io/xmpp's
// XMPP transport puts between its connection and its xml.Decoder
// (xmpp_transport.go: bufio.NewReaderSize(conn, maxPacketSize)).
const gosrcPacketSize = 32768

// newGosrcReader returns in as gosrc.io/xmpp's transport hands it to its
// decoder.
func newGosrcReader(in []byte) io.Reader {
	return bufio.NewReaderSize(newConnReader(in), gosrcPacketSize)
}
