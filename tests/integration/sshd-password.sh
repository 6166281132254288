#!/bin/sh
# User Authentication (user + password) through OpenSSH's sshd, which
# serves quire-sim's management shell through ForceCommand: the check logs
# in and records the login; a wrong password ends with a clear reason and
# the right login is still found after it. sshd checks passwords against
# the system's accounts (UsePAM no), so the test makes a throwaway account
# and removes it at the end; that needs root, and the test says SKIP
# without it. (Domain and System Manager ID logins cannot be expressed in
# stock sshd without PAM modules; tests/integration/ssh-sim.sh covers them
# against quire-sim's own SSH endpoint.)
. "$top_srcdir/tests/lib/common.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: making an account needs root"; exit 77; }
for tool in useradd userdel chpasswd ssh-keyscan; do
	command -v "$tool" >/dev/null 2>&1 || fail "no $tool"
done
[ -n "${SSHD:-}" ] && [ -x "$SSHD" ] ||
    fail "no sshd (./bootstrap installs openssh-server)"
[ -d /run/sshd ] || mkdir -p /run/sshd || fail "cannot create /run/sshd"
: "${QUIRE_SIM:=$top_builddir/quire-sim}"
. "$top_srcdir/tests/sim/ssh-lib.sh"
LOG="$TEST_DIR/quire.log"
q() { "$QUIRE" -v --log "$LOG" "$@"; }

# The account: a random name, no home, removed however the test ends.
ACCOUNT="qt$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
PASSWORD="Qs-$(od -An -N6 -tx2 /dev/urandom | tr -d ' \n')"
useradd -M -N -s /bin/sh "$ACCOUNT" || fail "useradd $ACCOUNT"
account_gone() { userdel "$ACCOUNT" 2>/dev/null || true; }
TEST_CLEANUPS="$TEST_CLEANUPS account_gone"
printf '%s:%s\n' "$ACCOUNT" "$PASSWORD" | chpasswd ||
    fail "chpasswd $ACCOUNT"

FLEET="$TEST_DIR/fleet.yaml"
STATE="$TEST_DIR/state"
cat >"$FLEET" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-4200
    descr: "Quire QX-4200 monochrome laser printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.1
    firmware: "4.2.3"
printers:
  - name: lab-pw
    model: QX-4200
    site: lab
    communities: { ro: public, rw: private }
EOF
sim_start "$FLEET" "$STATE" "$TEST_DIR/sim.out"
SIM_SNMP=$(sim_field "$TEST_DIR/sim.out" lab-pw snmp)

ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/host"
SSHD_PORT=$(free_port tcp)
cat >"$TEST_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $TEST_DIR/host
PidFile $TEST_DIR/sshd.pid
PubkeyAuthentication no
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowUsers $ACCOUNT
ForceCommand $QUIRE_SIM shell --printer lab-pw --fleet $FLEET --state $STATE --addressing auto
EOF
"$SSHD" -D -e -f "$TEST_DIR/sshd_config" 2>>"$TEST_DIR/sshd.log" &
test_track $!
wait_for 30 ssh-keyscan -p "$SSHD_PORT" 127.0.0.1 ||
    { cat "$TEST_DIR/sshd.log" >&2; fail "sshd did not start"; }

secret_file() {
	printf '%s\n' "$2" >"$TEST_DIR/$1"
	chmod 600 "$TEST_DIR/$1"
	echo "$TEST_DIR/$1"
}
q credential add wrong --kind user --user "$ACCOUNT" \
    --secret-file "$(secret_file wrong "Not-$PASSWORD")" >/dev/null
q credential add right --kind user --user "$ACCOUNT" \
    --secret-file "$(secret_file right "$PASSWORD")" >/dev/null
col() {
	"$QUIRE" printer list --format csv "$1" | awk -F, -v c="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
	    { print $k }'
}

# The wrong password alone: the shell is refused, and the reason says so.
q printer add lab-pw "$SIM_SNMP" --ssh-port "$SSHD_PORT" \
    --credential wrong --no-check >/dev/null
set +e
q check lab-pw >"$TEST_DIR/check1.out" 2>&1
set -e
reason=$(col lab-pw verdict_reason)
assert_contains "$reason" "login wrong" "the refused login is named"
assert_contains "$reason" "authentication failed" "and why"
assert_eq "$(col lab-pw login)" "" "no login recorded with a wrong password"

# Both, the wrong one first: the right one is found and recorded.
q printer set lab-pw --credential wrong --credential right --no-check \
    >/dev/null
q check lab-pw >"$TEST_DIR/check2.out" 2>&1 ||
    { cat "$TEST_DIR/check2.out" >&2; fail "check with the right password"; }
assert_eq "$(col lab-pw login)" user "login kind through sshd"
assert_eq "$(col lab-pw verdict)" managed "verdict with the shell"

# The password reached neither the log nor the output.
for f in "$LOG" "$TEST_DIR/check1.out" "$TEST_DIR/check2.out"; do
	! grep -qF -- "$PASSWORD" "$f" || fail "the password reached $f"
done
pass "the password was never logged"
