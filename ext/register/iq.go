package register

import (
	"slices"

	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// RequestIQ returns the iq get that asks to for its registration fields
// (XEP-0077 §3.1). A zero to leaves the address out, which before login
// means the server the stream is open to. The id is left empty for the
// sender.
func RequestIQ(to jid.JID) stanza.IQ {
	return stanza.NewIQ(stanza.IQGet, to, xmlstream.New(NS, "query"))
}

// SubmitIQ returns the iq set that registers with to using legacy fields
// (XEP-0077 §3.1): one element per entry of values, the fields of the
// schema first in schema order (§14.1), then any others sorted by name, so
// the bytes do not depend on map order. Use Fields.Fill to build values
// that answer every field the host asked for.
func SubmitIQ(to jid.JID, values map[string]string) stanza.IQ {
	q := xmlstream.New(NS, "query")
	for _, name := range standardFields {
		if v, ok := values[name]; ok {
			q.AddChild(NS, name).AddText(v)
		}
	}
	var others []string
	for name := range values {
		if !Standard(name) {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	for _, name := range others {
		q.AddChild(NS, name).AddText(values[name])
	}
	return stanza.NewIQ(stanza.IQSet, to, q)
}

// SubmitFormIQ returns the iq set that answers a registration data form
// (XEP-0077 §4): f itself when it is already of type submit, otherwise the
// result of f.Submit, whose *form.ValidationError it returns when required
// fields are empty or values invalid. Only the form is sent, never legacy
// fields next to it (§4, rule 5).
func SubmitFormIQ(to jid.JID, f *form.Form) (stanza.IQ, error) {
	sub := f
	if f.Type != form.TypeSubmit {
		var err error
		if sub, err = f.Submit(); err != nil {
			return stanza.IQ{}, err
		}
	}
	q := xmlstream.New(NS, "query").AppendChild(sub.Element())
	return stanza.NewIQ(stanza.IQSet, to, q), nil
}

// ChangePasswordIQ returns the iq set that changes the password of the
// logged-in account on to (XEP-0077 §3.3): <username/> and <password/>.
func ChangePasswordIQ(to jid.JID, username, newPassword string) stanza.IQ {
	q := xmlstream.New(NS, "query")
	q.AddChild(NS, "username").AddText(username)
	q.AddChild(NS, "password").AddText(newPassword)
	return stanza.NewIQ(stanza.IQSet, to, q)
}

// RemoveIQ returns the iq set that cancels the sender's registration with
// to (XEP-0077 §3.2): a <query/> whose only child is <remove/>. To cancel
// the account itself, pass the zero JID: §3.2 says the request to the home
// server SHOULD carry no to address.
func RemoveIQ(to jid.JID) stanza.IQ {
	q := xmlstream.New(NS, "query")
	q.AddChild(NS, "remove")
	return stanza.NewIQ(stanza.IQSet, to, q)
}

// Fill returns the legacy field values to submit in answer to q
// (XEP-0077 §3.1): for every field the host listed, the caller's value from
// values, else the value the host sent (which echoes the obsolete <key/>
// transaction key, §7, and keeps what is on file when already registered).
// Entries of values for fields the host did not ask for are dropped: hosts
// MUST NOT add fields (§4), so there is nothing to send them to.
//
// The requester MUST provide every field (§3.1) and an empty one counts as
// missing (the host answers not-acceptable), so Fill reports the fields left
// empty in a *form.ValidationError's Missing, in the host's order.
func (q *Fields) Fill(values map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(q.Legacy))
	var missing []string
	for _, f := range q.Legacy {
		v, ok := values[f.Name]
		if !ok {
			v = f.Value
		}
		if v == "" {
			missing = append(missing, f.Name)
			continue
		}
		out[f.Name] = v
	}
	if missing != nil {
		return nil, &form.ValidationError{Missing: missing}
	}
	return out, nil
}
