#!/bin/sh
# OpenSSH's ssh client logs into simulated printers with each of the four
# login kinds and runs the management shell: settings export, import (per-
# setting results) and get; wrong passwords and refuse_login are refused;
# the host key survives a restart of quire-sim on the same state.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/sim/ssh-lib.sh"

FLEET="$TEST_DIR/fleet.yaml"
STATE="$TEST_DIR/state"
OUT="$TEST_DIR/sim.out"
cat >"$FLEET" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-C7500
    descr: "Quire QX-C7500 colour multifunction printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.2
    firmware: "7.5.12"
printers:
  - name: lab-user
    model: QX-C7500
    site: lab
    logins:
      - { kind: user, user: admin, password: user-pw-1 }
  - name: lab-domain
    model: QX-C7500
    site: lab
    logins:
      - { kind: domain, domain: CORP, user: alice, password: dom-pw-2 }
  - name: lab-sysmgr
    model: QX-C7500
    site: lab
    logins:
      - { kind: sysmgr, id: "4711", pin: "0815" }
  - name: lab-password
    model: QX-C7500
    site: lab
    logins:
      - { kind: password, password: dev-pw-3 }
  - name: lab-refuse
    model: QX-C7500
    site: lab
    logins:
      - { kind: user, user: admin, password: user-pw-1 }
    faults: { refuse_login: true }
EOF

sim_start "$FLEET" "$STATE" "$OUT"
grep -q '^# ready 5 printers' "$OUT" || fail "listing: $(cat "$OUT")"
H=127.0.0.1

# assert_export NAME YAML: the setting data of printer NAME.
assert_export() {
	assert_contains "$2" "quire: setting-data/1" "$1 export"
	assert_contains "$2" "name: $1" "$1 export"
	assert_contains "$2" "model: QX-C7500" "$1 export"
	assert_contains "$2" "settings:
  device.name: $1" "$1 export"
	assert_contains "$2" "  protocols.ftp.enable: false" "$1 export"
	assert_contains "$2" "  protocols.raw.port: 9100" "$1 export"
	assert_contains "$2" "  tls.min_version: \"1.2\"" "$1 export"
	assert_not_contains "$2" "snmp.community" "$1 export (secrets)"
}

# User Authentication.
out=$(ASK_PASSWORD=user-pw-1 sim_ssh "$(sim_ssh_port "$OUT" lab-user)" \
    admin $H settings export </dev/null) || fail "user login"
assert_export lab-user "$out"

# Domain Authentication: DOMAIN\user.
out=$(ASK_PASSWORD=dom-pw-2 sim_ssh "$(sim_ssh_port "$OUT" lab-domain)" \
    'CORP\alice' $H settings export </dev/null) || fail "domain login"
assert_export lab-domain "$out"
ASK_PASSWORD=dom-pw-2 sim_ssh "$(sim_ssh_port "$OUT" lab-domain)" \
    alice $H settings export </dev/null >/dev/null 2>&1 &&
    fail "domain login without the domain accepted"
pass "domain login needs DOMAIN\\user"

# System Manager ID + PIN, keyboard-interactive.
out=$(ASK_ID=4711 ASK_PIN=0815 sim_ssh "$(sim_ssh_port "$OUT" lab-sysmgr)" \
    operator $H settings export </dev/null) || fail "sysmgr login"
assert_export lab-sysmgr "$out"
ASK_ID=4711 ASK_PIN=9999 sim_ssh "$(sim_ssh_port "$OUT" lab-sysmgr)" \
    operator $H help </dev/null >/dev/null 2>&1 && fail "wrong PIN accepted"
pass "wrong PIN refused"
# A password is not what a System Manager ID printer takes.
ASK_PASSWORD=0815 sim_ssh "$(sim_ssh_port "$OUT" lab-sysmgr)" 4711 \
    -o PreferredAuthentications=password $H help </dev/null \
    >/dev/null 2>&1 && fail "password method accepted by a sysmgr printer"
pass "only keyboard-interactive offered for System Manager ID"

# Password Authentication: any user name.
out=$(ASK_PASSWORD=dev-pw-3 sim_ssh "$(sim_ssh_port "$OUT" lab-password)" \
    whoever $H settings export </dev/null) || fail "password login"
assert_export lab-password "$out"

# Wrong password, and a printer that refuses every login.
set +e
err=$(ASK_PASSWORD=wrong sim_ssh "$(sim_ssh_port "$OUT" lab-user)" admin \
    $H help </dev/null 2>&1)
rc=$?
set -e
assert_eq "$rc" 255 "ssh status with a wrong password"
assert_contains "$err" "Permission denied" "wrong password"
set +e
err=$(ASK_PASSWORD=user-pw-1 sim_ssh "$(sim_ssh_port "$OUT" lab-refuse)" \
    admin $H help </dev/null 2>&1)
rc=$?
set -e
assert_eq "$rc" 255 "ssh status with refuse_login"
assert_contains "$err" "Permission denied" "refuse_login"

USER_PORT=$(sim_ssh_port "$OUT" lab-user)
run_user() { ASK_PASSWORD=user-pw-1 sim_ssh "$USER_PORT" admin $H "$@"; }

# No shell, no PTY: exec only.
run_user </dev/null >/dev/null 2>&1 && fail "a shell request was served"
pass "shell request refused"
set +e
err=$(run_user frobnicate </dev/null 2>&1)
rc=$?
set -e
assert_eq "$rc" 2 "exit status of an unknown command"
assert_contains "$err" "unknown command"

# settings import: the good setting is applied, the bad one rejected.
cat >"$TEST_DIR/data.yaml" <<'EOF'
quire: setting-data/1
name: lab-standard
model: any
settings:
  device.location: "Floor 3, east"
  network.mtu: 99999
  power.sleep.timer_min: "030"
EOF
set +e
out=$(run_user settings import <"$TEST_DIR/data.yaml" 2>"$TEST_DIR/err")
rc=$?
set -e
assert_eq "$rc" 1 "exit status of an import with a rejected setting"
assert_contains "$out" "results:
  - key: device.location
    result: applied
  - key: network.mtu
    result: rejected
    reason: " "import results"
assert_contains "$out" "  - key: power.sleep.timer_min
    result: corrected
    value: 30" "import results"
out=$(run_user settings get device.location network.mtu \
    power.sleep.timer_min </dev/null)
assert_eq "$out" "device.location: \"Floor 3, east\"
network.mtu: 1500
power.sleep.timer_min: 30" "settings get after the import"
set +e
run_user settings get no.such.key </dev/null >/dev/null 2>&1
rc=$?
set -e
assert_eq "$rc" 1 "exit status of settings get of an unknown key"

# Bad YAML is named by line and column.
set +e
err=$(printf 'quire: setting-data/1\nsettings:\n  a: [b\n' |
    run_user settings import 2>&1)
set -e
assert_contains "$err" "stdin:4:1:" "YAML error position"

# The same host key after a restart on the same state.
fp() { ssh-keyscan -t ed25519 -p "$1" $H 2>/dev/null | ssh-keygen -lf - |
    awk '{print $2}'; }
before=$(fp "$USER_PORT")
[ -n "$before" ] || fail "no host key fingerprint"
OLD_PORT=$USER_PORT
sim_stop
sim_start "$FLEET" "$STATE" "$OUT"
USER_PORT=$(sim_ssh_port "$OUT" lab-user)
# (ssh-keyscan gives up after 5 s; a loaded machine may need another try.)
fp_after() { after=$(fp "$USER_PORT"); [ -n "$after" ]; }
after=
wait_for 30 fp_after || true
assert_eq "$after" "$before" "host key after a restart"
# ssh itself agrees: the key it kept for the old port, under the new port,
# and strict checking.
grep "^\[$H\]:$OLD_PORT " "$TEST_DIR/known_hosts" |
    sed "s/^\[$H\]:$OLD_PORT /[$H]:$USER_PORT /" >"$TEST_DIR/known_hosts.new"
[ -s "$TEST_DIR/known_hosts.new" ] || fail "no known_hosts entry"
mv "$TEST_DIR/known_hosts.new" "$TEST_DIR/known_hosts"
out=$(SSH_STRICT=yes run_user settings get device.location </dev/null)
assert_eq "$out" "device.location: \"Floor 3, east\"" "value after a restart"
[ "$(stat -c %a "$STATE/hostkeys/lab-user")" = 600 ] ||
    fail "host key file mode"
pass "host key kept 0600"
sim_stop
