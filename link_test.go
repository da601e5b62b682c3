package xmpp

import (
	"testing"

	"parley.dev/xmpp/xmlstream"
)

// TestStreamFeaturesKeptEncoded: the Session keeps the features in their
// wire form once the stream is attached, and StreamFeatures gives back an
// equal tree, a new copy each time.
func TestStreamFeaturesKeptEncoded(t *testing.T) {
	const features = `<stream:features xmlns:stream='http://etherx.jabber.org/streams'>` +
		`<ver xmlns='urn:xmpp:features:rosterver'/><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='a&amp;b'/>` +
		`<x xmlns='urn:example'>text <y/> more</x></stream:features>`
	c := newPipeConnector(t)
	c.features = features
	s, err := NewSession(ctxT(t), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c.nextPeer(t)
	want, err := xmlstream.Parse([]byte(features), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	kept := s.st.Features
	s.mu.Unlock()
	if kept != nil {
		t.Errorf("Stream.Features still held after attach")
	}
	f1, f2 := s.StreamFeatures(), s.StreamFeatures()
	if !f1.Equal(want) {
		t.Fatalf("StreamFeatures = %s, want %s", xmlstream.AppendElement(nil, f1, ""), features)
	}
	if f1 == f2 || !f1.Equal(f2) {
		t.Errorf("StreamFeatures returned the same tree twice, or different trees")
	}
	if f1.Child("urn:xmpp:features:rosterver", "ver") == nil {
		t.Errorf("no <ver/> in %s", xmlstream.AppendElement(nil, f1, ""))
	}
}
