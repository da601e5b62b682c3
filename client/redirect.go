package client

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/jid"
	"parley.dev/xmpp/stanza"
)

// Redirect makes the Connect calls that follow try target before the
// configured server or DNS, until one of them establishes a stream (it
// implements xmpp.Redirector). The Session calls it for a see-other-host
// stream error (RFC 6120 §4.9.3.19), for a XEP-0198 resumption location
// (§5) and for Session.Reconnect(hostport); once the redirected stream is up
// the redirect is spent, and when that stream drops the next Connect
// resolves the server as usual (Config.Server, or DNS SRV).
//
// target is a domainpart or "domainpart:port" (an IPv6 address in
// brackets, "[2001:db8::1]:5222"). With a port, Connect dials it directly.
// Without one it resolves the name like a domain (RFC 6120 §3.2): the SRV
// records of _xmpps-client._tcp and _xmpp-client._tcp, else the name on
// port 5222; an IP address has no SRV records and is dialed on 5222. When
// the target cannot be resolved, reached or negotiated with, the same
// Connect goes on with the usual server (see Connect).
//
// Whatever host is dialed, the certificate is checked against the JID's
// domain (§13.7.2.1), never against the redirect target, the stream header
// names the same domain and the same account logs in (§4.9.3.19). The
// Session bounds how many redirects it follows in a row (its Config's
// MaxRedirects). "" cancels a pending redirect.
func (c *Connector) Redirect(target string) {
	c.mu.Lock()
	c.redirect = target
	c.redirectGen++
	c.mu.Unlock()
}

// pendingRedirect returns the redirect target and its generation.
func (c *Connector) pendingRedirect() (string, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.redirect, c.redirectGen
}

// redirectDone forgets the redirect of generation gen once a Connect that
// followed it has established a stream; a Redirect made meanwhile stays.
func (c *Connector) redirectDone(gen uint64) {
	c.mu.Lock()
	if c.redirectGen == gen {
		c.redirect = ""
	}
	c.mu.Unlock()
}

// redirectCandidates lists the addresses of a redirect target (see
// Redirect).
func (c *Connector) redirectCandidates(ctx context.Context, target string) ([]candidate, error) {
	host, port, err := splitTarget(target)
	if err != nil {
		return nil, err
	}
	if port != "" {
		return []candidate{{addr: net.JoinHostPort(host, port), directTLS: c.cfg.DirectTLS}}, nil
	}
	if _, err := netip.ParseAddr(host); err == nil {
		if c.cfg.DirectTLS {
			return nil, ErrNoAddress // XEP-0368 defines no fallback port
		}
		return []candidate{{addr: net.JoinHostPort(host, "5222")}}, nil
	}
	return c.resolve(ctx, host)
}

// splitTarget splits a see-other-host target into host and port ("" when
// it has none). RFC 6120 §4.9.3.19: a domainpart, or a domainpart and a
// port separated by ':', an IPv6 address in brackets. A bare IPv6 address
// without brackets is accepted too (it cannot carry a port).
func splitTarget(target string) (host, port string, err error) {
	bad := func(why string) (string, string, error) {
		return "", "", errors.Join(ErrBadRedirect, errors.New(strconv.Quote(target)+": "+why))
	}
	host = target
	switch {
	case strings.HasPrefix(target, "["):
		end := strings.IndexByte(target, ']')
		if end < 0 {
			return bad("no closing bracket")
		}
		host = target[1:end]
		if a, err := netip.ParseAddr(host); err != nil || !a.Is6() || a.Zone() != "" {
			return bad("not an IPv6 address in brackets")
		}
		switch rest := target[end+1:]; {
		case rest == "":
		case rest[0] == ':':
			port = rest[1:]
		default:
			return bad("text after the bracket")
		}
	case strings.Count(target, ":") > 1:
		if a, err := netip.ParseAddr(target); err != nil || !a.Is6() || a.Zone() != "" {
			return bad("not an IPv6 address")
		}
		return target, "", nil
	case strings.Contains(target, ":"):
		host, port, _ = strings.Cut(target, ":")
	}
	if port != "" || strings.HasSuffix(target, ":") {
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return bad("bad port")
		}
	}
	if j, err := jid.Parse(host); !strings.HasPrefix(target, "[") && (err != nil || !j.IsDomain()) {
		return bad("not a domainpart")
	}
	return host, port, nil
}

// fallBack reports whether a Connect that failed on the redirect target
// should go on with the usual server: not when ctx ended, not after a
// permanent failure (a refused login), and not after another see-other-host,
// which the Session counts and follows itself.
func fallBack(ctx context.Context, err error) bool {
	if ctx.Err() != nil || xmpp.IsPermanent(err) {
		return false
	}
	var se stanza.StreamError
	return !errors.As(err, &se) || se.Condition != stanza.StreamSeeOtherHost
}
