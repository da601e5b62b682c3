package caps_test

import (
	"context"
	"errors"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/caps"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// withCaps adds a Disco and a Caps to s.
func withCaps(t *testing.T, s *xmpp.Session, cfg *caps.Config) (*disco.Disco, *caps.Caps) {
	t.Helper()
	d := disco.New(nil)
	c := caps.New(d, cfg)
	for _, ext := range []xmpp.Extension{d, c} {
		if _, err := s.Add(ext); err != nil {
			t.Fatal(err)
		}
	}
	return d, c
}

// presenceSeen returns a channel that receives every presence s handles,
// after the handlers registered before it (the Caps's) ran.
func presenceSeen(s *xmpp.Session) <-chan stanza.Presence {
	ch := make(chan stanza.Presence, 16)
	s.HandleStanza(stanza.KindPresence, func(ctx context.Context, in *xmpp.Incoming) error {
		ch <- *in.Presence
		return nil
	})
	return ch
}

func TestVerifyPeerClaim(t *testing.T) {
	a, b := newPair(t)
	_, ca := withCaps(t, a, nil)
	_, cb := withCaps(t, b, nil)
	seen := presenceSeen(a)
	ctx := ctxT(t)

	p := stanza.NewPresence(stanza.PresenceAvailable, a.JID())
	if err := cb.Attach(b, &p); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctx, p); err != nil {
		t.Fatal(err)
	}
	<-seen
	own, _ := cb.Claim(b)
	if got, ok := ca.Claimed(b.JID()); !ok || got != own {
		t.Fatalf("claimed %+v %v, want %+v", got, ok, own)
	}

	info, err := ca.Info(ctx, a, b.JID())
	if err != nil {
		t.Fatal(err)
	}
	if !info.HasFeature(caps.NS) || !info.HasFeature(disco.NSInfo) {
		t.Errorf("verified info %+v", info)
	}
	if n := ca.Cache().(*caps.MemoryCache).Len(); n != 1 {
		t.Errorf("cache holds %d entries", n)
	}
	if v, _ := caps.Ver(info, caps.HashSHA1); v != own.Ver {
		t.Errorf("ver of verified info %q, claimed %q", v, own.Ver)
	}

	// The same ver from anyone is now answered from the cache: no query
	// (b no longer answers disco at all).
	b.Close()
	if _, err := ca.Lookup(ctx, a, jid.MustParse("carol@localhost/c"), own); err != nil {
		t.Errorf("cached lookup: %v", err)
	}
}

func TestVerChangesWithExtensions(t *testing.T) {
	_, b := newPair(t)
	_, cb := withCaps(t, b, nil)
	before, _ := cb.Claim(b)
	remove, _ := b.Add(xmpp.ExtensionFunc(func(r *xmpp.Registrar) error {
		r.Feature("urn:example:new")
		return nil
	}))
	after, _ := cb.Claim(b)
	remove()
	again, _ := cb.Claim(b)
	if before.Ver == after.Ver || again.Ver != before.Ver {
		t.Errorf("vers %q %q %q", before.Ver, after.Ver, again.Ver)
	}
}

// A peer whose disco#info does not hash to the ver it claims is not
// trusted: ErrMismatch, nothing cached.
func TestWrongVer(t *testing.T) {
	a, b := newPair(t)
	_, ca := withCaps(t, a, nil)
	seen := presenceSeen(a)
	db := disco.New(nil)
	if _, err := b.Add(db); err != nil {
		t.Fatal(err)
	}
	claimed := &disco.Info{Identities: []xmpp.Identity{{Category: "client", Type: "pc"}}, Features: []string{"urn:xmpp:jingle:1"}}
	ver, _ := caps.Ver(claimed, caps.HashSHA1)
	cl := caps.Claim{Hash: caps.HashSHA1, Node: "https://evil.example", Ver: ver}
	// What it really answers lacks the jingle feature.
	db.SetNode(cl.NodeVer(), disco.Node{Info: func(ctx context.Context, from jid.JID, node string) (*disco.Info, error) {
		return &disco.Info{Identities: claimed.Identities, Features: []string{"urn:xmpp:ping"}}, nil
	}})
	ctx := ctxT(t)
	p := stanza.NewPresence(stanza.PresenceAvailable, a.JID())
	p.AddPayload(cl.Element())
	if err := b.Send(ctx, p); err != nil {
		t.Fatal(err)
	}
	<-seen
	if _, err := ca.Info(ctx, a, b.JID()); !errors.Is(err, caps.ErrMismatch) {
		t.Fatalf("err %v, want ErrMismatch", err)
	}
	if _, ok := ca.Cache().Get(caps.HashSHA1, ver); ok {
		t.Error("an unverified ver was cached")
	}

	// A claim with repeated features breaks §5.4 even if it hashes right.
	dup := &disco.Info{Identities: claimed.Identities, Features: []string{"a", "a"}}
	db.SetNode("https://evil.example#dup", disco.Node{Info: func(ctx context.Context, from jid.JID, node string) (*disco.Info, error) {
		return dup, nil
	}})
	if _, err := ca.Lookup(ctx, a, b.JID(), caps.Claim{Hash: caps.HashSHA1, Node: "https://evil.example", Ver: "dup"}); !errors.Is(err, caps.ErrInvalid) {
		t.Errorf("dup: %v, want ErrInvalid", err)
	}
	// Legacy and unknown hashes.
	if _, err := ca.Lookup(ctx, a, b.JID(), caps.Claim{Node: "n", Ver: "1.0"}); !errors.Is(err, caps.ErrUnverifiable) {
		t.Errorf("legacy: %v", err)
	}
	if _, err := ca.Lookup(ctx, a, b.JID(), caps.Claim{Hash: "whirlpool", Node: "n", Ver: "x"}); !errors.Is(err, caps.ErrUnknownHash) {
		t.Errorf("unknown hash: %v", err)
	}
	// No claim at all.
	if _, err := ca.Info(ctx, a, jid.MustParse("nobody@localhost/x")); !errors.Is(err, caps.ErrNoClaim) {
		t.Errorf("no claim: %v", err)
	}
}

func TestUnavailableForgetsClaim(t *testing.T) {
	a, b := newPair(t)
	_, ca := withCaps(t, a, nil)
	_, cb := withCaps(t, b, nil)
	seen := presenceSeen(a)
	ctx := ctxT(t)
	p := stanza.NewPresence(stanza.PresenceAvailable, a.JID())
	cb.Attach(b, &p)
	b.Send(ctx, p)
	<-seen
	if _, ok := ca.Claimed(b.JID()); !ok {
		t.Fatal("no claim recorded")
	}
	b.Send(ctx, stanza.NewPresence(stanza.PresenceUnavailable, a.JID()))
	<-seen
	if _, ok := ca.Claimed(b.JID()); ok {
		t.Error("claim kept after unavailable presence")
	}
}

func TestRegisterNeedsDisco(t *testing.T) {
	_, b := newPair(t)
	if _, err := b.Add(caps.New(nil, nil)); !errors.Is(err, caps.ErrNoDisco) {
		t.Errorf("err %v", err)
	}
	if _, err := b.Add(caps.New(disco.New(nil), &caps.Config{Hash: "crc32"})); !errors.Is(err, caps.ErrUnknownHash) {
		t.Errorf("err %v", err)
	}
}
