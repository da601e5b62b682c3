package sasl

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Config tells Select which mechanism it may pick. A nil *Config is the zero
// Config: the default order, no channel binding, PLAIN only over TLS and
// only when no SCRAM is offered, no EXTERNAL, no ANONYMOUS, no DIGEST-MD5
// (it needs Host). Select does not modify the Config.
type Config struct {
	// Mechanisms lists the mechanisms Select may use, most preferred
	// first. Nil means DefaultMechanisms(). Names not implemented here
	// are ignored. The security rules below apply whatever the order.
	Mechanisms []string

	// TLS reports whether the stream is encrypted (RFC 6120 §5). PLAIN
	// is only picked on an encrypted stream unless AllowPlainWithoutTLS.
	TLS bool

	// ChannelBinding is the binding data of the stream's TLS session,
	// from ChannelBindingFor; nil means the client cannot bind. It is
	// used for SCRAM-*-PLUS when the type is one the server accepts (see
	// ServerTypes); otherwise its presence makes plain SCRAM send the
	// "y" GS2 flag when the server offered no -PLUS at all (RFC 5802 §6).
	ChannelBinding *ChannelBinding

	// ServerTypes are the channel binding types the server listed in the
	// XEP-0440 §2 <sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'/>
	// element (a stream feature, or a child of <mechanisms/> in early
	// versions of the XEP). Nil means the feature was absent: then only tls-unique,
	// the RFC 5802 default, is assumed to work (Prosody 0.12, ejabberd
	// 23.01), so a tls-exporter binding from a TLS 1.3 session is not
	// used for -PLUS.
	ServerTypes []string

	// AllowPlainWithoutTLS lets PLAIN send the password over an
	// unencrypted stream (tests against a local server only).
	AllowPlainWithoutTLS bool

	// AllowPlainWhenScramOffered lets PLAIN be picked while the server
	// offers some SCRAM mechanism. By default it is not: PLAIN shows the
	// password to the server, SCRAM does not, and an offer of both means
	// the choice is the client's.
	AllowPlainWhenScramOffered bool

	// External enables EXTERNAL (RFC 4422 Appendix A, XEP-0178): the
	// server authenticates the TLS client certificate. It is preferred
	// over everything else when offered. Credentials.Authzid is sent as
	// the authorization identity.
	External bool

	// Anonymous enables ANONYMOUS (RFC 4505) when Credentials.Username is
	// empty; AnonymousTrace is its optional trace string.
	Anonymous      bool
	AnonymousTrace string

	// Host enables DIGEST-MD5 (RFC 2831): digest-uri is Service "/" Host,
	// Host being the server's domain. DIGEST-MD5 is only picked when no
	// SCRAM mechanism is offered, unless AllowDigestMD5WhenScramOffered.
	// Service defaults to "xmpp".
	Host    string
	Service string

	// AllowDigestMD5WhenScramOffered lets DIGEST-MD5 be picked while the
	// server offers some SCRAM mechanism. By default it is not: DIGEST-MD5
	// is historic (RFC 6331), MD5-based and open to an offline attack on
	// the password by anyone who sees the exchange, so an offer of SCRAM
	// next to it means the client takes SCRAM. The order of Mechanisms
	// still applies: to force DIGEST-MD5 (to test a server's, say), set
	// Mechanisms to just it as well.
	AllowDigestMD5WhenScramOffered bool

	// SaltCache, MinIterations, MaxIterations and Rand are passed to
	// SCRAM (WithSaltCache, WithMinIterations, WithMaxIterations,
	// WithRand); zero values keep the SCRAM defaults.
	SaltCache     *SaltCache
	MinIterations int
	MaxIterations int
	Rand          io.Reader
}

// DefaultMechanisms returns the order in which Select prefers mechanisms:
// EXTERNAL (when enabled), the SCRAM -PLUS variants strongest hash first,
// the plain SCRAMs, DIGEST-MD5 (weaker than SCRAM: MD5, offline attackable),
// PLAIN, and ANONYMOUS (only for an empty username).
func DefaultMechanisms() []string {
	return []string{
		MechExternal,
		MechScramSHA512Plus, MechScramSHA256Plus, MechScramSHA1Plus,
		MechScramSHA512, MechScramSHA256, MechScramSHA1,
		MechDigestMD5,
		MechPlain,
		MechAnonymous,
	}
}

// scramFamily maps each SCRAM name to its hash and whether it binds.
var scramFamily = map[string]struct {
	h    scramHash
	plus bool
}{
	MechScramSHA1: {hashSHA1, false}, MechScramSHA1Plus: {hashSHA1, true},
	MechScramSHA256: {hashSHA256, false}, MechScramSHA256Plus: {hashSHA256, true},
	MechScramSHA512: {hashSHA512, false}, MechScramSHA512Plus: {hashSHA512, true},
}

// Select picks the mechanism to authenticate with from those the server
// offered in <mechanisms/> (RFC 6120 §6.4.1) and returns it ready to Start.
// It follows cfg's order and these rules:
//
//   - EXTERNAL only when cfg.External.
//   - SCRAM-*-PLUS only with a cfg.ChannelBinding whose type the server
//     accepts (cfg.ServerTypes, or tls-unique when that is nil).
//   - Plain SCRAM sends the GS2 flag "y" when the client has binding data
//     and the server offered no -PLUS mechanism at all, "n" otherwise,
//     including when -PLUS was offered but cannot be used: "y" there would
//     make the server refuse (RFC 5802 §6).
//   - DIGEST-MD5 only with cfg.Host and no SCRAM mechanism offered (or
//     cfg.AllowDigestMD5WhenScramOffered).
//   - PLAIN only on a TLS stream (or cfg.AllowPlainWithoutTLS) and no SCRAM
//     mechanism offered (or cfg.AllowPlainWhenScramOffered).
//   - ANONYMOUS only with cfg.Anonymous and an empty c.Username; every
//     other mechanism but EXTERNAL needs a username.
//
// When nothing qualifies the error wraps ErrNoMechanism and says why each
// offered mechanism was passed over.
func Select(offered []string, c Credentials, cfg *Config) (Mechanism, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	offer := make(map[string]bool, len(offered))
	scramOffered, plusOffered := false, false
	for _, o := range offered {
		o = strings.TrimSpace(o)
		offer[o] = true
		if f, ok := scramFamily[o]; ok {
			scramOffered = true
			plusOffered = plusOffered || f.plus
		}
	}
	cb := cfg.ChannelBinding
	cbUsable := cb != nil && (cfg.ServerTypes == nil && cb.Type == BindingTLSUnique ||
		slices.Contains(cfg.ServerTypes, cb.Type))

	order := cfg.Mechanisms
	if order == nil {
		order = DefaultMechanisms()
	}
	var why []string
	skip := func(name, reason string) { why = append(why, name+": "+reason) }
	for _, name := range order {
		if !offer[name] {
			continue
		}
		if f, ok := scramFamily[name]; ok {
			switch {
			case c.Username == "":
				skip(name, "no username")
			case f.plus && cb == nil:
				skip(name, "no channel binding data")
			case f.plus && !cbUsable:
				skip(name, "server does not accept binding type "+cb.Type)
			case f.plus:
				return newScram(f.h, c, cb, optionsFrom(cfg, false)), nil
			default:
				return newScram(f.h, c, nil, optionsFrom(cfg, cb != nil && !plusOffered)), nil
			}
			continue
		}
		switch name {
		case MechExternal:
			if cfg.External {
				return External(c.Authzid), nil
			}
			skip(name, "not enabled (Config.External)")
		case MechDigestMD5:
			switch {
			case c.Username == "":
				skip(name, "no username")
			case cfg.Host == "":
				skip(name, "no Config.Host")
			case scramOffered && !cfg.AllowDigestMD5WhenScramOffered:
				skip(name, "SCRAM is offered")
			default:
				service := cfg.Service
				if service == "" {
					service = "xmpp"
				}
				return DigestMD5(c, service, cfg.Host), nil
			}
		case MechPlain:
			switch {
			case c.Username == "":
				skip(name, "no username")
			case !cfg.TLS && !cfg.AllowPlainWithoutTLS:
				skip(name, "stream not encrypted")
			case scramOffered && !cfg.AllowPlainWhenScramOffered:
				skip(name, "SCRAM is offered")
			default:
				return Plain(c), nil
			}
		case MechAnonymous:
			switch {
			case !cfg.Anonymous:
				skip(name, "not enabled (Config.Anonymous)")
			case c.Username != "":
				skip(name, "a username is set")
			default:
				return Anonymous(cfg.AnonymousTrace), nil
			}
		}
	}
	if len(why) == 0 {
		return nil, fmt.Errorf("%w: offered %q, none known or allowed", ErrNoMechanism, offered)
	}
	return nil, fmt.Errorf("%w: %s", ErrNoMechanism, strings.Join(why, "; "))
}

// optionsFrom turns the Config's SCRAM settings into options.
func optionsFrom(cfg *Config, flagY bool) []ScramOption {
	opts := []ScramOption{
		WithSaltCache(cfg.SaltCache),
		WithMinIterations(cfg.MinIterations),
		WithMaxIterations(cfg.MaxIterations),
	}
	if cfg.Rand != nil {
		opts = append(opts, WithRand(cfg.Rand))
	}
	if flagY {
		opts = append(opts, WithBindingSupported())
	}
	return opts
}
