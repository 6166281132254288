#!/bin/sh
# The capability check against real daemons that the test starts on
# loopback: net-snmp's snmpd with one SNMPv3 authPriv user (SHA-256/AES)
# and no community quire knows, plus `openssl s_server` on the printer's
# HTTPS port. quire finds the identity and the system group through v3 but
# no vendor category, so the printer is partly managed; a second printer
# with a wrong v3 passphrase ends "authentication failed". Then OpenSSH's
# sshd serving quire-sim's shell through ForceCommand, with an ssh-key
# login: the login is recorded, and a changed host key is refused.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

OPENSSL=${OPENSSL:-openssl}
command -v "$OPENSSL" >/dev/null 2>&1 || { echo "SKIP: no openssl"; exit 77; }
LOG="$TEST_DIR/quire.log"
q() { "$QUIRE" -v --log "$LOG" "$@"; }
ALL="$TEST_DIR/all-secrets"
: >"$ALL"

# secret_file LINE...: a 0600 file of secrets, one a line; prints its path.
secret_file() {
	f="$TEST_DIR/secret.$$"
	: >"$f"
	chmod 600 "$f"
	for s in "$@"; do
		printf '%s\n' "$s" >>"$f"
		printf '%s\n' "$s" >>"$ALL"
	done
	echo "$f"
}

# The agent: only the v3 user; its community is one quire never tries.
SNMPD_RO_COMMUNITY="ro-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SNMPD_RW_COMMUNITY="$SNMPD_RO_COMMUNITY-rw"
SNMPD_SYSNAME=v3-agent-01
SNMPD_SYSDESCR="quire daemons test agent (net-snmp v3)"
snmpd_start "$(snmpd_v3_user ops SHA-256 v3-auth-pass-1 AES v3-priv-pass-1)"

# The HTTPS port: openssl s_server with a fresh self-signed certificate.
"$OPENSSL" req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=v3-agent-01 \
    -keyout "$TEST_DIR/tls.key" -out "$TEST_DIR/tls.crt" 2>/dev/null ||
    fail "openssl req"
HTTPS_PORT=$(free_port tcp)
"$OPENSSL" s_server -quiet -accept "$HTTPS_PORT" -naccept 100 \
    -cert "$TEST_DIR/tls.crt" -key "$TEST_DIR/tls.key" \
    </dev/null >"$TEST_DIR/s_server.out" 2>&1 &
test_track $!
tls_up() { "$OPENSSL" s_client -connect "127.0.0.1:$HTTPS_PORT" </dev/null; }
wait_for 30 tls_up || { cat "$TEST_DIR/s_server.out" >&2; fail "no s_server"; }

f=$(secret_file v3-auth-pass-1 v3-priv-pass-1)
q credential add v3-ok --kind snmp-usm --user ops --auth SHA-256 --priv AES \
    --secret-file "$f" >/dev/null
f=$(secret_file wrong-auth-pass v3-priv-pass-1)
q credential add v3-bad --kind snmp-usm --user ops --auth SHA-256 --priv AES \
    --secret-file "$f" >/dev/null
rm -f "$f"
q printer add v3-ok "127.0.0.1:$SNMPD_PORT" --group lab \
    --https-port "$HTTPS_PORT" --credential v3-ok --no-check >/dev/null
q printer add v3-bad "127.0.0.1:$SNMPD_PORT" --group lab \
    --credential v3-bad --no-check >/dev/null
# A community snmpd does not know: v2c agents stay silent, but the HTTPS
# port answers, so the printer is up and the community is to blame.
f=$(secret_file not-the-community)
q credential add comm-bad --kind snmp-community --secret-file "$f" >/dev/null
q printer add comm-bad "127.0.0.1:$SNMPD_PORT" --group lab \
    --https-port "$HTTPS_PORT" --credential comm-bad --no-check >/dev/null

set +e
q check v3-ok v3-bad comm-bad --retries 1 \
    >"$TEST_DIR/check.out" 2>&1
set -e
q printer list --format csv >"$TEST_DIR/list.csv"
# col NAME COLUMN: one column of a printer's row, by the header's name
# (a CSV reader: quoted fields may hold commas, "" is a quote).
col() {
	awk -v n="$1" -v c="$2" '
	function split_csv(line, f,    i, ch, q, v, k) {
		k = 1; v = ""; q = 0
		for (i = 1; i <= length(line); i++) {
			ch = substr(line, i, 1)
			if (q && ch == "\"" && substr(line, i + 1, 1) == "\"") {
				v = v ch; i++
			} else if (ch == "\"") q = !q
			else if (!q && ch == ",") { f[k++] = v; v = "" }
			else v = v ch
		}
		f[k] = v
		return k
	}
	NR == 1 { m = split_csv($0, h); for (i = 1; i <= m; i++) if (h[i] == c) k = i; next }
	{ split_csv($0, f); if (f[1] == n) print f[k] }' "$TEST_DIR/list.csv"
}
row() { grep "^$1," "$TEST_DIR/list.csv" || true; }
[ -n "$(row v3-ok)" ] || { cat "$TEST_DIR/check.out" >&2; fail "no v3-ok row"; }
assert_eq "$(col v3-ok verdict)" "partly managed" "verdict of v3-ok"
assert_eq "$(col v3-ok snmp)" v3 "SNMP version of v3-ok"
assert_eq "$(col v3-ok sys_name)" v3-agent-01 "sys_name of v3-ok"
assert_eq "$(col v3-ok https)" yes "HTTPS of v3-ok"
assert_contains "$(row v3-ok)" "quire daemons test agent (net-snmp v3)" \
    "v3-ok's model from sysDescr"
cats=$(col v3-ok categories)
# device: sysName, sysLocation, sysContact (MIB-II system group); printer
# has Printer-MIB objects. The others are quire-sim's vendor subtree only.
assert_contains ",$cats," ",device," "v3-ok's categories"
for c in network protocols snmp tls security power; do
	assert_not_contains ",$cats," ",$c," "v3-ok's categories"
done
assert_eq "$(col v3-bad verdict)" "authentication failed" "verdict of v3-bad"
assert_contains "$(col v3-bad verdict_reason)" \
    "authentication failed for SNMPv3 user 'ops'" "v3-bad's reason"
pass "v3-bad: $(col v3-bad verdict_reason)"
assert_eq "$(col comm-bad verdict)" "authentication failed" \
    "verdict of a wrong community on a live printer"
assert_contains "$(col comm-bad verdict_reason)" \
    "HTTPS answers on port $HTTPS_PORT (the printer is up): the community is wrong or SNMP is off"

# No secret in the log or the check's output.
while read -r s; do
	! grep -qF -- "$s" "$LOG" "$TEST_DIR/check.out" ||
	    fail "a secret reached the log"
done <"$ALL"
pass "no secret logged"

# OpenSSH's sshd serving quire-sim's shell through ForceCommand: the SNMP
# side is quire-sim's agent for the printer, the shell sshd's, key login.
[ -n "${SSHD:-}" ] && [ -x "$SSHD" ] || fail "no sshd (./bootstrap installs openssh-server)"
command -v ssh-keygen >/dev/null 2>&1 || fail "no ssh-keygen (./bootstrap installs openssh-client)"
command -v ssh >/dev/null 2>&1 || fail "no ssh (./bootstrap installs openssh-client)"
[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null ||
    fail "cannot create /run/sshd, which sshd needs"
: "${QUIRE_SIM:=$top_builddir/quire-sim}"
. "$top_srcdir/tests/sim/ssh-lib.sh"
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
  - name: lab-fc
    model: QX-4200
    site: lab
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: fc-pw-1 }
EOF
sim_start "$FLEET" "$STATE" "$TEST_DIR/sim.out"
SIM_SNMP=$(sim_field "$TEST_DIR/sim.out" lab-fc snmp)

ME=$(id -un)
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/host_a"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/host_b"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/id_ed25519"
cp "$TEST_DIR/id_ed25519.pub" "$TEST_DIR/authorized_keys"
chmod 600 "$TEST_DIR/authorized_keys"
SSHD_PORT=$(free_port tcp)
# sshd_up HOSTKEY: sshd on SSHD_PORT with that host key; SSHD_PID.
sshd_up() {
	cat >"$TEST_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $TEST_DIR/$1
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
	"$SSHD" -D -e -f "$TEST_DIR/sshd_config" 2>>"$TEST_DIR/sshd.log" &
	SSHD_PID=$!
	test_track "$SSHD_PID"
	wait_for 30 ssh-keyscan -p "$SSHD_PORT" 127.0.0.1 ||
	    { cat "$TEST_DIR/sshd.log" >&2; fail "sshd did not start"; }
}
sshd_up host_a

q credential add lab-key --kind ssh-key --user "$ME" \
    --key-file "$TEST_DIR/id_ed25519" </dev/null >/dev/null
q printer add lab-fc "$SIM_SNMP" --group lab --ssh-port "$SSHD_PORT" \
    --credential lab-key --no-check >/dev/null
set +e
q check lab-fc >"$TEST_DIR/check2.out" 2>&1
set -e
q printer list --format csv >"$TEST_DIR/list.csv"
[ -n "$(row lab-fc)" ] || { cat "$TEST_DIR/check2.out" >&2; fail "no lab-fc"; }
assert_eq "$(col lab-fc login)" ssh-key "login kind of lab-fc through sshd"
assert_eq "$(col lab-fc snmp)" v2c "SNMP version of lab-fc"
assert_eq "$(col lab-fc verdict)" managed "verdict of lab-fc"

# A new host key on the same port: refused, and the reason says why.
kill "$SSHD_PID"
wait "$SSHD_PID" 2>/dev/null || true
sshd_up host_b
set +e
q check lab-fc >"$TEST_DIR/check3.out" 2>&1
set -e
q printer list --format csv >"$TEST_DIR/list.csv"
reason=$(col lab-fc verdict_reason)
case $reason in
*"host key"*|*"host-key"*) pass "changed host key refused: $reason" ;;
*)	cat "$TEST_DIR/check3.out" >&2
	fail "lab-fc after a host key change: '$reason'" ;;
esac
fp=$(ssh-keygen -l -E sha256 -f "$TEST_DIR/host_b.pub" | cut -d' ' -f2)
assert_contains "$reason" "now offers ssh-ed25519 $fp" "the new key's fingerprint"
# SNMP still answers; only the shell is refused.
assert_eq "$(col lab-fc verdict)" "partly managed" "lab-fc's verdict (new key)"
