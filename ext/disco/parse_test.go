package disco_test

import (
	"errors"
	"reflect"
	"testing"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/xmlstream"
)

// Answers as servers send them (XEP-0030 §3.1 example 2, Prosody, ejabberd).
const (
	infoXEP = `<query xmlns='http://jabber.org/protocol/disco#info'>
  <identity category='conference' type='text' name='Play-Specific Chatrooms'/>
  <identity category='directory' type='chatroom' name='Play-Specific Chatrooms'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <feature var='jabber:iq:register'/>
</query>`
	infoForm = `<query xmlns='http://jabber.org/protocol/disco#info' node='n'><identity category='server' type='im' xml:lang='en'/><feature var='urn:xmpp:ping'/><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/network/serverinfo</value></field><field var='abuse-addresses'><value>mailto:abuse@localhost</value></field></x></query>`
	infoJunk = `<query xmlns='http://jabber.org/protocol/disco#info'><identity type='pc'/><feature/><feature var='a'/><x xmlns='jabber:x:data'/><other xmlns='urn:x'/></query>`
	itemsXEP = `<query xmlns='http://jabber.org/protocol/disco#items' node='music'><item jid='catalog.shakespeare.lit' node='books' name='Books by and about Shakespeare'/><item jid='catalog.shakespeare.lit'/><item jid='@@bad'/><item name='no jid'/></query>`
)

func parse(t testing.TB, s string) *xmlstream.Element {
	t.Helper()
	e, err := xmlstream.Parse([]byte(s), "jabber:client", nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestParseInfo(t *testing.T) {
	for i, tc := range []struct {
		in         string
		node       string
		identities []xmpp.Identity
		features   []string
		forms      int
	}{
		0: {infoXEP, "", []xmpp.Identity{{Category: "conference", Type: "text", Name: "Play-Specific Chatrooms"}, {Category: "directory", Type: "chatroom", Name: "Play-Specific Chatrooms"}},
			[]string{"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc", "jabber:iq:register"}, 0},
		1: {infoForm, "n", []xmpp.Identity{{Category: "server", Type: "im", Lang: "en"}}, []string{"urn:xmpp:ping"}, 1},
		2: {infoJunk, "", nil, []string{"a"}, 0},
	} {
		info, err := disco.ParseInfo(parse(t, tc.in))
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if info.Node != tc.node || !reflect.DeepEqual(info.Identities, tc.identities) || !reflect.DeepEqual(info.Features, tc.features) || len(info.Forms) != tc.forms {
			t.Errorf("%d: %+v", i, info)
		}
		// Round trip through the encoder.
		again, err := disco.ParseInfo(parse(t, info.Element().String()))
		if err != nil || !reflect.DeepEqual(info, again) {
			t.Errorf("%d: round trip %+v, %v", i, again, err)
		}
	}
	info, _ := disco.ParseInfo(parse(t, infoForm))
	if f := info.Form("http://jabber.org/network/serverinfo"); f == nil || f.Value("abuse-addresses") != "mailto:abuse@localhost" {
		t.Errorf("serverinfo form: %+v", f)
	}
}

func TestParseItems(t *testing.T) {
	items, err := disco.ParseItems(parse(t, itemsXEP))
	if err != nil {
		t.Fatal(err)
	}
	cat := jid.MustParse("catalog.shakespeare.lit")
	want := &disco.Items{Node: "music", Items: []disco.Item{{JID: cat, Node: "books", Name: "Books by and about Shakespeare"}, {JID: cat}}}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("got %+v", items)
	}
	again, err := disco.ParseItems(parse(t, items.Element().String()))
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("round trip %+v %v", again, err)
	}
}

func TestParseWrongElement(t *testing.T) {
	for i, s := range []string{
		`<query xmlns='http://jabber.org/protocol/disco#items'/>`,
		`<q xmlns='http://jabber.org/protocol/disco#info'/>`,
	} {
		if _, err := disco.ParseInfo(parse(t, s)); !errors.Is(err, disco.ErrMalformed) {
			t.Errorf("%d: info err %v", i, err)
		}
	}
	if _, err := disco.ParseItems(parse(t, infoXEP)); !errors.Is(err, disco.ErrMalformed) {
		t.Errorf("items err %v", err)
	}
	if _, err := disco.ParseInfo(nil); !errors.Is(err, disco.ErrMalformed) {
		t.Errorf("nil: %v", err)
	}
}
