#!/usr/bin/env bash
# up.sh: start Prosody, ejabberd and jabberd2 for the tests (make servers).
#
# 1. Installs missing packages with apt-get (only when a needed binary is missing;
#    PARLEY_FORCE_INSTALL=1 runs the install even so, to test this path).
# 2. Does nothing when the three servers are already running and healthy (status.sh).
# 3. Otherwise stops leftovers, starts the three in parallel in fresh directories
#    <repo>/.servers/{prosody,ejabberd,jabberd2} and writes <repo>/.servers/env (see TESTING.md).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$REPO_ROOT/.servers
NAMES=(prosody ejabberd jabberd2)

# ---- 1. packages ------------------------------------------------------------------------------

# Server packages: needed. Interop clients (other tests may use them): installed when missing,
# but a failure there is only a warning.
REQUIRED=()
have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /usr/bin/$1 ]]; }
have openssl || REQUIRED+=(openssl)
have sqlite3 || REQUIRED+=(sqlite3)
have prosody || REQUIRED+=(prosody)
{ have erl && [[ -x /usr/sbin/ejabberdctl ]]; } || REQUIRED+=(ejabberd)
{ have jabberd2-router && have jabberd2-sm && have jabberd2-c2s; } || REQUIRED+=(jabberd2)
# Not servers, but make test needs them on a fresh machine: go test -race needs cgo (a C
# compiler), and Go fetches modules over HTTPS.
have gcc || REQUIRED+=(gcc libc6-dev)
[[ -s /etc/ssl/certs/ca-certificates.crt ]] || REQUIRED+=(ca-certificates)
if [[ ${PARLEY_FORCE_INSTALL:-0} == 1 ]]; then # exercise the install path on a set-up machine
    REQUIRED=(openssl sqlite3 prosody ejabberd jabberd2 gcc libc6-dev ca-certificates)
fi
OPTIONAL=()
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if have dpkg-query; then
    for p in python3-slixmpp python3-aioxmpp libnet-xmpp-perl go-sendxmpp; do
        installed "$p" || OPTIONAL+=("$p")
    done
fi

apt_install() { # apt_install PKG...: retries while dpkg is locked by someone else
    local try
    for try in 1 2 3 4 5; do
        if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            -o DPkg::Lock::Timeout=120 "$@"; then
            return 0
        fi
        log "apt-get install failed (attempt $try); retrying in 5 s"
        sleep 5
    done
    return 1
}

if ((${#REQUIRED[@]} + ${#OPTIONAL[@]} > 0)); then
    have apt-get || die "missing: ${REQUIRED[*]} ${OPTIONAL[*]}; install them (Debian 12 package names)"
    SUDO=""
    if ((EUID != 0)); then
        have sudo || die "missing packages ${REQUIRED[*]} ${OPTIONAL[*]}: run as root or install sudo"
        SUDO=sudo
    fi
    log "installing: ${REQUIRED[*]} ${OPTIONAL[*]}"
    # Keep the packages' own services (all interfaces, standard ports) from being started by
    # their postinst scripts, unless the machine already has a policy.
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# added by parley test/servers/up.sh during apt-get install\nexit 101\n' |
            $SUDO tee "$policy" >/dev/null
        $SUDO chmod 755 "$policy"
        trap '$SUDO rm -f "$policy"' EXIT
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=120 ||
        log "apt-get update failed; trying the install anyway"
    if ! apt_install "${REQUIRED[@]}" "${OPTIONAL[@]}"; then
        ((${#REQUIRED[@]} > 0)) || log "warning: could not install ${OPTIONAL[*]}"
        if ((${#REQUIRED[@]} > 0)); then
            apt_install "${REQUIRED[@]}" || die "could not install ${REQUIRED[*]}"
            log "warning: could not install ${OPTIONAL[*]}"
        fi
    fi
fi

# ---- 2. already running? -----------------------------------------------------------------------

# PARLEY_UP_OWNED=1 (set by with-servers.sh): servers this call starts may be stopped again by
# with-servers.sh when no run uses them any more (marker .servers/.owned). Without it (make
# servers) the servers are the user's: they stay up until make servers-stop.
lock_rig
if "$SERVERS_LIB_DIR/status.sh" -q; then
    [[ ${PARLEY_UP_OWNED:-0} == 1 ]] || rm -f "$S/.owned"
    log "servers already running and healthy (env: $S/env); nothing to do"
    exit 0
fi
if [[ -d $S ]]; then
    "$SERVERS_LIB_DIR/down.sh" >/dev/null 2>&1 || true # leftovers of an earlier, broken run
fi

# ---- 3. start ----------------------------------------------------------------------------------

start=$(now_ms)
mkdir -p "$S"
rm -f "$S/env"
declare -A job
for name in "${NAMES[@]}"; do
    rm -rf "${S:?}/$name"
    mkdir -p "$S/$name"
    "$SERVERS_LIB_DIR/start-$name.sh" "$S/$name" >"$S/$name.start.log" 2>&1 &
    job[$name]=$!
done
failed=()
for name in "${NAMES[@]}"; do
    wait "${job[$name]}" || failed+=("$name")
done
if ((${#failed[@]} > 0)); then
    for name in "${failed[@]}"; do
        log "---- $name did not start; $S/$name.start.log: ----"
        cat "$S/$name.start.log" >&2
    done
    "$SERVERS_LIB_DIR/down.sh" >/dev/null 2>&1 || true
    die "could not start: ${failed[*]}"
fi
for name in "${NAMES[@]}"; do
    mkdir -p "$S/$name/locks" # testenv's per-account lock files
done

# ---- 4. env file -------------------------------------------------------------------------------

# emit KEY VALUE: a shell-sourceable line; values with other characters than [A-Za-z0-9_./:@+-]
# are single-quoted (abs_dir already refused quotes in paths).
emit() {
    if [[ $2 =~ ^[A-Za-z0-9_./:@+-]*$ ]]; then
        printf '%s=%s\n' "$1" "$2"
    else
        printf "%s='%s'\n" "$1" "$2"
    fi
}
pool="${POOL_USERS[*]}"
{
    echo "# Test servers started by test/servers/up.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); see TESTING.md."
    echo "# Accounts on every server: alice bob carol admin + PARLEY_<NAME>_POOL; password = name + \"pass\"."
    emit PARLEY_SERVERS "${NAMES[*]}"
    emit PARLEY_FIXED_ACCOUNTS "${FIXED_USERS[*]}"

    d=localhost
    emit PARLEY_PROSODY_DIR "$S/prosody"
    emit PARLEY_PROSODY_DOMAIN "$d"
    emit PARLEY_PROSODY_ADDR 127.0.0.1:15222
    emit PARLEY_PROSODY_TLS_ADDR 127.0.0.1:15223
    emit PARLEY_PROSODY_CA "$S/prosody/certs/$d.crt"
    emit PARLEY_PROSODY_COMPONENT_ADDR 127.0.0.1:15347
    emit PARLEY_PROSODY_COMPONENT_DOMAIN "comp.$d"
    emit PARLEY_PROSODY_COMPONENT_SECRET "$COMPONENT_SECRET"
    emit PARLEY_PROSODY_MUC "conference.$d"
    emit PARLEY_PROSODY_UPLOAD "upload.$d"
    emit PARLEY_PROSODY_PUBSUB "pubsub.$d"
    emit PARLEY_PROSODY_HTTP http://127.0.0.1:15280
    emit PARLEY_PROSODY_WEBSOCKET ws://127.0.0.1:15280/xmpp-websocket
    emit PARLEY_PROSODY_BOSH http://127.0.0.1:15280/http-bind
    if [[ ${PROSODY_DIRECT_TLS12:-1} == 1 ]]; then
        emit PARLEY_PROSODY_TLS_MAX 1.2
    else
        emit PARLEY_PROSODY_TLS_MAX ""
    fi
    emit PARLEY_PROSODY_POOL "$pool"

    d=ejabberd.localhost
    emit PARLEY_EJABBERD_DIR "$S/ejabberd"
    emit PARLEY_EJABBERD_DOMAIN "$d"
    emit PARLEY_EJABBERD_ADDR 127.0.0.1:16222
    emit PARLEY_EJABBERD_TLS_ADDR 127.0.0.1:16223
    emit PARLEY_EJABBERD_CA "$S/ejabberd/certs/$d.crt"
    emit PARLEY_EJABBERD_COMPONENT_ADDR 127.0.0.1:16347
    emit PARLEY_EJABBERD_COMPONENT_DOMAIN "comp.$d"
    emit PARLEY_EJABBERD_COMPONENT_SECRET "$COMPONENT_SECRET"
    emit PARLEY_EJABBERD_MUC "conference.$d"
    emit PARLEY_EJABBERD_UPLOAD "upload.$d"
    emit PARLEY_EJABBERD_PUBSUB "pubsub.$d"
    emit PARLEY_EJABBERD_HTTP http://127.0.0.1:16280
    emit PARLEY_EJABBERD_WEBSOCKET ws://127.0.0.1:16280/ws
    emit PARLEY_EJABBERD_BOSH http://127.0.0.1:16280/bosh
    emit PARLEY_EJABBERD_API http://127.0.0.1:16280/api
    emit PARLEY_EJABBERD_POOL "$pool"

    d=jabberd2.localhost
    emit PARLEY_JABBERD2_DIR "$S/jabberd2"
    emit PARLEY_JABBERD2_DOMAIN "$d"
    emit PARLEY_JABBERD2_ADDR 127.0.0.1:17222
    emit PARLEY_JABBERD2_TLS_ADDR 127.0.0.1:17223
    emit PARLEY_JABBERD2_CA "$S/jabberd2/server.crt"
    emit PARLEY_JABBERD2_COMPONENT_ADDR 127.0.0.1:17347
    emit PARLEY_JABBERD2_COMPONENT_DOMAIN "comp.$d"
    emit PARLEY_JABBERD2_COMPONENT_SECRET "$COMPONENT_SECRET"
    emit PARLEY_JABBERD2_ROUTER_USER "comp.$d"
    emit PARLEY_JABBERD2_MUC ""
    emit PARLEY_JABBERD2_UPLOAD ""
    emit PARLEY_JABBERD2_HTTP ""
    emit PARLEY_JABBERD2_POOL "$pool"
} >"$S/env.tmp"
mv "$S/env.tmp" "$S/env"
if [[ ${PARLEY_UP_OWNED:-0} == 1 ]]; then
    : >"$S/.owned"
else
    rm -f "$S/.owned"
fi

for name in "${NAMES[@]}"; do
    printf '%-9s %s\n' "$name:" "$(tail -n 1 "$S/$name.start.log")"
done
log "servers up in $(($(now_ms) - start)) ms; env file: $S/env (logs: $S/<name>/)"
