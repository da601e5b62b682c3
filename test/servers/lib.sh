# shellcheck shell=bash
# Shared helpers for the throwaway test servers; sourced by the scripts in this directory.
#
# Conventions (see TESTING.md):
#   * every server runs in its own absolute directory DIR, bound to 127.0.0.1 only;
#   * the start scripts write DIR/pids: one line "PID COMM" per server process, where COMM is the
#     expected /proc/PID/comm; stop.sh only signals a PID whose comm matches and whose command
#     line mentions DIR (pid files go stale, PIDs get reused);
#   * a process counts as gone when it no longer exists or is a zombie.

SERVERS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck disable=SC2034 # REPO_ROOT, ALL_USERS, COMPONENT_SECRET: used by the sourcing scripts
REPO_ROOT=$(cd "$SERVERS_LIB_DIR/../.." && pwd -P)

# The fixed accounts (password = name + "pass") and the pool user01..user40 (same rule).
FIXED_USERS=(alice bob carol admin)
POOL_SIZE=40
POOL_USERS=()
u=""
for ((i = 1; i <= POOL_SIZE; i++)); do
    printf -v u 'user%02d' "$i"
    POOL_USERS+=("$u")
done
# shellcheck disable=SC2034
ALL_USERS=("${FIXED_USERS[@]}" "${POOL_USERS[@]}")
# shellcheck disable=SC2034
COMPONENT_SECRET=compsecret

# lock_rig: serialize up.sh and down.sh, which several tools (or people) may run at once in one
# checkout. The lock is flock(1) on fd 9; nested calls see PARLEY_RIG_LOCKED=1 and skip it.
# Server processes are started with fds 8 and 9 closed so that they never hold a rig lock.
lock_rig() {
    [[ ${PARLEY_RIG_LOCKED:-0} == 1 ]] && return 0
    mkdir -p "$REPO_ROOT/.servers"
    exec 9>"$REPO_ROOT/.servers/.rig.lock"
    flock 9
    export PARLEY_RIG_LOCKED=1
}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# now_ms prints the wall clock in milliseconds.
now_ms() {
    local t=${EPOCHREALTIME/./}
    printf '%s\n' "$((t / 1000))"
}

# abs_dir DIR: create DIR if needed, print its absolute physical path. Refuses characters that
# would need escaping in the Lua, YAML, XML and SQL files the start scripts write.
abs_dir() {
    local d=$1
    [[ -n $d ]] || die "usage: ${0##*/} DIR"
    case $d in
    *[\"\'\\\&\<\>\$\`]* | *$'\n'*) die "directory name must not contain quotes, backslashes, & < > \$ or backticks: $d" ;;
    esac
    mkdir -p "$d"
    (cd "$d" && pwd -P)
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# require_ports_free PORT...: refuse to start when a port is already taken (another listener
# would fool the readiness poll, and some servers keep running without the port).
require_ports_free() {
    local p
    for p in "$@"; do
        if port_open "$p"; then
            die "port 127.0.0.1:$p is already in use (another test server still running? see 'ss -ltnp' and 'make servers-stop')"
        fi
    done
}

# alive PID: the process exists and is not a zombie.
alive() {
    local pid=$1 stat rest
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    rest=${stat##*) }
    [[ ${rest%% *} != Z ]]
}

# ours PID COMM DIR: the process is alive, its comm is COMM and its command line mentions DIR.
ours() {
    local pid=$1 comm=$2 dir=$3 c cmd
    alive "$pid" || return 1
    c=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ $c == "$comm" ]] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$dir"* ]]
}

# file_size FILE: size in bytes, 0 when missing.
file_size() {
    local s
    s=$(stat -c %s "$1" 2>/dev/null) || s=0
    printf '%s\n' "$s"
}

# log_has FILE OFFSET TEXT: TEXT occurs in FILE after byte OFFSET (so earlier runs do not count).
log_has() {
    [[ -f $1 ]] && tail -c "+$(($2 + 1))" "$1" 2>/dev/null | grep -qF -- "$3"
}

# wait_until DEADLINE_MS WHAT PID CHECK...: poll CHECK (a command) every 50 ms until it succeeds.
# Fails when PID dies (or turns zombie) first or the deadline passes.
wait_until() {
    local deadline=$1 what=$2 pid=$3
    shift 3
    until "$@"; do
        alive "$pid" || { log "process $pid exited while waiting for $what"; return 1; }
        (($(now_ms) < deadline)) || { log "timed out waiting for $what"; return 1; }
        sleep 0.05
    done
}

# ports_open PORT...: all ports accept connections.
ports_open() {
    local p
    for p in "$@"; do
        port_open "$p" || return 1
    done
}

# self_signed_cert CRT KEY CN SAN: a self-signed RSA 2048 / SHA-256 certificate, 10 years, CA:TRUE
# (the openssl default for req -x509), reused when it already exists.
self_signed_cert() {
    local crt=$1 key=$2 cn=$3 san=$4
    if [[ -s $crt && -s $key ]]; then
        return 0
    fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -subj "/CN=$cn" \
        -addext "subjectAltName=$san" -keyout "$key" -out "$crt" 2>/dev/null ||
        die "openssl could not create the certificate $crt"
    chmod 600 "$key"
}

# show_log_tail FILE...: the last lines of each existing log, for failure reports.
show_log_tail() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || continue
        log "---- last lines of $f ----"
        tail -n 20 "$f" >&2
    done
}
