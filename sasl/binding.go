package sasl

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
)

// exporterLabel and exporterLength are the TLS exporter parameters of the
// tls-exporter channel binding type (RFC 9266 §2).
const (
	exporterLabel  = "EXPORTER-Channel-Binding"
	exporterLength = 32
)

// ChannelBindingFor takes channel binding data of the preferred type from a
// completed TLS session (RFC 5056):
//
//   - "tls-exporter" (RFC 9266): 32 bytes of exported keying material with
//     label "EXPORTER-Channel-Binding" and no context. Defined for TLS 1.3,
//     and for TLS 1.2 only with the extended master secret, which crypto/tls
//     enforces.
//   - "tls-unique" (RFC 5929 §3): the first Finished message, from
//     ConnectionState.TLSUnique. Undefined on TLS 1.3 (RFC 9266 §3) and on
//     resumed TLS 1.2 sessions without the extended master secret.
//   - "tls-server-end-point" (RFC 5929 §4): a hash of the server
//     certificate, SHA-256 when the certificate was signed with MD5 or SHA-1,
//     else the signature's own hash; undefined for Ed25519 certificates.
//     Call it on the client side, where PeerCertificates[0] is the server's.
//   - "" picks the type that works with the servers of today: tls-exporter
//     on TLS 1.3, tls-unique on TLS 1.2 and below. Prosody 0.12 and ejabberd
//     23.01 only implement tls-unique, so on TLS 1.3 the result is only
//     usable with servers that list tls-exporter in XEP-0440's
//     <sasl-channel-binding/> (Select checks that).
//
// It returns an error wrapping ErrNoChannelBinding when the session cannot
// give the type.
func ChannelBindingFor(cs *tls.ConnectionState, preferred string) (*ChannelBinding, error) {
	if cs == nil || !cs.HandshakeComplete {
		return nil, fmt.Errorf("%w: TLS handshake not complete", ErrNoChannelBinding)
	}
	if preferred == "" {
		preferred = BindingTLSExporter
		if cs.Version < tls.VersionTLS13 && len(cs.TLSUnique) > 0 {
			preferred = BindingTLSUnique
		}
	}
	switch preferred {
	case BindingTLSExporter:
		data, err := cs.ExportKeyingMaterial(exporterLabel, nil, exporterLength)
		if err != nil {
			return nil, fmt.Errorf("%w: tls-exporter: %v", ErrNoChannelBinding, err)
		}
		return &ChannelBinding{Type: BindingTLSExporter, Data: data}, nil
	case BindingTLSUnique:
		if cs.Version >= tls.VersionTLS13 || len(cs.TLSUnique) == 0 {
			return nil, fmt.Errorf("%w: tls-unique is undefined for this session (TLS 1.3 or resumed)", ErrNoChannelBinding)
		}
		return &ChannelBinding{Type: BindingTLSUnique, Data: append([]byte(nil), cs.TLSUnique...)}, nil
	case BindingTLSServerEndPoint:
		if len(cs.PeerCertificates) == 0 {
			return nil, fmt.Errorf("%w: no server certificate", ErrNoChannelBinding)
		}
		data, err := serverEndPoint(cs.PeerCertificates[0])
		if err != nil {
			return nil, err
		}
		return &ChannelBinding{Type: BindingTLSServerEndPoint, Data: data}, nil
	default:
		return nil, fmt.Errorf("%w: unknown type %q", ErrNoChannelBinding, preferred)
	}
}

// serverEndPoint hashes the certificate as RFC 5929 §4.1 specifies.
func serverEndPoint(cert *x509.Certificate) ([]byte, error) {
	var h crypto.Hash
	switch cert.SignatureAlgorithm {
	case x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1,
		x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.DSAWithSHA256, x509.ECDSAWithSHA256:
		h = crypto.SHA256
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		h = crypto.SHA384
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		h = crypto.SHA512
	default:
		return nil, fmt.Errorf("%w: tls-server-end-point is undefined for %v certificates", ErrNoChannelBinding, cert.SignatureAlgorithm)
	}
	hh := h.New()
	hh.Write(cert.Raw)
	return hh.Sum(nil), nil
}
