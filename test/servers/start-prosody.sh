#!/usr/bin/env bash
# start-prosody.sh DIR: a throwaway Prosody 0.12 on 127.0.0.1, everything inside DIR.
#
# Domain localhost; c2s 15222 (STARTTLS required), direct TLS 15223 (XEP-0368), component 15347
# (XEP-0114, comp.localhost / compsecret), HTTP 15280 (BOSH, WebSocket, upload). Accounts:
# alice, bob, carol, admin and user01..user40, password = name + "pass".
# Prints the server PID when every port accepts connections.
#
# Environment:
#   PROSODY_LOGLEVEL      log level of DIR/prosody.log (default info; debug logs every stanza)
#   PROSODY_DIRECT_TLS12  1 (default) caps the direct-TLS port at TLS 1.2, so SCRAM-*-PLUS
#                         (tls-unique) is offered there; 0 leaves it at TLS 1.3 like 15222
#   START_TIMEOUT         seconds to wait for readiness (default 60)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(abs_dir "${1:-}")
DOMAIN=localhost
PORTS=(15222 15223 15347 15280)
LOGLEVEL=${PROSODY_LOGLEVEL:-info}
[[ $LOGLEVEL =~ ^(debug|info|warn|error)$ ]] || die "PROSODY_LOGLEVEL must be debug, info, warn or error"
command -v prosody >/dev/null || die "prosody is not installed (run test/servers/up.sh or apt-get install prosody)"

require_ports_free "${PORTS[@]}"

mkdir -p "$DIR/certs" "$DIR/data"
chmod 700 "$DIR/data"
self_signed_cert "$DIR/certs/$DOMAIN.crt" "$DIR/certs/$DOMAIN.key" "$DOMAIN" \
    "DNS:$DOMAIN,DNS:*.$DOMAIN,DNS:conference.$DOMAIN,DNS:upload.$DOMAIN,DNS:pubsub.$DOMAIN,DNS:comp.$DOMAIN,IP:127.0.0.1"

direct_tls=""
if [[ ${PROSODY_DIRECT_TLS12:-1} == 1 ]]; then
    direct_tls='c2s_direct_tls_ssl = { protocol = "tlsv1_2" }  -- PROSODY_DIRECT_TLS12=1: SCRAM-*-PLUS on 15223'
fi

cat >"$DIR/prosody.cfg.lua" <<EOF
-- Throwaway Prosody 0.12 test server: loopback only, runs as root. Written by start-prosody.sh.
run_as_root = true                 -- mod_posix refuses to start as root without this
pidfile = "$DIR/prosody.pid"
data_path = "$DIR/data"            -- absolute: relative paths depend on the start-up cwd
log = { $LOGLEVEL = "$DIR/prosody.log" }

interfaces = { "127.0.0.1" }       -- every listener binds to loopback only
local_interfaces = { "127.0.0.1" }
c2s_ports = { 15222 }
c2s_direct_tls_ports = { 15223 }   -- XEP-0368 direct TLS
$direct_tls
legacy_ssl_ports = { }
component_ports = { 15347 }
component_interfaces = { "127.0.0.1" }
http_ports = { 15280 }
http_interfaces = { "127.0.0.1" }
https_ports = { }                  -- otherwise mod_http also opens 5281 on every interface
https_interfaces = { }
s2s_ports = { }
modules_disabled = { "s2s" }       -- s2s is auto-loaded; this disables it

ssl = {
    certificate = "$DIR/certs/$DOMAIN.crt";
    key = "$DIR/certs/$DOMAIN.key";
}

c2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_plain"  -- plaintext storage: PLAIN, SCRAM-SHA-1 and SCRAM-SHA-256
storage = "internal"
admins = { "admin@$DOMAIN" }
allow_registration = true          -- XEP-0077; loopback is on the registration allowlist

consider_websocket_secure = true   -- plain-HTTP WebSocket/BOSH on loopback may authenticate
consider_bosh_secure = true
http_default_host = "$DOMAIN"      -- Host: 127.0.0.1:15280 is served as $DOMAIN

archive_expires_after = "never"
default_archive_policy = true
smacks_hibernation_time = 60

modules_enabled = {
    "roster"; "saslauth"; "tls"; "disco"; "carbons"; "pep"; "private";
    "blocklist"; "vcard"; "version"; "uptime"; "time"; "ping"; "register";
    "admin_adhoc"; "mam"; "smacks"; "csi_simple"; "bookmarks"; "lastactivity";
    "legacyauth"; "bosh"; "websocket"; "http";
}

VirtualHost "$DOMAIN"

Component "conference.$DOMAIN" "muc"
    modules_enabled = { "muc_mam" }
    restrict_room_creation = false

Component "upload.$DOMAIN" "http_file_share"
    http_host = "$DOMAIN"                          -- mount /file_share on the main HTTP host
    http_external_url = "http://127.0.0.1:15280/"  -- slot URLs use 127.0.0.1
    http_file_share_size_limit = 10485760

Component "pubsub.$DOMAIN" "pubsub"

Component "comp.$DOMAIN"
    component_secret = "$COMPONENT_SECRET"
EOF

# Accounts: internal_plain keeps one Lua file per user (the format prosodyctl register writes);
# writing them directly takes milliseconds instead of ~0.05 s per prosodyctl call.
accounts="$DIR/data/$DOMAIN/accounts"
mkdir -p "$accounts"
chmod 750 "$DIR/data/$DOMAIN" "$accounts"
for u in "${ALL_USERS[@]}"; do
    printf 'return {\n\t["password"] = "%s";\n};\n' "${u}pass" >"$accounts/$u.dat"
    chmod 640 "$accounts/$u.dat"
done

start=$(now_ms)
cd "$DIR"
nohup prosody --config "$DIR/prosody.cfg.lua" -F </dev/null >"$DIR/prosody.stdout" 2>&1 8>&- 9>&- &
pid=$!   # the lua5.4 process itself: nohup and env exec
printf '%s\n' "$pid" >"$DIR/server.pid"
printf '%s lua5.4\n' "$pid" >"$DIR/pids"

if ! wait_until "$((start + ${START_TIMEOUT:-60} * 1000))" "Prosody ports ${PORTS[*]}" "$pid" ports_open "${PORTS[@]}"; then
    show_log_tail "$DIR/prosody.log" "$DIR/prosody.stdout"
    kill -TERM "$pid" 2>/dev/null || true
    exit 1
fi
log "Prosody ready in $(($(now_ms) - start)) ms (DIR=$DIR)"
printf '%s\n' "$pid"
