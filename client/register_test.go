package client

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/form"
	"parley.dev/xmpp/ext/register"
	"parley.dev/xmpp/jid"
)

// The jabberd2 registration exchange of jabberd2.md §6, after STARTTLS.
func registerPeer(answer string, set *string, polite bool) func(p *peer) {
	return func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN") + "<register xmlns='http://jabber.org/features/iq-register'/>")
		get := p.element("iq")
		p.send("<iq xmlns='jabber:client' id='" + attr(get, "id") + "' type='result'><query xmlns='jabber:iq:register'><instructions>Enter a username and password to register with this server.</instructions><username/><password></password></query></iq>")
		*set = p.element("iq")
		p.send(strings.ReplaceAll(answer, "%s", attr(*set, "id")))
		if polite {
			p.expect("</stream:stream>")
			p.send("</stream:stream>")
		} else {
			p.hold()
		}
	}
}

func fillUser(user, pass string) FillFunc {
	return func(ctx context.Context, f *register.Fields) error {
		for i := range f.Legacy {
			switch f.Legacy[i].Name {
			case "username":
				f.Legacy[i].Value = user
			case "password":
				f.Legacy[i].Value = pass
			}
		}
		return nil
	}
}

func TestRegister(t *testing.T) {
	var set string
	addr, wait := runPeer(t, registerPeer("<iq xmlns='jabber:client' id='%s' type='result'></iq>", &set, true))
	var instructions string
	err := Register(context.Background(), jid.MustParse(testDomain), testConfig(t, addr), func(ctx context.Context, f *register.Fields) error {
		instructions = f.Instructions
		return fillUser("frank", "pw")(ctx, f)
	})
	wait()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(instructions, "Enter a username") {
		t.Errorf("instructions %q", instructions)
	}
	for _, want := range []string{"type='set'", "<username>frank</username>", "<password>pw</password>", "jabber:iq:register"} {
		if !strings.Contains(set, want) {
			t.Errorf("set %s lacks %s", set, want)
		}
	}
}

func TestRegisterErrors(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		fill   FillFunc
		want   error
	}{
		{"conflict", "<iq id='%s' type='error'><error type='cancel' code='409'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", fillUser("frank", "pw"), register.ErrConflict},
		{"legacy code 406", "<iq id='%s' type='error'><error code='406'/></iq>", fillUser("frank", "pw"), register.ErrNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set string
			addr, wait := runPeer(t, registerPeer(tt.answer, &set, false))
			err := Register(context.Background(), jid.MustParse(testDomain), testConfig(t, addr), tt.fill)
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepRegister || !errors.Is(err, tt.want) || !xmpp.IsPermanent(err) {
				t.Fatalf("err %v, want permanent %v at register", err, tt.want)
			}
		})
	}
	t.Run("missing field", func(t *testing.T) {
		addr, wait := runPeer(t, func(p *peer) {
			p.open(featStartTLS)
			p.startTLS()
			p.open(featMechs("PLAIN"))
			get := p.element("iq")
			p.send("<iq id='" + attr(get, "id") + "' type='result'><query xmlns='jabber:iq:register'><username/><password/><email/></query></iq>")
			p.hold()
		})
		err := Register(context.Background(), jid.MustParse(testDomain), testConfig(t, addr), fillUser("frank", "pw"))
		wait()
		var ve *form.ValidationError
		if !errors.As(err, &ve) || len(ve.Missing) != 1 || ve.Missing[0] != "email" {
			t.Fatalf("err %v, want the missing email field", err)
		}
	})
}

// prosodyForm is the registration answer of Prosody 0.12's mod_register:
// legacy fields and a data form (XEP-0077 §4), which takes precedence (§6).
const prosodyForm = "<query xmlns='jabber:iq:register'><instructions>Choose a username and password for use with this service.</instructions><username/><password/>" +
	"<x xmlns='jabber:x:data' type='form'><title>Creating a new account</title><instructions>Choose a username and password for use with this service.</instructions>" +
	"<field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>" +
	"<field type='text-single' label='Username' var='username'><required/></field>" +
	"<field type='text-private' label='Password' var='password'><required/></field></x></query>"

// TestRegisterTraceFormRedacted registers through a data form with trace
// hooks: the form carries the password on the wire, the hooks show the
// form with the password field's content redacted and everything else.
func TestRegisterTraceFormRedacted(t *testing.T) {
	const pass = "Form-Secret-8d1e"
	var set string
	addr, wait := runPeer(t, func(p *peer) {
		p.open(featStartTLS)
		p.startTLS()
		p.open(featMechs("PLAIN") + "<register xmlns='http://jabber.org/features/iq-register'/>")
		get := p.element("iq")
		p.send("<iq id='" + attr(get, "id") + "' type='result'>" + prosodyForm + "</iq>")
		set = p.element("iq")
		p.send("<iq id='" + attr(set, "id") + "' type='result'/>")
		p.expect("</stream:stream>")
		p.send("</stream:stream>")
	})
	var mu sync.Mutex
	var sent, recv strings.Builder
	tr := xmpp.NewTrace(func(b []byte) { mu.Lock(); sent.Write(b); mu.Unlock() },
		func(b []byte) { mu.Lock(); recv.Write(b); mu.Unlock() }, nil, nil)
	sawForm := false
	err := RegisterTrace(context.Background(), jid.MustParse(testDomain), testConfig(t, addr), func(ctx context.Context, f *register.Fields) error {
		if sawForm = f.Form != nil; !sawForm {
			return errors.New("no form")
		}
		if err := f.Form.Set("username", "frank"); err != nil {
			return err
		}
		return f.Form.Set("password", pass)
	}, tr)
	wait()
	if err != nil || !sawForm {
		t.Fatalf("register: %v (form seen: %v)", err, sawForm)
	}
	if !strings.Contains(set, "jabber:x:data") || !strings.Contains(set, "<value>"+pass+"</value>") {
		t.Fatalf("the form with the password did not go out: %s", set)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(sent.String()+recv.String(), pass) {
		t.Errorf("the trace shows the password: %s", sent.String())
	}
	for _, want := range []string{"<field var='password' type='text-private'>[redacted]</field>", "<field var='username' type='text-single'><value>frank</value></field>", "jabber:iq:register</value>"} {
		if !strings.Contains(sent.String(), want) {
			t.Errorf("the sent trace lacks %s: %s", want, sent.String())
		}
	}
	if !strings.Contains(recv.String(), "<field type='text-private' label='Password' var='password'>[redacted]</field>") ||
		!strings.Contains(recv.String(), "<field type='text-single' label='Username' var='username'><required/></field>") {
		t.Errorf("the received form is not traced as expected: %s", recv.String())
	}
}

// TestRegisterSilentPeer: a server that goes silent after the registration
// request or after the submission ends Register with ErrStepTimeout at the
// register step (issue 4 §8: silence at every step), not a hang.
func TestRegisterSilentPeer(t *testing.T) {
	for _, tt := range []struct {
		name   string
		script func(p *peer)
	}{
		{"after the request", func(p *peer) {
			p.open(featStartTLS)
			p.startTLS()
			p.open(featMechs("PLAIN") + "<register xmlns='http://jabber.org/features/iq-register'/>")
			p.element("iq")
			p.hold()
		}},
		{"after the submission", func(p *peer) {
			p.open(featStartTLS)
			p.startTLS()
			p.open(featMechs("PLAIN") + "<register xmlns='http://jabber.org/features/iq-register'/>")
			get := p.element("iq")
			p.send("<iq xmlns='jabber:client' id='" + attr(get, "id") + "' type='result'><query xmlns='jabber:iq:register'><username/><password/></query></iq>")
			p.element("iq")
			p.hold()
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, wait := runPeer(t, tt.script)
			cfg := testConfig(t, addr)
			cfg.StepTimeout = time.Second
			err := Register(context.Background(), jid.MustParse(testDomain), cfg, fillUser("frank", "pw"))
			wait()
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Step != StepRegister || !errors.Is(err, ErrStepTimeout) {
				t.Fatalf("err %v, want ErrStepTimeout at %s", err, StepRegister)
			}
		})
	}
}
