#!/bin/sh
# The management shell as a program: OpenSSH's sshd serves
# `quire-sim shell --printer NAME` through ForceCommand, beside quire-sim's
# own SSH endpoint for the same printer on the same state, and both answer
# alike (settings export, device info but its uptime, settings get); a
# change made through one is seen through the other.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/sim/ssh-lib.sh"

[ -n "${SSHD:-}" ] && [ -x "$SSHD" ] || { echo "SKIP: no sshd"; exit 77; }
command -v ssh-keygen >/dev/null 2>&1 || { echo "SKIP: no ssh-keygen"; exit 77; }
[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null ||
    { echo "SKIP: no /run/sshd"; exit 77; }

FLEET="$TEST_DIR/fleet.yaml"
STATE="$TEST_DIR/state"
OUT="$TEST_DIR/sim.out"
cat >"$FLEET" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-4200
    descr: "Quire QX-4200 monochrome laser printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.1
    firmware: "4.2.3"
printers:
  - name: lab-fc
    model: QX-4200
    site: lab
    logins:
      - { kind: user, user: admin, password: fc-pw-1 }
EOF
sim_start "$FLEET" "$STATE" "$OUT"
SIM_PORT=$(sim_ssh_port "$OUT" lab-fc)
H=127.0.0.1

# sshd on a free port, with its own host key and a key for this user.
ME=$(id -un)
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/id_ed25519"
cp "$TEST_DIR/id_ed25519.pub" "$TEST_DIR/authorized_keys"
chmod 600 "$TEST_DIR/authorized_keys"
SSHD_PORT=$(free_port tcp $H)
cat >"$TEST_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress $H
HostKey $TEST_DIR/host_ed25519
PidFile $TEST_DIR/sshd.pid
AuthorizedKeysFile $TEST_DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers $ME
ForceCommand $QUIRE_SIM shell --printer lab-fc --fleet $FLEET --state $STATE --addressing auto
EOF
"$SSHD" -D -e -f "$TEST_DIR/sshd_config" 2>"$TEST_DIR/sshd.log" &
test_track $!
wait_for 30 ssh-keyscan -p "$SSHD_PORT" $H ||
    { cat "$TEST_DIR/sshd.log" >&2; fail "sshd did not start"; }

# via_sshd COMMAND...: through sshd and ForceCommand, key login.
via_sshd() {
	HOME="$TEST_DIR/home" ssh -F /dev/null -p "$SSHD_PORT" -l "$ME" \
	    -i "$TEST_DIR/id_ed25519" -o IdentitiesOnly=yes \
	    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
	    -o UserKnownHostsFile="$TEST_DIR/known_hosts" \
	    -o GlobalKnownHostsFile=/dev/null \
	    -o StrictHostKeyChecking=accept-new -o BatchMode=yes \
	    -o ConnectTimeout=20 -o LogLevel=ERROR $H "$@"
}
# via_sim COMMAND...: quire-sim's own endpoint, password login.
via_sim() { ASK_PASSWORD=fc-pw-1 sim_ssh "$SIM_PORT" admin $H "$@"; }

a=$(via_sshd settings export </dev/null) || fail "export through sshd"
b=$(via_sim settings export </dev/null) || fail "export through quire-sim"
assert_contains "$a" "name: lab-fc
model: QX-4200
settings:
  device.name: lab-fc" "export through sshd"
assert_eq "$a" "$b" "settings export, sshd vs quire-sim"

a=$(via_sshd device info </dev/null | grep -v '^uptime_s:')
b=$(via_sim device info </dev/null | grep -v '^uptime_s:')
assert_contains "$a" "serial: " "device info through sshd"
assert_contains "$a" "firmware: \"4.2.3\"" "device info through sshd"
assert_eq "$a" "$b" "device info, sshd vs quire-sim"

KEYS="device.location protocols.raw.port network.dns.servers"
a=$(via_sshd settings get $KEYS </dev/null)
b=$(via_sim settings get $KEYS </dev/null)
assert_contains "$a" "protocols.raw.port: 9100" "settings get through sshd"
assert_eq "$a" "$b" "settings get, sshd vs quire-sim"

# Exit statuses travel alike.
set +e
via_sshd settings get no.such.key </dev/null >/dev/null 2>&1
rc_a=$?
via_sim settings get no.such.key </dev/null >/dev/null 2>&1
rc_b=$?
set -e
assert_eq "$rc_a" 1 "sshd: status of settings get of an unknown key"
assert_eq "$rc_b" 1 "quire-sim: status of settings get of an unknown key"

# One state: an import through sshd is what quire-sim's endpoint shows.
printf '%s\n' 'quire: setting-data/1' 'settings:' \
    '  device.location: "Rack 7"' '  network.dns.servers: [10.1.1.1]' |
    via_sshd settings import >"$TEST_DIR/import.out" ||
    fail "import through sshd: $(cat "$TEST_DIR/import.out")"
b=$(via_sim settings get device.location network.dns.servers </dev/null)
assert_eq "$b" "device.location: Rack 7
network.dns.servers:
  - \"10.1.1.1\"" "quire-sim sees the import made through sshd"
a=$(via_sshd settings get device.location network.dns.servers </dev/null)
assert_eq "$a" "$b" "settings get after the import, sshd vs quire-sim"
sim_stop
