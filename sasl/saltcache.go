package sasl

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// defaultSaltCacheSize is the number of entries a SaltCache keeps when its
// size was not set with NewSaltCache.
const defaultSaltCacheSize = 64

// SaltCache remembers SCRAM salted passwords (RFC 5802 §3, SaltedPassword :=
// Hi(password, salt, i)) so that a client which reconnects to the same server
// skips the deliberately slow PBKDF2 step. Entries are keyed by hash
// function, password, salt and iteration count: if the server changes the
// salt or the count (a password change, a rehash) the old entry is simply
// not used.
//
// A salted password lets whoever holds it log in to that server as the
// user, like the password itself; the cache stores it in process memory only
// and indexes it by an HMAC under a random per-cache key, never by the
// password. The zero value is ready to use and holds up to 64 entries, the
// oldest dropped first. A SaltCache is safe for concurrent use and must not
// be copied after first use.
type SaltCache struct {
	mu      sync.Mutex // guards everything below
	max     int
	secret  []byte
	entries []saltEntry // insertion order, oldest first
}

// saltEntry is one cached salted password under its key. The entries are
// searched one by one: a cache holds a few (one per account and server),
// and each lookup saves a PBKDF2 run, so a map's memory (its smallest
// table holds eight entries) would buy nothing.
type saltEntry struct {
	key    [sha256.Size]byte
	salted []byte
}

// NewSaltCache returns a SaltCache holding at most size entries (the default
// 64 when size <= 0).
func NewSaltCache(size int) *SaltCache {
	return &SaltCache{max: size}
}

// Len returns the number of cached salted passwords.
func (c *SaltCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Clear forgets every cached salted password, e.g. after a password change.
func (c *SaltCache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.entries = c.entries[:0]
}

// key derives the map key; c.mu must be held.
func (c *SaltCache) key(hashName, password string, salt []byte, iter int) [sha256.Size]byte {
	if c.secret == nil {
		c.secret = make([]byte, 32)
		rand.Read(c.secret) // never fails (crypto/rand, Go 1.24+)
	}
	m := hmac.New(sha256.New, c.secret)
	var n [8]byte
	for _, f := range [][]byte{[]byte(hashName), []byte(password), salt} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		m.Write(n[:])
		m.Write(f)
	}
	binary.BigEndian.PutUint64(n[:], uint64(iter))
	m.Write(n[:])
	var k [sha256.Size]byte
	m.Sum(k[:0])
	return k
}

// load returns a copy of the cached salted password, if any.
func (c *SaltCache) load(hashName, password string, salt []byte, iter int) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := c.find(c.key(hashName, password, salt, iter)); i >= 0 {
		return append([]byte(nil), c.entries[i].salted...), true
	}
	return nil, false
}

// find returns the index of the entry under k, or -1; c.mu must be held.
func (c *SaltCache) find(k [sha256.Size]byte) int {
	for i := range c.entries {
		if c.entries[i].key == k {
			return i
		}
	}
	return -1
}

// store caches a copy of salted, evicting the oldest entry when full.
func (c *SaltCache) store(hashName, password string, salt []byte, iter int, salted []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.key(hashName, password, salt, iter)
	if c.find(k) >= 0 {
		return
	}
	limit := c.max
	if limit <= 0 {
		limit = defaultSaltCacheSize
	}
	if n := len(c.entries) - limit + 1; n > 0 {
		m := copy(c.entries, c.entries[n:])
		clear(c.entries[m:]) // no stale references to salted passwords
		c.entries = c.entries[:m]
	}
	c.entries = append(c.entries, saltEntry{key: k, salted: append([]byte(nil), salted...)})
}
