package disco

import (
	"context"

	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// IQSender sends an iq request and waits for its answer; an error answer
// comes back as a stanza.Error. *xmpp.Session implements it.
type IQSender interface {
	SendIQ(ctx context.Context, iq stanza.IQ) (stanza.IQ, error)
}

// InfoIQ returns the disco#info request for node ("" for the root) at to
// (XEP-0030 §3.1). The id is left to the sender.
func InfoIQ(to jid.JID, node string) stanza.IQ {
	q := xmlstream.New(NSInfo, "query")
	if node != "" {
		q.SetAttr("node", node)
	}
	return stanza.NewIQ(stanza.IQGet, to, q)
}

// ItemsIQ returns the disco#items request for node ("" for the root) at to
// (XEP-0030 §4.1). The id is left to the sender.
func ItemsIQ(to jid.JID, node string) stanza.IQ {
	q := xmlstream.New(NSItems, "query")
	if node != "" {
		q.SetAttr("node", node)
	}
	return stanza.NewIQ(stanza.IQGet, to, q)
}

// GetInfo asks to for its identities and features at node ("" for the
// root) (XEP-0030 §3.1). An error answer is returned as a stanza.Error
// (item-not-found for an unknown entity or node, service-unavailable when
// the entity does not do service discovery, §3.3). A result without a
// query element gives an empty Info.
func GetInfo(ctx context.Context, s IQSender, to jid.JID, node string) (*Info, error) {
	reply, err := s.SendIQ(ctx, InfoIQ(to, node))
	if err != nil {
		return nil, err
	}
	p := reply.Payload()
	if p == nil {
		return &Info{Node: node}, nil
	}
	return ParseInfo(p)
}

// GetItems asks to for the items at node ("" for the root) (XEP-0030
// §4.1), with the errors of GetInfo.
func GetItems(ctx context.Context, s IQSender, to jid.JID, node string) (*Items, error) {
	reply, err := s.SendIQ(ctx, ItemsIQ(to, node))
	if err != nil {
		return nil, err
	}
	p := reply.Payload()
	if p == nil {
		return &Items{Node: node}, nil
	}
	return ParseItems(p)
}
