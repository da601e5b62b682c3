package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/client"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// TestMain runs main instead of the tests in the child process that
// TestQuickstart starts, so that main is tested exactly as the README shows
// it (environment, arguments, exit status).
func TestMain(m *testing.M) {
	if os.Getenv("QUICKSTART_MAIN") == "1" {
		os.Args = append(os.Args[:1], os.Getenv("QUICKSTART_TO"))
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestQuickstart runs the program against Prosody and answers it from
// another account.
func TestQuickstart(t *testing.T) {
	srv := testenv.Server(t, "prosody")
	peerAcct, acct := srv.Account(t), srv.Account(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	peer, err := client.Dial(ctx, jid.MustParse(peerAcct.JID), &client.Config{Password: peerAcct.Password, Server: srv.Addr, TLSConfig: srv.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	peer.HandleMessage(stanza.MessageChat, func(ctx context.Context, in *xmpp.Incoming) error {
		if in.Message.Body("") != "Hello from Parley!" {
			return xmpp.Handled // left on the pool account by an earlier test
		}
		r := stanza.NewMessage(stanza.MessageChat, in.Message.From)
		r.AddBody("", "Hello, quickstart.")
		return in.Session.Send(ctx, r)
	})
	// Available, and the presence processed (a round trip after it), so
	// that the server delivers to the bare JID.
	if err := peer.Send(ctx, stanza.NewPresence(stanza.PresenceAvailable, jid.JID{})); err != nil {
		t.Fatal(err)
	}
	if _, err := peer.SendIQ(ctx, stanza.NewIQ(stanza.IQGet, peer.JID().Domain(), xmlstream.New("urn:xmpp:ping", "ping"))); err != nil {
		t.Fatal(err)
	}

	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QUICKSTART_MAIN=1", "QUICKSTART_TO="+peerAcct.JID,
		"XMPP_JID="+acct.JID, "XMPP_PASSWORD="+acct.Password, "XMPP_SERVER="+srv.Addr, "SSL_CERT_FILE="+srv.CAFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("quickstart: %v\n%s", err, out)
	}
	if want := "says: Hello, quickstart.\n"; !strings.HasPrefix(string(out), peer.JID().String()+" ") || !strings.HasSuffix(string(out), want) {
		t.Errorf("output %q, want %q", out, peer.JID().String()+" "+want)
	}
}

// TestReadmeQuotesMain keeps the README's copy of this program in step with
// the program itself.
func TestReadmeQuotesMain(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code := string(src[strings.Index(string(src), "package main"):])
	if !strings.Contains(string(readme), "```go\n"+code+"```\n") {
		t.Error("README.md does not quote examples/quickstart/main.go as it is (from package main on)")
	}
}
