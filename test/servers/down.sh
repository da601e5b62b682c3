#!/usr/bin/env bash
# down.sh: stop the servers up.sh started (make servers-stop), by the PIDs in
# <repo>/.servers/<name>/pids, all three in parallel. Removes <repo>/.servers/env; the server
# directories (logs) stay until the next up.sh.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$REPO_ROOT/.servers
lock_rig
rm -f "$S/env" "$S/.owned"
declare -A job
for name in prosody ejabberd jabberd2; do
    if [[ -f $S/$name/pids ]]; then
        "$SERVERS_LIB_DIR/stop.sh" "$S/$name" &
        job[$name]=$!
    fi
done
rc=0
for name in "${!job[@]}"; do
    wait "${job[$name]}" || rc=1
done
((${#job[@]} > 0)) || log "no servers were running"
exit "$rc"
