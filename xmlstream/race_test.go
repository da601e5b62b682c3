//go:build race

package xmlstream

// raceEnabled: the race detector makes sync.Pool drop a random share of
// what is put in it, so allocation counts of the pooled paths vary.
const raceEnabled = true
