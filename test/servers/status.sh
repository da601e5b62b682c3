#!/usr/bin/env bash
# status.sh [-q]: are the test servers of up.sh running and healthy?
#
# Healthy = .servers/env exists, and for prosody, ejabberd and jabberd2 every process listed in
# .servers/<name>/pids is alive and ours, and every port of the server accepts connections.
# Prints one line per server (unless -q); exits 0 when all three are healthy, 1 otherwise.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

quiet=0
[[ ${1:-} == -q ]] && quiet=1
say() { ((quiet)) || printf '%s\n' "$*"; }

S=$REPO_ROOT/.servers
declare -A PORTS_OF=(
    [prosody]="15222 15223 15347 15280"
    [ejabberd]="16222 16223 16347 16280"
    [jabberd2]="17222 17223 17347"
)

# healthy NAME: prints why not when it is not.
healthy() {
    local name=$1 dir=$S/$1 pid comm p n=0
    [[ -f $dir/pids ]] || { say "$name: not running (no $dir/pids)"; return 1; }
    while read -r pid comm; do
        [[ -n ${pid:-} ]] || continue
        n=$((n + 1))
        ours "$pid" "$comm" "$dir" || { say "$name: process $pid ($comm) is gone"; return 1; }
    done <"$dir/pids"
    ((n > 0)) || { say "$name: no processes listed in $dir/pids"; return 1; }
    # shellcheck disable=SC2086 # the port list is meant to split
    for p in ${PORTS_OF[$name]}; do
        port_open "$p" || { say "$name: port 127.0.0.1:$p does not accept connections"; return 1; }
    done
    say "$name: running (PIDs $(cut -d' ' -f1 "$dir/pids" | tr '\n' ' '| sed 's/ $//'), ports ${PORTS_OF[$name]})"
}

ok=0
for name in prosody ejabberd jabberd2; do
    healthy "$name" || ok=1
done
if [[ ! -f $S/env ]]; then
    say "env file $S/env is missing"
    ok=1
fi
exit "$ok"
