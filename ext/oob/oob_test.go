package oob_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/oob"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// answerByURL answers offers as the URL's last path element says, from
// another goroutine (the application's download), and records them.
func answerByURL(offers chan<- *oob.Offer) func(o *oob.Offer) {
	return func(o *oob.Offer) {
		offers <- o
		go func() {
			ctx := context.Background()
			switch {
			case strings.HasSuffix(o.Data.URL, "/ok"):
				o.Accept(ctx)
			case strings.HasSuffix(o.Data.URL, "/no"):
				o.Reject(ctx)
			case strings.HasSuffix(o.Data.URL, "/missing"):
				o.NotFound(ctx)
			}
		}()
	}
}

func TestOfferOutcomes(t *testing.T) {
	a, b := newPair(t)
	offers := make(chan *oob.Offer, 8)
	if _, err := b.Add(oob.New(&oob.Config{OnOffer: answerByURL(offers)})); err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	for i, tc := range []struct {
		url  string
		want oob.Result
	}{
		{"https://example.org/ok", oob.Accepted},
		{"https://example.org/no", oob.Rejected},
		{"https://example.org/missing", oob.NotFound},
	} {
		d := oob.Data{URL: tc.url, Desc: "file " + tc.url, SID: "s1"}
		got, err := oob.Send(ctx, a, b.JID(), d)
		if err != nil || got != tc.want {
			t.Errorf("%d: %v %v, want %v", i, got, err, tc.want)
		}
		o := <-offers
		if o.Data != d || !o.From.Equal(a.JID()) || !o.To.Equal(b.JID()) {
			t.Errorf("%d: offer %+v", i, o)
		}
		if err := o.Accept(ctx); !errors.Is(err, oob.ErrAnswered) {
			t.Errorf("%d: second answer: %v", i, err)
		}
	}
	// An offer without a URL is a bad request.
	_, err := a.SendIQ(ctx, stanza.NewIQ(stanza.IQSet, b.JID(), xmlstream.New(oob.NSIQ, "query")))
	if !errors.Is(err, stanza.Error{Condition: stanza.BadRequest}) {
		t.Errorf("no url: %v", err)
	}
	feats := b.Features()
	if len(feats) != 2 || feats[0] != oob.NSIQ || feats[1] != oob.NSX {
		t.Errorf("features %v", feats)
	}
}

func TestNoOfferHandler(t *testing.T) {
	a, b := newPair(t)
	if _, err := b.Add(oob.New(nil)); err != nil {
		t.Fatal(err)
	}
	if f := b.Features(); len(f) != 1 || f[0] != oob.NSX {
		t.Errorf("features %v", f)
	}
	r, err := oob.Send(ctxT(t), a, b.JID(), oob.Data{URL: "https://example.org/ok"})
	if r != 0 || !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Errorf("got %v %v", r, err)
	}
}

func TestMessagePayload(t *testing.T) {
	a, b := newPair(t)
	if _, err := b.Add(oob.New(nil)); err != nil {
		t.Fatal(err)
	}
	type got struct {
		list    []oob.Data
		payload any
	}
	ch := make(chan got, 1)
	b.HandleMessage("", func(ctx context.Context, in *xmpp.Incoming) error {
		p, err := in.Payload(xmlstream.Name{Space: oob.NSX, Local: "x"})
		if err != nil {
			t.Error(err)
		}
		ch <- got{oob.FromMessage(*in.Message), p}
		return nil
	})
	m := stanza.NewMessage(stanza.MessageChat, b.JID())
	m.AddBody("", "https://example.org/a.png")
	oob.Attach(&m, oob.Data{URL: "https://example.org/a.png", Desc: "A"})
	oob.Attach(&m, oob.Data{URL: "https://example.org/b.png"})
	if err := a.Send(ctxT(t), m); err != nil {
		t.Fatal(err)
	}
	g := <-ch
	if len(g.list) != 2 || g.list[0] != (oob.Data{URL: "https://example.org/a.png", Desc: "A"}) || g.list[1].URL != "https://example.org/b.png" {
		t.Errorf("FromMessage %+v", g.list)
	}
	if d, ok := g.payload.(*oob.Data); !ok || d.URL != "https://example.org/a.png" || d.Desc != "A" {
		t.Errorf("Payload %#v", g.payload)
	}
}

func TestParse(t *testing.T) {
	for i, tc := range []struct {
		in   string
		want oob.Data
		ok   bool
	}{
		0: {`<x xmlns='jabber:x:oob'><url>http://www.jabber.org/images/psa-license.jpg</url><desc>A license to Jabber!</desc></x>`,
			oob.Data{URL: "http://www.jabber.org/images/psa-license.jpg", Desc: "A license to Jabber!"}, true},
		1: {`<query xmlns='jabber:iq:oob' sid='a0'><url>http://www.jabber.org/images/psa-license.jpg</url></query>`,
			oob.Data{URL: "http://www.jabber.org/images/psa-license.jpg", SID: "a0"}, true},
		2: {`<iq type='set' id='o1'><query xmlns='jabber:iq:oob'><url>http://e.org/f</url><desc>F</desc></query></iq>`,
			oob.Data{URL: "http://e.org/f", Desc: "F"}, true},
		3: {`<message><body>hi</body><x xmlns='jabber:x:oob' sid='ignored'><url>http://e.org/g</url></x></message>`,
			oob.Data{URL: "http://e.org/g"}, true},
		4: {`<x xmlns='jabber:x:oob'><desc>no url</desc></x>`, oob.Data{}, false},
		5: {`<x xmlns='jabber:x:other'><url>http://e.org/</url></x>`, oob.Data{}, false},
		6: {`<message><body>http://e.org/</body></message>`, oob.Data{}, false},
	} {
		e, err := xmlstream.Parse([]byte(tc.in), "jabber:client", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := oob.Parse(e)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d: %+v %v", i, got, ok)
		}
	}
	if oob.Accepted.String() != "accepted" || oob.NotFound.String() != "not-found" || oob.Result(0).String() != "unknown" {
		t.Error("Result.String")
	}
}
