#!/usr/bin/env bash
# with-servers.sh COMMAND [ARG...]: run COMMAND with the test servers up (make test, make bench).
#
# Starts the servers (up.sh) unless they are already running, runs COMMAND, and afterwards stops
# them again only if a with-servers.sh run started them and no other run still uses them: also
# when COMMAND fails or the script is interrupted. Servers started by "make servers" are left
# alone. Exits with COMMAND's exit status.
#
# Bookkeeping: every run holds a shared flock on .servers/.users.lock while it runs; up.sh leaves
# the marker .servers/.owned when it started the servers for such a run. At the end a run that
# can turn its lock exclusive is the last user, and stops the servers if the marker is there.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# > 0)) || die "usage: ${0##*/} COMMAND [ARG...]"

S=$REPO_ROOT/.servers
mkdir -p "$S"
exec 8>"$S/.users.lock"
flock -s 8

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if flock -x -n 8; then
        if [[ -f $S/.owned ]]; then
            "$SERVERS_LIB_DIR/down.sh" || log "warning: down.sh failed"
        fi
    else
        log "the servers are still used by another run; leaving them up"
    fi
    exec 8>&-
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PARLEY_UP_OWNED=1 "$SERVERS_LIB_DIR/up.sh"

rc=0
"$@" || rc=$?
exit "$rc"
