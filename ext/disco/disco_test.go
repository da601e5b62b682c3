package disco_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// echoFeature is a user extension with a feature of its own.
var echoFeature = xmpp.ExtensionFunc(func(r *xmpp.Registrar) error {
	r.Feature("urn:example:echo")
	return nil
})

func TestAnswerRootInfo(t *testing.T) {
	a, b := newPair(t)
	d := disco.New(nil)
	if _, err := b.Add(d); err != nil {
		t.Fatal(err)
	}
	removeEcho, err := b.Add(echoFeature)
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	info, err := disco.GetInfo(ctx, a, b.JID(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{disco.NSInfo, disco.NSItems, "urn:example:echo"}
	if !slices.Equal(info.Features, want) {
		t.Errorf("features %q, want %q", info.Features, want)
	}
	if len(info.Identities) != 1 || info.Identities[0] != disco.DefaultIdentity {
		t.Errorf("identities %v", info.Identities)
	}
	removeEcho()
	info, err = disco.GetInfo(ctx, a, b.JID(), "")
	if err != nil {
		t.Fatal(err)
	}
	if info.HasFeature("urn:example:echo") || !info.HasFeature(disco.NSInfo) {
		t.Errorf("after removing the extension: %q", info.Features)
	}
}

func TestConfiguredIdentityAndForms(t *testing.T) {
	a, b := newPair(t)
	f := &form.Form{Type: form.TypeResult, Fields: []form.Field{{Var: "software", Values: []string{"Parley"}}}}
	f.SetFormType("urn:xmpp:dataforms:softwareinfo")
	id := xmpp.Identity{Category: "client", Type: "pc", Name: "Parley", Lang: "en"}
	if _, err := b.Add(disco.New(&disco.Config{Identity: id, Forms: []*form.Form{f}})); err != nil {
		t.Fatal(err)
	}
	info, err := disco.GetInfo(ctxT(t), a, b.JID(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Identities) != 1 || info.Identities[0] != id {
		t.Errorf("identities %v", info.Identities)
	}
	sw := info.Form("urn:xmpp:dataforms:softwareinfo")
	if sw == nil || sw.Value("software") != "Parley" {
		t.Errorf("forms %+v", info.Forms)
	}
}

func TestNodes(t *testing.T) {
	a, b := newPair(t)
	d := disco.New(nil)
	if _, err := b.Add(d); err != nil {
		t.Fatal(err)
	}
	var asked jid.JID
	remove := d.SetNode("music", disco.Node{
		Info: func(ctx context.Context, from jid.JID, node string) (*disco.Info, error) {
			asked = from
			return &disco.Info{Identities: []xmpp.Identity{{Category: "hierarchy", Type: "leaf"}}, Features: []string{"urn:example:music"}}, nil
		},
		Items: func(ctx context.Context, from jid.JID, node string) ([]disco.Item, error) {
			if !from.Equal(a.JID()) {
				return nil, stanza.Error{Type: stanza.Auth, Condition: stanza.Forbidden}
			}
			return []disco.Item{{JID: b.JID(), Node: "music/1", Name: "One"}}, nil
		},
	})
	d.SetNode("", disco.Node{Items: func(ctx context.Context, from jid.JID, node string) ([]disco.Item, error) {
		return []disco.Item{{JID: b.JID(), Node: "music"}}, nil
	}})
	d.SetNode("broken", disco.Node{Info: func(ctx context.Context, from jid.JID, node string) (*disco.Info, error) {
		return nil, errors.New("disk on fire")
	}})
	ctx := ctxT(t)

	info, err := disco.GetInfo(ctx, a, b.JID(), "music")
	if err != nil {
		t.Fatal(err)
	}
	if info.Node != "music" || !info.HasIdentity("hierarchy", "leaf") || !info.HasFeature("urn:example:music") || !asked.Equal(a.JID()) {
		t.Errorf("node info %+v asked by %v", info, asked)
	}
	items, err := disco.GetItems(ctx, a, b.JID(), "music")
	if err != nil {
		t.Fatal(err)
	}
	if items.Node != "music" || len(items.Items) != 1 || items.Items[0] != (disco.Item{JID: b.JID(), Node: "music/1", Name: "One"}) {
		t.Errorf("node items %+v", items)
	}
	root, err := disco.GetItems(ctx, a, b.JID(), "")
	if err != nil || len(root.Items) != 1 || root.Items[0].Node != "music" {
		t.Errorf("root items %+v %v", root, err)
	}

	for _, tc := range []struct {
		node  string
		items bool
		want  stanza.Condition
	}{
		{"nope", false, stanza.ItemNotFound},
		{"nope", true, stanza.ItemNotFound},
		{"broken", false, stanza.InternalServerError},
		{"broken", true, stanza.ItemNotFound}, // no Items function
	} {
		if tc.items {
			_, err = disco.GetItems(ctx, a, b.JID(), tc.node)
		} else {
			_, err = disco.GetInfo(ctx, a, b.JID(), tc.node)
		}
		if !errors.Is(err, stanza.Error{Condition: tc.want}) {
			t.Errorf("node %q items=%v: err %v, want %s", tc.node, tc.items, err, tc.want)
		}
	}

	remove()
	if _, err := disco.GetInfo(ctx, a, b.JID(), "music"); !errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) {
		t.Errorf("removed node: %v", err)
	}
}

func TestAlias(t *testing.T) {
	a, b := newPair(t)
	d := disco.New(nil)
	if _, err := b.Add(d); err != nil {
		t.Fatal(err)
	}
	remove := d.Alias(func(node string) bool { return node == "urn:example#v1" })
	ctx := ctxT(t)
	info, err := disco.GetInfo(ctx, a, b.JID(), "urn:example#v1")
	if err != nil || info.Node != "urn:example#v1" || !info.HasFeature(disco.NSInfo) {
		t.Fatalf("alias: %+v %v", info, err)
	}
	remove()
	if _, err := disco.GetInfo(ctx, a, b.JID(), "urn:example#v1"); !errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) {
		t.Errorf("removed alias: %v", err)
	}
}

func TestRemovedDiscoIsUnavailable(t *testing.T) {
	a, b := newPair(t)
	remove, err := b.Add(disco.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	remove()
	if len(b.Features()) != 0 || len(b.Identities()) != 0 {
		t.Errorf("left behind: %v %v", b.Features(), b.Identities())
	}
	_, err = disco.GetInfo(ctxT(t), a, b.JID(), "")
	if !errors.Is(err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Errorf("err %v, want service-unavailable", err)
	}
}
