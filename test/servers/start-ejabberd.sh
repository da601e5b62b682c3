#!/usr/bin/env bash
# start-ejabberd.sh DIR: a throwaway ejabberd 23.01 on 127.0.0.1, everything inside DIR.
#
# Domain ejabberd.localhost; c2s 16222 (STARTTLS required), direct TLS 16223 (XEP-0368),
# component 16347 (XEP-0114, comp.ejabberd.localhost / compsecret), HTTP 16280 (BOSH /bosh,
# WebSocket /ws, upload /upload, admin API /api). Accounts: alice, bob, carol, admin and
# user01..user40, password = name + "pass". Started with erl directly (not ejabberdctl, which
# would su to the ejabberd user), non-distributed: no epmd, no cookie, no extra port.
# Prints the server PID when it is ready and the accounts exist.
#
# Environment:
#   EJABBERD_LOGLEVEL     loglevel (default info; debug logs every stanza)
#   EJABBERD_LOG_MODULES  space-separated Erlang modules logged at debug whatever the loglevel
#                         (ejabberd's log_modules_fully; default none), e.g.
#                         "mod_stream_mgmt ejabberd_sm" for stream management and routing only
#   EJABBERD_LOG_QUIET    space-separated Erlang modules logged at info at most whatever the
#                         loglevel, e.g. "ejabberd_hooks mod_client_state": most of a debug log
#                         under load is their lines (every hook run); default none
#   EJABBERD_LOG_LOSSLESS  1 = ejabberd.log loses nothing under load, for debugging: no burst limit,
#                         no rotation, and when 500 events wait to be written the processes that
#                         log wait for the file (sync mode) instead of having their events dropped
#                         (ejabberd's defaults drop above 500 events/s or 1000 waiting: a debug log
#                         of a loaded server has gaps); stdout.log gets notices and worse only.
#                         Slows a loaded server down. Default 0
#   EJABBERD_MAM_DEFAULT  mod_mam default archiving policy (default never: MAM makes ejabberd
#                         slow under load; the module stays loaded, XEP-0313 prefs can turn it on)
#   START_TIMEOUT         seconds to wait for readiness (default 60)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(abs_dir "${1:-}")
D=ejabberd.localhost
PORTS=(16222 16223 16347 16280)
LOGLEVEL=${EJABBERD_LOGLEVEL:-info}
[[ $LOGLEVEL =~ ^(none|emergency|alert|critical|error|warning|notice|info|debug)$ ]] || die "bad EJABBERD_LOGLEVEL"
LOG_MODULES=${EJABBERD_LOG_MODULES:-}
[[ $LOG_MODULES =~ ^[a-z0-9_\ ]*$ ]] || die "bad EJABBERD_LOG_MODULES (Erlang module names, space-separated)"
LOG_QUIET=${EJABBERD_LOG_QUIET:-}
[[ $LOG_QUIET =~ ^[a-z0-9_\ ]*$ ]] || die "bad EJABBERD_LOG_QUIET (Erlang module names, space-separated)"
LOSSLESS=${EJABBERD_LOG_LOSSLESS:-0}
[[ $LOSSLESS =~ ^[01]$ ]] || die "EJABBERD_LOG_LOSSLESS must be 0 or 1"
MAM_DEFAULT=${EJABBERD_MAM_DEFAULT:-never}
[[ $MAM_DEFAULT =~ ^(always|never|roster)$ ]] || die "EJABBERD_MAM_DEFAULT must be always, never or roster"
if ! command -v erl >/dev/null || [[ ! -x /usr/sbin/ejabberdctl ]]; then
    die "ejabberd is not installed (run test/servers/up.sh or apt-get install ejabberd)"
fi

# ejabberd's ebin directory is not in Erlang's default path; take the value ejabberdctl uses.
ERL_LIBS=$(sed -n "s/^ERL_LIBS='\(.*\)'$/\1/p" /usr/sbin/ejabberdctl)
[[ -n $ERL_LIBS ]] || die "could not read ERL_LIBS from /usr/sbin/ejabberdctl"

require_ports_free "${PORTS[@]}"

mkdir -p "$DIR/certs" "$DIR/spool" "$DIR/logs" "$DIR/upload"
self_signed_cert "$DIR/certs/$D.crt" "$DIR/certs/$D.key" "$D" \
    "DNS:$D,DNS:*.$D,DNS:conference.$D,DNS:upload.$D,DNS:pubsub.$D,DNS:comp.$D,DNS:localhost,IP:127.0.0.1"
cat "$DIR/certs/$D.key" "$DIR/certs/$D.crt" >"$DIR/certs/$D.pem" # ejabberd wants key + cert in one file
chmod 600 "$DIR/certs/$D.pem"

cat >"$DIR/ejabberd.yml" <<EOF
# Throwaway ejabberd 23.01 test server: loopback only, runs as root, no Erlang distribution.
# Written by start-ejabberd.sh.
loglevel: $LOGLEVEL
log_modules_fully: [$(printf '%s' "$LOG_MODULES" | xargs | sed 's/ /, /g')]  # EJABBERD_LOG_MODULES
hosts:
  - $D
certfiles:
  - "$DIR/certs/$D.pem"
acme:
  auto: false                   # never try to fetch certificates from the network

auth_method: internal
disable_sasl_mechanisms:
  - "X-OAUTH2"                  # needs OAuth tokens; DIGEST-MD5 stays enabled
auth_password_format: plain     # stored in clear: PLAIN + SCRAM-SHA-1/-256/-512 (+ -PLUS) offered
registration_timeout: infinity  # default 600 s = one in-band registration per IP per 10 min
s2s_access: none                # no server-to-server traffic at all

listen:
  -
    port: 16222
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: true
    starttls_required: true
    max_stanza_size: 262144
    shaper: none
    access: c2s
    backlog: 128                # default 5: parallel tests open many connections at once
  -
    port: 16223
    ip: "127.0.0.1"
    module: ejabberd_c2s
    tls: true                   # XEP-0368 direct TLS
    max_stanza_size: 262144
    shaper: none
    access: c2s
    backlog: 128                # default 5: parallel tests open many connections at once
  -
    port: 16347
    ip: "127.0.0.1"
    module: ejabberd_service    # XEP-0114
    backlog: 128
    hosts:
      "comp.$D":
        password: "$COMPONENT_SECRET"
  -
    port: 16280
    ip: "127.0.0.1"
    module: ejabberd_http
    backlog: 128
    request_handlers:
      /api: mod_http_api
      /bosh: mod_bosh
      /ws: ejabberd_http_ws
      /upload: mod_http_upload

acl:
  admin:
    user:
      - "admin@$D"
  local:                        # referenced by muc_create, pubsub_createnode and mod_http_upload
    user_regexp: ""
  loopback:
    ip:
      - 127.0.0.0/8
      - ::1/128

access_rules:
  local:
    allow: local
  configure:
    allow: admin
  c2s:
    allow: all
  register:
    allow: all
  muc_create:
    allow: local
  pubsub_createnode:
    allow: local

api_permissions:
  "loopback may do anything over HTTP":
    from:
      - mod_http_api
    who:
      ip: 127.0.0.1/8
    what: "*"

shaper_rules:
  max_user_sessions: 100
  max_user_offline_messages: 5000
  c2s_shaper: none

modules:
  mod_adhoc: {}
  mod_admin_extra: {}
  mod_blocking: {}
  mod_bosh: {}
  mod_caps: {}
  mod_carboncopy: {}
  mod_client_state: {}
  mod_configure: {}
  mod_disco: {}
  mod_http_api: {}
  mod_http_upload:
    put_url: "http://127.0.0.1:16280/upload"
    docroot: "$DIR/upload"
    max_size: 10485760
    thumbnail: false
  mod_last: {}
  mod_legacy_auth: {}
  mod_mam:
    default: $MAM_DEFAULT            # EJABBERD_MAM_DEFAULT; MAM (Mnesia) is slow under load
  mod_muc:
    access: all
    access_create: muc_create
    access_persistent: muc_create
    access_admin: none
    access_mam: all
    default_room_options:
      mam: true
  mod_muc_admin: {}
  mod_offline:
    access_max_user_messages: max_user_offline_messages
  mod_ping: {}
  mod_privacy: {}
  mod_private: {}
  mod_pubsub:
    access_createnode: pubsub_createnode
    plugins:
      - flat
      - pep
  mod_register:
    access: register
    ip_access: all
  mod_roster:
    versioning: true
  mod_stream_mgmt:
    resend_on_timeout: if_offline
    resume_timeout: 60
  mod_time: {}
  mod_vcard:
    search: false
  mod_vcard_xupdate: {}
  mod_version: {}
EOF

logfile="$DIR/logs/ejabberd.log"
offset=$(file_size "$logfile") # earlier runs in the same DIR left their own "is started" lines

# Logger settings that ejabberd.yml cannot make, applied once ejabberd has started (-s returns
# then), before any client connects: ejabberd_logger:start/0 fixes its handler's overload limits,
# and loading ejabberd.yml resets every module's level.
EVAL=()
if ((LOSSLESS)); then
    EVAL+=("ok = logger:update_handler_config(ejabberd_log, config, #{burst_limit_enable => false, max_no_bytes => infinity, sync_mode_qlen => 500, drop_mode_qlen => 10000000, flush_qlen => 20000000}), ok = logger:set_handler_config(default, level, notice)")
fi
if [[ -n ${LOG_QUIET// /} ]]; then
    EVAL+=("ok = logger:set_module_level([$(printf '%s' "$LOG_QUIET" | xargs | sed 's/ /, /g')], info)")
fi
EVAL_ARGS=()
if ((${#EVAL[@]})); then
    EVAL_ARGS=(-eval "$(IFS=,; printf '%s' "${EVAL[*]}")".)
fi

start=$(now_ms)
cd "$DIR" # erl writes a crash dump into the cwd if it cannot start
launch() {
    env HOME="$DIR" \
        ERL_LIBS="$ERL_LIBS" \
        EJABBERD_CONFIG_PATH="$DIR/ejabberd.yml" \
        EJABBERD_LOG_PATH="$logfile" \
        EJABBERD_PID_PATH="$DIR/ejabberd.pid" \
        CONTRIB_MODULES_PATH="$DIR/ejabberd-modules" \
        ERL_CRASH_DUMP="$DIR/logs/erl_crash.dump" \
        nohup erl -noinput -mnesia dir "\"$DIR/spool\"" -s ejabberd "${EVAL_ARGS[@]}" \
        </dev/null >>"$DIR/logs/stdout.log" 2>&1 8>&- 9>&- &
    pid=$! # erl -> erlexec -> beam.smp are exec()s: this is the beam.smp PID
    printf '%s\n' "$pid" >"$DIR/server.pid"
    printf '%s beam.smp\n' "$pid" >"$DIR/pids"
}

started() { log_has "$logfile" "$offset" "is started in the node" && ports_open "${PORTS[@]}"; }
# ejabberd 23.01 was seen once (in a restart test) to stop during start-up with "Maximum number
# (0) of ETS cache tables has reached": p1_cache_tab's counter NIF failed at its first table,
# which has nothing to do with this configuration. That failure, and only that one, gets a
# second start.
for attempt in 1 2; do
    launch
    if wait_until "$((start + ${START_TIMEOUT:-60} * 1000))" "ejabberd start-up and ports ${PORTS[*]}" "$pid" started; then
        break
    fi
    kill -TERM "$pid" 2>/dev/null || true
    if ((attempt == 1)) && ! alive "$pid" && log_has "$logfile" "$offset" "of ETS cache tables has reached"; then
        log "ejabberd's cache NIF failed at start-up (a known transient failure): starting it again"
        offset=$(file_size "$logfile")
        continue
    fi
    show_log_tail "$logfile" "$DIR/logs/error.log"
    exit 1
done

# api COMMAND JSON: POST to mod_http_api with plain bash (no curl on a minimal machine); prints
# the HTTP status code.
api() {
    local body=$2 status
    exec 3<>"/dev/tcp/127.0.0.1/16280"
    printf 'POST /api/%s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "${#body}" "$body" >&3
    read -r _ status _ <&3 || status=000
    cat <&3 >/dev/null
    exec 3<&-
    printf '%s\n' "$status"
}

# register USER...: create accounts; 409 = already registered (re-run on an existing DIR).
register() {
    local u status
    for u in "$@"; do
        status=$(api register "{\"user\":\"$u\",\"host\":\"$D\",\"password\":\"${u}pass\"}")
        case $status in
        200 | 409) ;;
        *) log "registering $u@$D failed: HTTP $status"; return 1 ;;
        esac
    done
}

# Four parallel batches: one HTTP request at a time takes ~20 ms each.
jobs_=()
for ((b = 0; b < 4; b++)); do
    batch=()
    for ((i = b; i < ${#ALL_USERS[@]}; i += 4)); do
        batch+=("${ALL_USERS[i]}")
    done
    register "${batch[@]}" &
    jobs_+=($!)
done
ok=1
for j in "${jobs_[@]}"; do
    wait "$j" || ok=0
done
if ((ok == 0)); then
    show_log_tail "$logfile"
    kill -TERM "$pid" 2>/dev/null || true
    exit 1
fi

log "ejabberd ready in $(($(now_ms) - start)) ms (DIR=$DIR)"
printf '%s\n' "$pid"
