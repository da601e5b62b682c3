package sasl

import "testing"

// benchScramClient runs the client side of one SCRAM-SHA-256 login at 4096
// iterations (RFC 7677's vector), with or without a warm SaltCache.
func benchScramClient(b *testing.B, cache *SaltCache) {
	const first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
	const final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
	c := Credentials{Username: "user", Password: "pencil"}
	b.ReportAllocs()
	for b.Loop() {
		m := ScramSHA256(c, nil, withNonce("rOprNGfwEbeRWgbNEkqO"), WithSaltCache(cache))
		m.Start()
		if _, err := m.Next([]byte(first)); err != nil {
			b.Fatal(err)
		}
		if err := m.Verify([]byte(final)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScramSHA256 measures a login that runs PBKDF2 each time.
func BenchmarkScramSHA256(b *testing.B) { benchScramClient(b, nil) }

// BenchmarkScramSHA256Cached measures a reconnect whose salted password is
// cached: PBKDF2 is skipped.
func BenchmarkScramSHA256Cached(b *testing.B) { benchScramClient(b, NewSaltCache(0)) }
