module parley.dev/xmpp

go 1.26
