#!/usr/bin/env bash
# start-jabberd2.sh DIR: a throwaway jabberd2 2.7 (router + sm + c2s) on 127.0.0.1, all in DIR.
#
# Domain jabberd2.localhost; c2s 17222 (plain + STARTTLS), direct TLS 17223; router 17347 speaks
# both the jabberd2 component protocol (router user comp.jabberd2.localhost / compsecret, SASL
# DIGEST-MD5) and XEP-0114 (shared secret compsecret). Storage: sqlite (DIR/sqlite.db). Legacy
# auth (XEP-0078) and in-band registration (XEP-0077) are on. No MUC, no HTTP upload, no s2s.
# Accounts: alice, bob, carol, admin and user01..user40, password = name + "pass".
# Prints "router=PID sm=PID c2s=PID" when c2s accepts connections.
#
# Environment (the variants verified in /work/shared/jabberd2.md):
#   JABBERD2_SASL              SASL mechanisms inside <sasl> (default: plain digest-md5
#                              scram-sha-1 scram-sha-256); "" offers no SASL, only iq:auth
#   JABBERD2_LEGACY            XEP-0078 methods inside <traditional> (default: plain digest)
#   JABBERD2_REQUIRE_STARTTLS  1 = require STARTTLS on 17222 (default 0)
#   JABBERD2_SCHEMA            SQL file (.gz allowed) creating the database (default: the
#                              package's db-setup.sqlite.gz, else jabberd2-schema.sql here)
#   START_TIMEOUT              seconds to wait for readiness (default 30)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(abs_dir "${1:-}")
D=jabberd2.localhost
PORTS=(17347 17222 17223)
for b in jabberd2-router jabberd2-sm jabberd2-c2s sqlite3 openssl; do
    command -v "$b" >/dev/null || [[ -x /usr/sbin/$b ]] ||
        die "$b is not installed (run test/servers/up.sh or apt-get install jabberd2 sqlite3 openssl)"
done
MODDIR=""
for m in /usr/lib/*/jabberd2/authreg_sqlite.so /usr/lib/jabberd2/authreg_sqlite.so; do
    if [[ -f $m ]]; then
        MODDIR=${m%/*}
        break
    fi
done
[[ -n $MODDIR ]] || die "jabberd2 modules (authreg_sqlite.so) not found under /usr/lib"

mechs() { # mechs LIST: "a b" -> "<a/><b/>"
    local m out=""
    for m in $1; do
        [[ $m =~ ^[a-z0-9-]+$ ]] || die "bad mechanism name: $m"
        out+="<$m/>"
    done
    printf '%s' "$out"
}
SASL=$(mechs "${JABBERD2_SASL-plain digest-md5 scram-sha-1 scram-sha-256}")
LEGACY=$(mechs "${JABBERD2_LEGACY-plain digest}")
REQUIRE_STARTTLS=""
[[ ${JABBERD2_REQUIRE_STARTTLS:-0} == 1 ]] && REQUIRE_STARTTLS=" require-starttls='yes'"

require_ports_free "${PORTS[@]}"

mkdir -p "$DIR/logs"
# jabberd2 reads the certificate chain and the private key from one pem file.
self_signed_cert "$DIR/server.crt" "$DIR/server.key" "$D" \
    "DNS:$D,DNS:*.$D,DNS:localhost,IP:127.0.0.1"
cat "$DIR/server.crt" "$DIR/server.key" >"$DIR/server.pem"
chmod 600 "$DIR/server.pem"

cat >"$DIR/router-users.xml" <<EOF
<users>
  <user><name>jabberd</name><secret>routersecret</secret></user>
  <user><name>comp.$D</name><secret>$COMPONENT_SECRET</secret></user>
</users>
EOF

cat >"$DIR/router.xml" <<EOF
<router>
  <id>router</id>
  <pidfile>$DIR/router.pid</pidfile>
  <log type='file'><file>$DIR/logs/router.log</file></log>
  <local>
    <ip>127.0.0.1</ip>
    <port>17347</port>
    <users>$DIR/router-users.xml</users>
    <!-- XEP-0114 (jabber:component:accept + handshake) shared secret -->
    <secret>$COMPONENT_SECRET</secret>
  </local>
  <check><interval>60</interval><keepalive>0</keepalive></check>
  <io>
    <max_fds>256</max_fds>
    <limits><bytes>0</bytes><connects>0</connects></limits>
    <access><order>allow,deny</order></access>
  </io>
  <aci>
    <!-- 'jabberd' (sm and c2s) may do everything, bind any name included -->
    <acl type='all'><user>jabberd</user></acl>
  </aci>
</router>
EOF

router_client() { # the <router> block sm and c2s use to reach the router
    cat <<EOF
  <router>
    <ip>127.0.0.1</ip><port>17347</port>
    <user>jabberd</user><pass>routersecret</pass>
    <retry><init>10</init><lost>3</lost><sleep>1</sleep></retry>
  </router>
EOF
}

cat >"$DIR/sm.xml" <<EOF
<sm>
  <id>sm</id>
  <pidfile>$DIR/sm.pid</pidfile>
$(router_client)
  <log type='file'><file>$DIR/logs/sm.log</file></log>
  <local><id>$D</id></local>
  <storage>
    <path>$MODDIR</path>
    <driver>sqlite</driver>
    <sqlite><dbname>$DIR/sqlite.db</dbname><busy-timeout>2000</busy-timeout></sqlite>
  </storage>
  <aci><acl type='all'><jid>admin@$D</jid></acl></aci>
  <modules>
    <path>$MODDIR</path>
    <chain id='sess-start'><module>status</module></chain>
    <chain id='sess-end'><module>status</module><module>iq-last</module></chain>
    <chain id='in-sess'>
      <module>validate</module><module>status</module><module>privacy</module>
      <module>roster</module><module>vacation</module><module>iq-vcard</module>
      <module>iq-ping</module><module>iq-private</module><module>disco</module>
      <module>amp</module><module>offline</module><module>announce</module>
      <module>presence</module><module>deliver</module>
    </chain>
    <chain id='out-sess'></chain>
    <chain id='in-router'>
      <module>session</module><module>validate</module><module>presence</module><module>privacy</module>
    </chain>
    <chain id='out-router'><module>privacy</module></chain>
    <chain id='pkt-sm'>
      <module>iq-last</module><module>iq-ping</module><module>iq-time</module>
      <module>iq-version</module><module>amp</module><module>disco</module>
      <module>announce</module><module>help</module><module>echo</module>
      <module>status</module><module>presence</module>
    </chain>
    <chain id='pkt-user'>
      <module>roster</module><module>presence</module><module>disco</module>
      <module>iq-vcard</module><module>amp</module><module>deliver</module>
      <module>vacation</module><module>offline</module><module>iq-last</module>
    </chain>
    <chain id='pkt-router'><module>session</module><module>disco</module></chain>
    <chain id='user-load'>
      <module>active</module><module>roster</module><module>roster-publish</module>
      <module>privacy</module><module>vacation</module>
    </chain>
    <chain id='user-unload'></chain>
    <chain id='user-create'><module>active</module><module>template-roster</module></chain>
    <chain id='user-delete'>
      <module>active</module><module>announce</module><module>offline</module>
      <module>privacy</module><module>roster</module><module>vacation</module>
      <module>status</module><module>iq-last</module><module>iq-private</module>
      <module>iq-vcard</module>
    </chain>
    <chain id='disco-extend'><module>iq-version</module><module>help</module></chain>
  </modules>
  <discovery>
    <identity><category>server</category><type>im</type><name>jabberd2 test server</name></identity>
    <agents/>
    <items/>
  </discovery>
  <user><template/></user>
</sm>
EOF

cat >"$DIR/c2s.xml" <<EOF
<c2s>
  <id>c2s</id>
  <pidfile>$DIR/c2s.pid</pidfile>
$(router_client)
  <log type='file'><file>$DIR/logs/c2s.log</file></log>
  <local>
    <!-- pemfile here = STARTTLS on the plain port; register-enable = XEP-0077 -->
    <id register-enable='yes' pemfile='$DIR/server.pem'$REQUIRE_STARTTLS>$D</id>
    <ip>127.0.0.1</ip>
    <port>17222</port>
    <!-- direct TLS port; needs local/pemfile -->
    <ssl-port>17223</ssl-port>
    <pemfile>$DIR/server.pem</pemfile>
  </local>
  <io>
    <max_fds>1024</max_fds>
    <limits>
      <bytes>0</bytes>
      <stanzas>0</stanzas>
      <connects>0</connects>
      <stanzasize>262144</stanzasize>
    </limits>
    <access><order>allow,deny</order></access>
    <check><interval>0</interval><idle>0</idle><keepalive>0</keepalive></check>
  </io>
  <authreg>
    <path>$MODDIR</path>
    <module>sqlite</module>
    <mechanisms>
      <traditional>$LEGACY</traditional>
      <sasl>$SASL</sasl>
    </mechanisms>
    <sqlite>
      <dbname>$DIR/sqlite.db</dbname>
      <busy-timeout>2000</busy-timeout>
      <password_type><plaintext/></password_type>
    </sqlite>
  </authreg>
</c2s>
EOF

# Database and accounts. An account is two rows: authreg (c2s checks the password) and active
# (without it the sm never answers the bind). Re-running replaces the rows.
# The schema: the package's (JABBERD2_SCHEMA overrides), or our copy when the docs are stripped.
if [[ ! -s $DIR/sqlite.db ]]; then
    schema=${JABBERD2_SCHEMA:-/usr/share/doc/jabberd2/db-setup.sqlite.gz}
    [[ -f $schema ]] || schema=$SERVERS_LIB_DIR/jabberd2-schema.sql
    case $schema in
    *.gz) zcat "$schema" | sqlite3 "$DIR/sqlite.db" >/dev/null ;;
    *) sqlite3 "$DIR/sqlite.db" <"$schema" >/dev/null ;;
    esac
fi
{
    echo "BEGIN;"
    for u in "${ALL_USERS[@]}"; do
        echo "DELETE FROM authreg WHERE username='$u' AND realm='$D';"
        echo "DELETE FROM active WHERE \"collection-owner\"='$u@$D';"
        echo "INSERT INTO authreg (username, realm, password) VALUES ('$u', '$D', '${u}pass');"
        echo "INSERT INTO active (\"collection-owner\", time) VALUES ('$u@$D', strftime('%s','now'));"
    done
    echo "COMMIT;"
} | sqlite3 "$DIR/sqlite.db"

start=$(now_ms)
deadline=$((start + ${START_TIMEOUT:-30} * 1000))
started=()
: >"$DIR/pids"
fail() {
    log "$1"
    show_log_tail "$DIR/logs/router.log" "$DIR/logs/sm.log" "$DIR/logs/c2s.log" "$DIR/router.out" "$DIR/sm.out" "$DIR/c2s.out"
    ((${#started[@]} == 0)) || kill -TERM "${started[@]}" 2>/dev/null || true
    exit 1
}
sm_off=$(file_size "$DIR/logs/sm.log")
c2s_off=$(file_size "$DIR/logs/c2s.log")
sm_ready() { log_has "$DIR/logs/sm.log" "$sm_off" "ready for sessions"; }
c2s_ready() { log_has "$DIR/logs/c2s.log" "$c2s_off" "ready for connections" && ports_open 17222 17223; }

cd "$DIR"
declare -A pid
for p in router sm c2s; do
    nohup "jabberd2-$p" -c "$DIR/$p.xml" </dev/null >"$DIR/$p.out" 2>&1 8>&- 9>&- &
    pid[$p]=$!
    started+=("${pid[$p]}")
    printf '%s jabberd2-%s\n' "${pid[$p]}" "$p" >>"$DIR/pids"
    case $p in # readiness, in order: sm and c2s connect to the router
    router) wait_until "$deadline" "the jabberd2 router on 17347" "${pid[$p]}" port_open 17347 || fail "router did not start" ;;
    sm) wait_until "$deadline" "jabberd2-sm 'ready for sessions'" "${pid[$p]}" sm_ready || fail "sm did not start" ;;
    c2s) wait_until "$deadline" "jabberd2-c2s on 17222 and 17223" "${pid[$p]}" c2s_ready || fail "c2s did not start" ;;
    esac
done
log "jabberd2 ready in $(($(now_ms) - start)) ms (DIR=$DIR)"
printf 'router=%s sm=%s c2s=%s\n' "${pid[router]}" "${pid[sm]}" "${pid[c2s]}"
