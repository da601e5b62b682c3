// Package muc is the small part of XEP-0045 Multi-User Chat that a bot or an
// alerting script needs: join a room (§7.2), unlock a room the join created
// as an instant room (§10.1.2), post a message and see the room reflect it
// (§7.4), leave (§7.14). It works through a Session like every extension
// package; the parley command's send --muc uses it.
package muc
