package caps

import (
	"sync"

	"parley.dev/xmpp/ext/disco"
)

// Cache stores verified disco#info by hash function and ver (XEP-0115
// §6.3), so that a ver seen once is never queried again. Implementations
// must be safe for concurrent use; a persistent one lets the knowledge
// survive restarts. Only verified information is put in a Cache. Callers
// must not modify the *disco.Info they get or put.
type Cache interface {
	Get(hash, ver string) (*disco.Info, bool)
	Put(hash, ver string, info *disco.Info)
}

// MemoryCache is an in-memory Cache. The zero value is ready to use.
type MemoryCache struct {
	mu sync.RWMutex
	m  map[[2]string]*disco.Info
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{} }

// Get returns the information stored for hash and ver.
func (c *MemoryCache) Get(hash, ver string) (*disco.Info, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	info, ok := c.m[[2]string{hash, ver}]
	return info, ok
}

// Put stores info for hash and ver.
func (c *MemoryCache) Put(hash, ver string, info *disco.Info) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[[2]string]*disco.Info)
	}
	c.m[[2]string{hash, ver}] = info
}

// Len returns how many entries the cache holds.
func (c *MemoryCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
