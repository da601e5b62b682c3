package oob_test

import (
	"context"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/internal/testenv"
	"parley.dev/xmpp/internal/xmpptest"
	"parley.dev/xmpp/stanza"
)

// dialServer logs a fresh pool account in to srv (see xmpptest.Dial).
func dialServer(t *testing.T, srv *testenv.ServerInfo) *xmpp.Session { return xmpptest.Dial(t, srv) }

// TestRealServerOOB: an offer accepted, rejected and not found between
// two clients, and a URL in a message.
func TestRealServerOOB(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.Server(t, name)
			a, b := dialServer(t, srv), dialServer(t, srv)
			offers := make(chan *oob.Offer, 8)
			if _, err := b.Add(oob.New(&oob.Config{OnOffer: answerByURL(offers)})); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for _, tc := range []struct {
				url  string
				want oob.Result
			}{
				{"https://example.org/ok", oob.Accepted},
				{"https://example.org/no", oob.Rejected},
				{"https://example.org/missing", oob.NotFound},
			} {
				d := oob.Data{URL: tc.url, Desc: "test file"}
				got, err := oob.Send(ctx, a, b.JID(), d)
				if err != nil || got != tc.want {
					t.Errorf("%s: %v %v, want %v", tc.url, got, err, tc.want)
				}
				if o := <-offers; o.Data != d || o.From.Bare() != a.JID().Bare() {
					t.Errorf("offer %+v", o)
				}
			}

			msgs := make(chan []oob.Data, 1)
			b.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
				if d := oob.FromMessage(*in.Message); len(d) > 0 {
					msgs <- d
				}
				return nil
			})
			m := stanza.NewMessage(stanza.MessageChat, b.JID())
			m.AddBody("", "https://example.org/pic.png")
			oob.Attach(&m, oob.Data{URL: "https://example.org/pic.png", Desc: "a picture"})
			if err := a.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			select {
			case d := <-msgs:
				if len(d) != 1 || d[0] != (oob.Data{URL: "https://example.org/pic.png", Desc: "a picture"}) {
					t.Errorf("message oob %+v", d)
				}
			case <-ctx.Done():
				t.Fatal("message never arrived")
			}
		})
	}
}
