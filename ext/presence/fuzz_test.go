package presence

import (
	"bytes"
	"slices"
	"testing"

	"parley.dev/xmpp/stanza"
	"parley.dev/xmpp/xmlstream"
)

// FuzzDB feeds presence stanzas, separated by NUL bytes, to a DB and to
// Signature. Properties: no panic; every JID's resources are ordered by
// priority, highest first; Query of a bare JID is the first resource's
// presence; only available presence is stored; Resources and Query agree
// for every full JID.
func FuzzDB(f *testing.F) {
	for _, s := range []string{
		"<presence from='a@b/r'><priority>5</priority></presence>\x00<presence from='a@b/s'><priority>7</priority></presence>\x00<presence from='a@b/s' type='unavailable'/>",
		"<presence from='a@b'/>\x00<presence from='a@b/x' type='error'/>\x00<presence from='a@b' type='error'/>",
		"<presence from='c@d/e'><x xmlns='jabber:x:signed'>sig</x><priority>-128</priority></presence>",
		"<presence from='c@d/e' type='subscribe'/>\x00<presence type='unavailable'/>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var db DB
		for part := range bytes.SplitSeq(data, []byte{0}) {
			e, err := xmlstream.Parse(part, "jabber:client", nil)
			if err != nil {
				continue
			}
			p, err := stanza.PresenceFromElement(e)
			if err != nil {
				continue
			}
			Signature(p)
			db.Parse(p)
		}
		for _, bare := range db.JIDs() {
			res := db.Resources(bare)
			if len(res) == 0 {
				t.Fatalf("%v listed without resources", bare)
			}
			top, ok := db.Query(bare)
			if !ok || top.From.Resourcepart() != res[0] {
				t.Fatalf("Query(%v) = %v, resources %q", bare, top.From, res)
			}
			var prios []int
			for full, p := range db.All() {
				if full.Bare() != bare {
					continue
				}
				if p.Type != stanza.PresenceAvailable || p.From != full || full.Resourcepart() != res[len(prios)] {
					t.Fatalf("All gives %v %q, resources %q", full, p.Type, res)
				}
				prios = append(prios, -int(p.Priority()))
				if r := full.Resourcepart(); r != "" {
					if q, ok := db.Query(full); !ok || q.From != full {
						t.Fatalf("Query(%v) = %v %v", full, q.From, ok)
					}
				}
			}
			if len(prios) != len(res) {
				t.Fatalf("All gives %d resources of %v, Resources %q", len(prios), bare, res)
			}
			if !slices.IsSorted(prios) {
				t.Fatalf("resources of %v not by priority: %q", bare, res)
			}
		}
	})
}
