#!/usr/bin/env bash
# stop.sh DIR: stop the server(s) a start-*.sh script started in DIR.
#
# Reads DIR/pids ("PID COMM" lines), sends SIGTERM to every listed process that is still ours
# (comm matches and the command line mentions DIR: pid files go stale) all at once, waits until
# they are gone (a zombie counts as gone), and sends SIGKILL to what is left after STOP_TIMEOUT
# seconds (default 20). Exits 0 when nothing of DIR is running afterwards.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -n ${1:-} ]] || die "usage: ${0##*/} DIR"
[[ -d $1 ]] || { log "no such directory: $1 (nothing to stop)"; exit 0; }
DIR=$(cd "$1" && pwd -P)
[[ -f $DIR/pids ]] || { log "no $DIR/pids (nothing to stop)"; exit 0; }

pids=()
while read -r pid comm; do
    [[ -n ${pid:-} ]] || continue
    if ours "$pid" "$comm" "$DIR"; then
        pids+=("$pid")
    fi
done <"$DIR/pids"

if ((${#pids[@]} == 0)); then
    rm -f "$DIR/pids"
    exit 0
fi

start=$(now_ms)
kill -TERM "${pids[@]}" 2>/dev/null || true

any_alive() {
    local p
    for p in "${pids[@]}"; do
        alive "$p" && return 0
    done
    return 1
}

deadline=$((start + ${STOP_TIMEOUT:-20} * 1000))
while any_alive && (($(now_ms) < deadline)); do
    sleep 0.05
done

if any_alive; then
    for p in "${pids[@]}"; do
        if alive "$p"; then
            log "PID $p did not stop after SIGTERM; sending SIGKILL"
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    deadline=$(($(now_ms) + 5000))
    while any_alive && (($(now_ms) < deadline)); do
        sleep 0.05
    done
    if any_alive; then
        die "could not stop ${pids[*]} (DIR=$DIR)"
    fi
fi
rm -f "$DIR/pids"
log "stopped ${pids[*]} in $(($(now_ms) - start)) ms (DIR=$DIR)"
