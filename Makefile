# Parley: build, test and benchmark entry points (GNU make, bash). See TESTING.md.
#
#   make test           go vet + go test -race against real Prosody, ejabberd and jabberd2
#                       (starts them if they are not running, stops them afterwards if it did)
#   make servers        start the three test servers (installs missing packages with apt-get)
#   make servers-stop   stop them
#   make fuzz           run every fuzz target for FUZZTIME (default 30s) each
#   make bench          Go benchmarks (and bench/, if it exists) with the servers up
#   make demo           start the servers and run examples/demo against Prosody
#   make soak           stream management under fault injection, full size (10,000 messages)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

# Go may live in /usr/local/go/bin without being on PATH (fresh CI machines).
ifeq ($(shell command -v go),)
export PATH := $(PATH):/usr/local/go/bin
endif

SERVERS  := test/servers
FUZZTIME ?= 30s

.PHONY: test vet servers servers-stop servers-status fuzz bench demo soak

test:
	$(SERVERS)/with-servers.sh bash -c 'set -euo pipefail; go vet ./... && go test -race -count=1 ./... && \
		go test -count=1 -run Allocs ./xmlstream && \
		PARLEY_RESTART_TESTS=1 go test -race -count=1 -run Restart ./test/integration'

vet:
	go vet ./...

servers:
	$(SERVERS)/up.sh

# The full XEP-0198 fault-injection run (make test runs a short one): a proxy cuts the
# connections of two clients every 200-500 ms while 10,000 messages flow through Prosody and
# ejabberd; every message must arrive exactly once and in order.
soak:
	$(SERVERS)/with-servers.sh bash -c 'PARLEY_SOAK=1 go test -count=1 -v -run TestSoak ./test/soak'

servers-stop:
	$(SERVERS)/down.sh

servers-status:
	$(SERVERS)/status.sh

# Fuzz targets are discovered per package with go test -list; each runs alone (go test -fuzz
# accepts one target and one package at a time).
fuzz:
	@list=$$(go test -list '^Fuzz' ./... 2>&1) || { echo "$$list"; echo "warning: some packages could not be listed (above); fuzzing the rest"; }; \
	targets=$$(awk '/^Fuzz/ { f[n++] = $$1; next } /^ok / { for (i = 0; i < n; i++) print $$2, f[i]; n = 0 }' <<< "$$list"); \
	if [ -z "$$targets" ]; then echo "no fuzz targets"; exit 0; fi; \
	failed=""; \
	while read -r pkg target; do \
		echo "== $$pkg $$target ($(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) "$$pkg" || failed="$$failed $$pkg.$$target"; \
	done <<< "$$targets"; \
	if [ -n "$$failed" ]; then echo "fuzz failures:$$failed (crashers are in testdata/fuzz/)"; exit 1; fi

# The root module's benchmarks, then the comparisons in bench/ (a separate module: decode/encode,
# client sessions, components) even if some root package failed; the exit status reports any failure.
bench:
	$(SERVERS)/with-servers.sh bash -c 'rc=0; \
		go test -bench . -benchmem -run "^$$" ./... || rc=$$?; \
		if [ -f bench/go.mod ]; then (cd bench && go run . -clock cpu) || rc=$$?; fi; \
		if [ -d bench/session ]; then (cd bench && go run ./session) || rc=$$?; fi; \
		if [ -d bench/component ]; then (cd bench && go run ./component) || rc=$$?; fi; \
		exit $$rc'

demo:
	$(SERVERS)/up.sh
	@echo
	@. .servers/env && go run ./examples/demo -server "$$PARLEY_PROSODY_ADDR" -ca "$$PARLEY_PROSODY_CA" \
		-alice "alice@$$PARLEY_PROSODY_DOMAIN" -alice-password alicepass \
		-bob "bob@$$PARLEY_PROSODY_DOMAIN" -bob-password bobpass
	@echo
	@echo "The test servers keep running (see .servers/env); stop them with: make servers-stop"
