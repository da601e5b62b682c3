package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/xmlstream"
)

var listenCmd = &command{
	name:    "listen",
	args:    "[flags]",
	summary: "print incoming stanzas as they arrive",
	about: `Log in, send available presence, and print every incoming stanza (or those
--match selects): one readable line each, or with --json one JSON object per
line with kind, type, from, to, id, body (when present), subject (when
present) and xml (the raw stanza).

It stops after --count stanzas or after --timeout; with --count, a timeout
before that many arrived exits with code 6. Ctrl-C stops it (exit 0).`,
	examples: []string{
		"parley listen",
		"parley listen --json --match \"/message[@type='chat']\" | jq -r .body",
		"parley listen --count 1 --timeout 30s --match /message   # wait for one message",
	},
	account:     true,
	timeoutHelp: "stop after `D` (a duration: 30s, 10m; 0: run until interrupted)",
	setup:       setupListen,
}

type listenOpts struct {
	json     bool
	match    string
	count    int
	priority int
}

func setupListen(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	o := &listenOpts{}
	fs.BoolVar(&o.json, "json", false, "print one JSON object per stanza")
	fs.StringVar(&o.match, "match", "", "print only stanzas matching `XPATH` (e.g. \"/message[@type='chat']\")")
	fs.IntVar(&o.count, "count", 0, "stop after `N` stanzas (0: no limit)")
	fs.IntVar(&o.priority, "priority", 0, "presence `PRIORITY` (-128..127; negative: no messages to the bare JID)")
	return func(ctx context.Context, args []string) error { return a.listen(ctx, o, args) }
}

func (a *app) listen(ctx context.Context, o *listenOpts, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if o.count < 0 {
		return usagef("--count %d: want 0 or more", o.count)
	}
	if o.priority < -128 || o.priority > 127 {
		return usagef("--priority %d: want -128..127", o.priority)
	}
	var m *xmlstream.Matcher
	if o.match != "" {
		var err error
		if m, err = xmlstream.Compile(o.match); err != nil {
			return usagef("--match: %v", err)
		}
	}
	s, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	a.addResponders(s)

	done := make(chan struct{})
	var mu sync.Mutex
	seen := 0
	var werr error
	s.HandleDirect(m, func(ctx context.Context, in *xmpp.Incoming) error {
		mu.Lock()
		defer mu.Unlock()
		if o.count > 0 && seen >= o.count {
			return nil
		}
		seen++
		if o.json {
			werr = writeJSONLine(a.stdout, in.Element)
		} else {
			_, werr = fmt.Fprintln(a.stdout, describe(in.Element))
		}
		if werr != nil || (o.count > 0 && seen == o.count) {
			close(done)
		}
		return nil
	})
	if err := a.goOnline(ctx, s, int8(o.priority)); err != nil {
		return err
	}
	a.notice("listening as %s", s.JID())
	select {
	case <-done:
		mu.Lock()
		defer mu.Unlock()
		if werr != nil {
			return fmt.Errorf("writing output: %w", werr)
		}
		return nil
	case <-s.Done():
		return sessionEnded(s)
	case <-ctx.Done():
		if o.count > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			mu.Lock()
			defer mu.Unlock()
			return &exitError{code: exitTimeout, msg: fmt.Sprintf("timeout: %d of %d stanzas arrived", seen, o.count)}
		}
		return nil
	}
}
