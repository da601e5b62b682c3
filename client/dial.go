package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
)

// candidate is one transport address to try, with its TLS mode.
type candidate struct {
	addr      string // host:port
	directTLS bool   // XEP-0368: TLS from the first byte
}

// SRV service names (RFC 6120 §3.2.1, XEP-0368 §3).
const (
	srvStartTLS  = "xmpp-client"
	srvDirectTLS = "xmpps-client"
)

// serverCandidates lists the usual addresses of the account's server:
// Config.Server, else those DNS gives for the JID's domain (candidates).
func (c *Connector) serverCandidates(ctx context.Context) ([]candidate, error) {
	return c.candidates(ctx, c.jid.Domainpart())
}

// candidates lists the addresses to try for domain, in order (RFC 6120
// §3.2): Config.Server alone when set; else those resolve finds.
func (c *Connector) candidates(ctx context.Context, domain string) ([]candidate, error) {
	if c.cfg.Server != "" {
		return []candidate{{addr: c.cfg.Server, directTLS: c.cfg.DirectTLS}}, nil
	}
	return c.resolve(ctx, domain)
}

// resolve lists the addresses DNS gives for the domain name, in order
// (RFC 6120 §3.2): the SRV records of _xmpps-client._tcp and
// _xmpp-client._tcp merged and ordered by priority and weight (RFC 2782,
// XEP-0368 §3); without any, domain:5222 (§3.2.2), or ErrNoAddress with
// DirectTLS (XEP-0368 defines no fallback port).
func (c *Connector) resolve(ctx context.Context, domain string) ([]candidate, error) {
	var recs []srvRecord
	dot := map[string]bool{} // services whose only record is "."
	services := []string{srvDirectTLS, srvStartTLS}
	if c.cfg.DirectTLS {
		services = services[:1]
	}
	for _, svc := range services {
		_, addrs, err := c.lookupSRV(ctx, svc, "tcp", domain)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil && len(addrs) == 0 {
			continue // RFC 6120 §3.2.1: a failed lookup falls back to the domain
		}
		if len(addrs) == 1 && (addrs[0].Target == "." || addrs[0].Target == "") {
			dot[svc] = true // RFC 2782: "decidedly not available"
			continue
		}
		for _, a := range addrs {
			if a.Target == "." || a.Target == "" {
				continue
			}
			recs = append(recs, srvRecord{SRV: *a, directTLS: svc == srvDirectTLS})
		}
	}
	if len(recs) == 0 {
		switch {
		case c.cfg.DirectTLS && dot[srvDirectTLS], dot[srvStartTLS]:
			return nil, ErrServiceUnavailable
		case c.cfg.DirectTLS:
			return nil, ErrNoAddress // XEP-0368 defines no fallback port
		}
		return []candidate{{addr: net.JoinHostPort(domain, "5222")}}, nil
	}
	out := make([]candidate, 0, len(recs))
	for _, r := range orderSRV(recs, c.rand) {
		host := r.Target
		if n := len(host); n > 1 && host[n-1] == '.' {
			host = host[:n-1]
		}
		out = append(out, candidate{addr: net.JoinHostPort(host, strconv.Itoa(int(r.Port))), directTLS: r.directTLS})
	}
	return out, nil
}

type srvRecord struct {
	net.SRV
	directTLS bool
}

// orderSRV sorts records by priority and, within one priority, by the
// weighted random selection of RFC 2782 ("Usage rules"): a record's chance
// to come next is proportional to its weight, zero-weight records getting a
// small chance. rnd returns a value in [0, n).
func orderSRV(recs []srvRecord, rnd func(n int) int) []srvRecord {
	recs = slices.Clone(recs)
	slices.SortStableFunc(recs, func(a, b srvRecord) int { return int(a.Priority) - int(b.Priority) })
	out := make([]srvRecord, 0, len(recs))
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].Priority == recs[i].Priority {
			j++
		}
		group := recs[i:j]
		// RFC 2782: zero-weight records first, then pick by running sums.
		slices.SortStableFunc(group, func(a, b srvRecord) int {
			return boolInt(a.Weight != 0) - boolInt(b.Weight != 0)
		})
		for len(group) > 0 {
			total := 0
			for _, r := range group {
				total += int(r.Weight)
			}
			k := 0
			if total > 0 {
				pick := rnd(total + 1)
				sum := 0
				for k = range group {
					sum += int(group[k].Weight)
					if sum >= pick {
						break
					}
				}
			}
			out = append(out, group[k])
			group = append(group[:k:k], group[k+1:]...)
		}
		i = j
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dial connects to the candidates in order until one accepts, each attempt
// bounded by the step timeout (RFC 6120 §3.2.1: try the next on failure).
func (c *Connector) dial(ctx context.Context, cands []candidate, onTry func(addr string)) (net.Conn, candidate, error) {
	var errs []error
	for _, cand := range cands {
		if onTry != nil {
			onTry(cand.addr)
		}
		dctx, cancel := context.WithTimeout(ctx, c.cfg.StepTimeout)
		conn, err := c.dialer(dctx, "tcp", cand.addr)
		stepExpired := dctx.Err() != nil && ctx.Err() == nil
		cancel()
		if err == nil {
			return conn, cand, nil
		}
		if ctx.Err() != nil {
			return nil, cand, ctx.Err()
		}
		if stepExpired {
			err = errors.Join(ErrStepTimeout, err)
		}
		errs = append(errs, &ConnectError{Step: StepDial, Addr: cand.addr, Err: err})
	}
	if len(errs) == 1 {
		return nil, candidate{}, errs[0]
	}
	return nil, candidate{}, &ConnectError{Step: StepDial, Err: errors.Join(append([]error{ErrNoAddress}, errs...)...)}
}

// defaultRand is the weighted-selection source: math/rand/v2 (not
// security-relevant, RFC 2782 only asks for a uniform choice).
func defaultRand(n int) int { return rand.IntN(n) }
