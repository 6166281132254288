#!/bin/sh
# quire-sim's SNMP agent, seen only through net-snmp's own tools: v2c and v3
# reads and sets, walks in order, SET atomicity and errors, fault knobs, and
# values that survive a restart of quire-sim on the same state directory.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"
: "${QUIRE_SIM:?run through make check}"

FLEET="$TEST_DIR/fleet.yaml"
STATE="$TEST_DIR/state"
cat >"$FLEET" <<'EOF'
quire-sim: fleet/1
models:
  - name: T-100
    descr: "Test T-100 laser printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.100
    firmware: "1.0"
    shell: false
    https: false
  - name: T-OLD
    descr: "Test T-OLD printer without the vendor subtree"
    sys_object_id: 1.3.6.1.4.1.32473.9.1
    firmware: "0.9"
    vendor_subtree: false
    shell: false
    https: false
printers:
  - name: p-sha
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    v3: { user: quire, auth: SHA, auth_pass: sha-auth-pass, priv: AES,
          priv_pass: sha-priv-pass }
  - name: p-sha256
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    v3: { user: admin256, auth: SHA-256, auth_pass: sha256-auth-pass,
          priv: AES, priv_pass: sha256-priv-pass }
  - name: p-md5
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    v3: { user: old, auth: MD5, auth_pass: md5-auth-pass, priv: DES,
          priv_pass: md5-priv-pass }
  - name: p-locked
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    faults: { locked: [device.contact] }
  - name: p-slow
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    faults: { latency_ms: 1500 }
  - name: p-lossy
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    faults: { loss_pct: 50 }
  - name: p-dead
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    faults: { timeout: true }
  - name: p-old
    model: T-OLD
    site: lab
    communities: { ro: public }
  - name: p-reset
    model: T-100
    site: lab
    communities: { ro: public, rw: private }
    faults: { reboot_ms: 1500 }
EOF

SIM_PID=
# sim_start: run quire-sim on the fleet and state until it prints "# ready".
sim_start() {
	"$QUIRE_SIM" --fleet "$FLEET" --state "$STATE" --addressing auto \
	    >"$TEST_DIR/sim.out" 2>"$TEST_DIR/sim.err" </dev/null &
	SIM_PID=$!
	test_track "$SIM_PID"
	if ! wait_for 30 grep -q '^# ready' "$TEST_DIR/sim.out"; then
		cat "$TEST_DIR/sim.out" "$TEST_DIR/sim.err" >&2
		fail "quire-sim did not get ready"
	fi
}

sim_stop() {
	kill -TERM "$SIM_PID"
	n=0
	while kill -0 "$SIM_PID" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "quire-sim ignored SIGTERM"
		sleep 0.1
	done
	wait "$SIM_PID" 2>/dev/null || true
	# Under --enable-asan, what the sanitizers saw fails the test.
	if grep -q 'Sanitizer' "$TEST_DIR/sim.err"; then
		cat "$TEST_DIR/sim.err" >&2
		fail "quire-sim: sanitizer report"
	fi
}

# field NAME KEY: a key=value field of printer NAME's line.
field() {
	awk -v n="$1" -v k="$2" '$1 == n {
		for (i = 2; i <= NF; i++)
			if (index($i, k "=") == 1) print substr($i, length(k) + 2)
	}' "$TEST_DIR/sim.out"
}
addr() { field "$1" snmp; }

OPTS="-r 2 -t 3 -On"
get() { a=$(addr "$1"); shift; snmpd_tool snmpget $OPTS -v2c -c public "$a" "$@"; }
# getv NAME OID: the value alone, a string without its quotes.
getv() { get "$1" -Oqv "$2" | sed 's/^"//; s/"$//'; }
answers() {
	snmpd_tool snmpget -r 0 -t 0.5 -v2c -c public "$(addr "$1")" $SYSNAME
}
set2() { a=$(addr "$1"); shift; snmpd_tool snmpset $OPTS -v2c -c private "$a" "$@"; }

SYSDESCR=1.3.6.1.2.1.1.1.0
SYSCONTACT=1.3.6.1.2.1.1.4.0
SYSNAME=1.3.6.1.2.1.1.5.0
SYSLOCATION=1.3.6.1.2.1.1.6.0
SERIAL=1.3.6.1.2.1.43.5.1.1.17.1
CHANGES=1.3.6.1.2.1.43.5.1.1.1.1
RESET=1.3.6.1.2.1.43.5.1.1.3.1
RAW_ENABLE=1.3.6.1.4.1.32473.1.3.1.0	# protocols.raw.enable, bool
RAW_PORT=1.3.6.1.4.1.32473.1.3.2.0	# protocols.raw.port, int 1..65535

sim_start
case $(addr p-sha) in
127.0.0.1:[1-9]*) pass "p-sha listens at $(addr p-sha)" ;;
*) cat "$TEST_DIR/sim.out" >&2; fail "no snmp= address for p-sha" ;;
esac

# --- v2c reads -------------------------------------------------------------
assert_eq "$(getv p-sha $SYSNAME)" p-sha "sysName"
assert_eq "$(getv p-sha $SYSDESCR)" "Test T-100 laser printer" "sysDescr"
assert_eq "$(getv p-sha $SERIAL)" "$(field p-sha serial)" \
    "prtGeneralSerialNumber"
out=$(get p-sha 1.3.6.1.2.1.25.3.2.1.2.1)
assert_contains "$out" ".1.3.6.1.2.1.25.3.1.5" "hrDeviceType is a printer"
out=$(snmpd_tool snmpget -r 0 -t 1 -v2c -c nosuch "$(addr p-sha)" \
    $SYSNAME 2>&1) && fail "a wrong community got an answer: $out"
pass "a wrong community gets no answer"

# --- walks: in order, to the end, the vendor subtree included --------------
walk=$(snmpd_tool snmpwalk $OPTS -v2c -c public "$(addr p-sha)" .1 2>&1) ||
    { printf '%s\n' "$walk" >&2; fail "snmpwalk failed"; }
assert_not_contains "$walk" "OID not increasing" "snmpwalk"
assert_contains "$walk" ".1.3.6.1.4.1.32473.1." "snmpwalk"
assert_contains "$walk" ".1.3.6.1.2.1.43.11.1.1.9.1.1 = INTEGER:" "snmpwalk"
nwalk=$(printf '%s\n' "$walk" | wc -l)
[ "$nwalk" -gt 60 ] || fail "snmpwalk saw only $nwalk objects"
pass "snmpwalk v2c: $nwalk objects in order"
walk1=$(snmpd_tool snmpwalk $OPTS -v1 -c public "$(addr p-sha)" .1 2>&1) ||
    { printf '%s\n' "$walk1" >&2; fail "snmpwalk -v1 failed"; }
assert_eq "$(printf '%s\n' "$walk1" | wc -l)" "$nwalk" "snmpwalk v1 objects"
bulk=$(snmpd_tool snmpbulkwalk $OPTS -Cr25 -v2c -c public "$(addr p-sha)" \
    .1 2>&1) || { printf '%s\n' "$bulk" >&2; fail "snmpbulkwalk failed"; }
assert_not_contains "$bulk" "OID not increasing" "snmpbulkwalk"
assert_eq "$(printf '%s\n' "$bulk" | wc -l)" "$nwalk" "snmpbulkwalk objects"
walk=$(snmpd_tool snmpwalk $OPTS -v2c -c public "$(addr p-old)" .1 2>&1) ||
    { printf '%s\n' "$walk" >&2; fail "snmpwalk of p-old failed"; }
assert_contains "$walk" ".1.3.6.1.2.1.1.5.0 = STRING: \"p-old\"" "p-old walk"
assert_not_contains "$walk" ".1.3.6.1.4.1.32473.1." "p-old walk"

# --- v2c sets ---------------------------------------------------------------
before=$(getv p-sha $CHANGES)
set2 p-sha $SYSLOCATION s "Room 101" >/dev/null || fail "set sysLocation"
set2 p-sha $RAW_PORT i 9101 $RAW_ENABLE i 2 >/dev/null ||
    fail "set an int and a bool setting"
assert_eq "$(getv p-sha $SYSLOCATION)" "Room 101" "sysLocation after set"
assert_eq "$(getv p-sha $RAW_PORT)" 9101 "raw port after set"
assert_eq "$(getv p-sha $RAW_ENABLE)" 2 "raw enable after set"
assert_eq "$(getv p-sha $CHANGES)" $((before + 3)) \
    "prtGeneralConfigChanges grew by the 3 settings changed"

# All or none: a good varbind beside a bad one changes nothing.
out=$(set2 p-sha $SYSCONTACT s "never@example.invalid" $RAW_PORT i 70000 2>&1) &&
    fail "an out-of-range port was accepted"
assert_contains "$out" "wrongValue" "port 70000"
assert_contains "$out" "$RAW_PORT" "the failed object"
out=$(set2 p-sha $SYSCONTACT s "never@example.invalid" $SYSNAME i 5 2>&1) &&
    fail "an INTEGER sysName was accepted"
assert_contains "$out" "wrongType" "INTEGER sysName"
assert_eq "$(getv p-sha $SYSCONTACT)" "" "sysContact after refused sets"
assert_eq "$(getv p-sha $CHANGES)" $((before + 3)) \
    "prtGeneralConfigChanges after refused sets"

long=$(printf '%0300d' 0)
out=$(set2 p-sha $SYSNAME s "$long" 2>&1) && fail "a 300-byte sysName"
assert_contains "$out" "wrongLength" "a 300-byte sysName"
out=$(set2 p-sha $SYSDESCR s "mine" 2>&1) && fail "sysDescr was written"
assert_contains "$out" "notWritable" "sysDescr"
out=$(set2 p-sha $CHANGES i 0 2>&1) && fail "prtGeneralConfigChanges written"
assert_contains "$out" "notWritable" "prtGeneralConfigChanges"
out=$(set2 p-sha 1.3.6.1.4.1.32473.99.1.0 i 1 2>&1) && fail "created an OID"
assert_contains "$out" "noCreation" "an unknown OID"
out=$(snmpd_tool snmpset $OPTS -v2c -c public "$(addr p-sha)" \
    $SYSLOCATION s x 2>&1) && fail "the read community wrote"
assert_contains "$out" "authorizationError" "a SET with the read community"
out=$(set2 p-locked $SYSCONTACT s "x@example.invalid" 2>&1) &&
    fail "a locked setting was written"
assert_contains "$out" "noAccess" "a setting locked by policy"

# --- v3 authPriv --------------------------------------------------------------
# v3 NAME USER AUTH APASS PRIV PPASS TOOL ARGS...
v3() {
	a=$(addr "$1") u=$2 au=$3 ap=$4 pr=$5 pp=$6 tool=$7
	shift 7
	snmpd_tool "$tool" $OPTS -v3 -l authPriv -u "$u" -a "$au" -A "$ap" \
	    -x "$pr" -X "$pp" "$a" "$@"
}
for spec in "p-sha quire SHA sha-auth-pass AES sha-priv-pass" \
    "p-sha256 admin256 SHA-256 sha256-auth-pass AES sha256-priv-pass" \
    "p-md5 old MD5 md5-auth-pass DES md5-priv-pass"; do
	set -- $spec
	name=$1
	out=$(v3 "$@" snmpget $SYSNAME 2>&1) ||
	    { printf '%s\n' "$out" >&2; fail "v3 $3/$5 get on $name"; }
	assert_contains "$out" "\"$name\"" "v3 $3/$5 sysName"
	out=$(v3 "$@" snmpset $SYSCONTACT s "v3 $3 $5" 2>&1) ||
	    { printf '%s\n' "$out" >&2; fail "v3 $3/$5 set on $name"; }
	assert_eq "$(getv "$name" $SYSCONTACT)" "v3 $3 $5" "v3 $3/$5 set"
done
out=$(v3 p-sha quire SHA wrong-auth-pass AES sha-priv-pass snmpget \
    $SYSNAME 2>&1) && fail "a wrong v3 password was let in"
assert_contains "$out" "Authentication failure" "a wrong v3 auth password"
[ "$(getv p-sha 1.3.6.1.6.3.15.1.1.5.0)" -ge 1 ] ||
    fail "usmStatsWrongDigests did not count"
pass "usmStatsWrongDigests counts"
out=$(v3 p-sha nobody SHA sha-auth-pass AES sha-priv-pass snmpget \
    $SYSNAME 2>&1) && fail "an unknown v3 user was let in"
assert_contains "$out" "Unknown user name" "an unknown v3 user"
out=$(v3 p-sha quire SHA sha-auth-pass AES wrong-priv-pass snmpget \
    $SYSNAME 2>&1) && fail "a wrong v3 privacy password was let in"
pass "a wrong v3 privacy password fails"
walk3=$(v3 p-md5 old MD5 md5-auth-pass DES md5-priv-pass snmpbulkwalk .1 \
    2>&1) || { printf '%s\n' "$walk3" >&2; fail "v3 snmpbulkwalk"; }
assert_eq "$(printf '%s\n' "$walk3" | wc -l)" "$nwalk" "v3 bulkwalk objects"

# --- faults ---------------------------------------------------------------------
out=$(snmpd_tool snmpget -r 0 -t 3 -v2c -c public "$(addr p-dead)" \
    $SYSNAME 2>&1) && fail "the timeout printer answered: $out"
assert_contains "$out" "Timeout" "the timeout printer"
# The slow printer's answer never comes before its latency...
snmpd_tool snmpget -r 0 -t 0.3 -v2c -c public "$(addr p-slow)" $SYSNAME \
    >/dev/null 2>&1 && fail "the slow printer answered within 0.3 s"
pass "the slow printer does not answer within 0.3 s"
# ...but it comes.
assert_eq "$(snmpd_tool snmpget -r 0 -t 20 -v2c -c public -Oqv \
    "$(addr p-slow)" $SYSNAME)" '"p-slow"' "the slow printer's answer"
ok=0 lost=0 i=0
while [ $i -lt 40 ]; do
	if snmpd_tool snmpget -r 0 -t 0.5 -v2c -c public "$(addr p-lossy)" \
	    $SYSNAME >/dev/null 2>&1; then ok=$((ok + 1)); else lost=$((lost + 1)); fi
	i=$((i + 1))
done
[ $ok -gt 0 ] && [ $lost -gt 0 ] ||
    fail "loss 50%: $ok of 40 answered"
pass "the lossy printer answered $ok of 40"

# prtGeneralReset powerCycleReset(4): answered, then down, then back.
set2 p-reset $RESET i 4 >/dev/null || fail "prtGeneralReset"
snmpd_tool snmpget -r 0 -t 0.3 -v2c -c public "$(addr p-reset)" $SYSNAME \
    >/dev/null 2>&1 && fail "p-reset answered right after its reset"
pass "p-reset is down after prtGeneralReset"
wait_for 30 answers p-reset || fail "p-reset did not come back"
pass "p-reset is back"

# --- persistence across a restart ---------------------------------------------
BOOTS=1.3.6.1.6.3.10.2.1.2.0
boots=$(getv p-sha $BOOTS)
sim_stop
sim_start
[ "$(getv p-sha $BOOTS)" -gt "$boots" ] ||
    fail "snmpEngineBoots did not grow over a restart (was $boots)"
pass "snmpEngineBoots grew over a restart"

assert_eq "$(getv p-sha $SYSLOCATION)" "Room 101" "sysLocation after restart"
assert_eq "$(getv p-sha $RAW_PORT)" 9101 "raw port after restart"
assert_eq "$(getv p-sha $RAW_ENABLE)" 2 "raw enable after restart"
assert_eq "$(getv p-md5 $SYSCONTACT)" "v3 MD5 DES" "v3 set after restart"
out=$(v3 p-sha256 admin256 SHA-256 sha256-auth-pass AES sha256-priv-pass \
    snmpget $SYSCONTACT 2>&1) || fail "v3 after restart"
assert_contains "$out" "v3 SHA-256 AES" "v3 get after restart"
sim_stop
