#!/usr/bin/env bash
# with-servers.sh COMMAND [ARG...]: run COMMAND with the test servers up.
#
# Starts the servers (up.sh) unless they are already running and healthy, runs COMMAND, and
# afterwards stops them again only if this script started them: also when COMMAND fails or the
# script is interrupted. Exits with COMMAND's exit status.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# > 0)) || die "usage: ${0##*/} COMMAND [ARG...]"

started=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if ((started)); then
        started=0
        "$SERVERS_LIB_DIR/down.sh" || log "warning: down.sh failed"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if "$SERVERS_LIB_DIR/status.sh" -q; then
    log "using the servers that are already running"
else
    started=1
    "$SERVERS_LIB_DIR/up.sh"
fi

rc=0
"$@" || rc=$?
exit "$rc"
