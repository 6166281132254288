#!/bin/sh
# Password logins through OpenSSH's sshd, which serves quire-sim's
# management shell through ForceCommand: User Authentication (user +
# password), Domain Authentication (DOMAIN\user + password) and Password
# Authentication (the device password, as quire's fixed user "admin"). The
# check logs in and records the login; a wrong password ends with a clear
# reason and the right login is still found after it. sshd checks
# passwords against the system's accounts (UsePAM no), so the test makes
# throwaway accounts and removes them at the end; that needs root, and the
# test says SKIP without it. An "admin" account is made only when the
# system has none (and that part says so when it cannot run). System
# Manager ID asks "System Manager ID:" and "PIN:" by keyboard-interactive,
# which stock sshd can only do through a PAM module of that printer's
# making; tests/integration/ssh-sim.sh covers it against quire-sim's own
# SSH endpoint.
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

# The accounts: random names, no home, removed however the test ends.
rand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
ACCOUNT="qt$(rand 4)"
DOMAIN=QT
DUSER="qd$(rand 4)"
PASSWORD="Qs-$(rand 6)"
DPASSWORD="Qd-$(rand 6)"
APASSWORD="Qa-$(rand 6)"
ACCOUNTS=
accounts_gone() {
	for a in $ACCOUNTS; do userdel "$a" 2>/dev/null || true; done
}
TEST_CLEANUPS="$TEST_CLEANUPS accounts_gone"
# account NAME PASSWORD: a throwaway account with that password.
account() {
	useradd -M -N -s /bin/sh --badname "$1" || fail "useradd $1"
	ACCOUNTS="$ACCOUNTS $1"
	printf '%s:%s\n' "$1" "$2" | chpasswd || fail "chpasswd $1"
}
account "$ACCOUNT" "$PASSWORD"
account "$DOMAIN\\$DUSER" "$DPASSWORD"
ADMIN=no
if ! id admin >/dev/null 2>&1; then
	account admin "$APASSWORD"
	ADMIN=yes
fi

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

# Domain Authentication: DOMAIN\user and its password, alone.
q credential add corp --kind domain --domain "$DOMAIN" --user "$DUSER" \
    --secret-file "$(secret_file corp "$DPASSWORD")" >/dev/null
q printer set lab-pw --credential corp --no-check >/dev/null
q check lab-pw >"$TEST_DIR/check3.out" 2>&1 ||
    { cat "$TEST_DIR/check3.out" >&2; fail "check with the domain login"; }
assert_eq "$(col lab-pw login)" domain "domain login through sshd"
assert_eq "$(col lab-pw verdict)" managed "verdict with the domain login"

# Password Authentication: the device password alone, as "admin".
if [ "$ADMIN" = yes ]; then
	q credential add devpw --kind password \
	    --secret-file "$(secret_file devpw "$APASSWORD")" >/dev/null
	q printer set lab-pw --credential devpw --no-check >/dev/null
	q check lab-pw >"$TEST_DIR/check4.out" 2>&1 ||
	    { cat "$TEST_DIR/check4.out" >&2; fail "check with the password"; }
	assert_eq "$(col lab-pw login)" password "password login through sshd"
else
	echo "note: this system has an admin account; Password Authentication" \
	    "through sshd not tried"
fi

# No password reached the log or the output.
for f in "$LOG" "$TEST_DIR"/check*.out; do
	for p in "$PASSWORD" "$DPASSWORD" "$APASSWORD"; do
		! grep -qF -- "$p" "$f" || fail "a password reached $f"
	done
done
pass "no password was ever logged"
