#!/bin/sh
# Distribution of the device location and contact to a real net-snmp snmpd
# started by the test (sysLocation and sysContact writable, a read and a
# write community registered in one credential), checked with snmpget.
# The second run finds nothing to write.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }
LOG="$TEST_DIR/quire.log"
q() { "$QUIRE" -v --log "$LOG" "$@"; }

SNMPD_RO_COMMUNITY="ro-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SNMPD_RW_COMMUNITY="$SNMPD_RO_COMMUNITY-rw"
SNMPD_SYSNAME=dist-agent-01
SNMPD_WRITABLE_SYSTEM=1
snmpd_start

f="$TEST_DIR/secret"
printf '%s\n%s\n' "$SNMPD_RO_COMMUNITY" "$SNMPD_RW_COMMUNITY" >"$f"
chmod 600 "$f"
q credential add agent-snmp --kind snmp-community --secret-file "$f" \
    >/dev/null
rm -f "$f"
q printer add agent "127.0.0.1:$SNMPD_PORT" --credential agent-snmp \
    --no-check >/dev/null
q check agent >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "check of the agent"; }

cat >"$TEST_DIR/site.yaml" <<EOF
quire: setting-data/1
name: site
settings:
  device.location: "Building 7, room 12"
  device.contact: "printers@example.com"
EOF
q data import "$TEST_DIR/site.yaml" --name site >/dev/null

get() {
	snmpd_tool snmpget -v2c -c "$SNMPD_RO_COMMUNITY" -r 2 -Oqv \
	    "127.0.0.1:$SNMPD_PORT" "$1"
}
old_loc=$(get 1.3.6.1.2.1.1.6.0)

q distribute site agent --yes >"$TEST_DIR/d1.out" 2>&1 ||
    { cat "$TEST_DIR/d1.out" >&2; fail "distribution to the agent"; }
assert_contains "$(cat "$TEST_DIR/d1.out")" \
    "device.location: applied: \"$(echo "$old_loc" | tr -d '"')\" -> \"Building 7, room 12\""
assert_contains "$(cat "$TEST_DIR/d1.out")" "2 applied, 0 unchanged"
assert_eq "$(get 1.3.6.1.2.1.1.6.0)" '"Building 7, room 12"' \
    "sysLocation read with snmpget"
assert_eq "$(get 1.3.6.1.2.1.1.4.0)" '"printers@example.com"' \
    "sysContact read with snmpget"
job=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM backup_runs r JOIN
    backups b ON b.id = r.backup_id WHERE r.job_id = $job AND
    b.category = 'device'")" 1 "backup before writing"

# Once there, nothing is left to write.
q distribute site agent --yes >"$TEST_DIR/d2.out" 2>&1 ||
    { cat "$TEST_DIR/d2.out" >&2; fail "second distribution"; }
assert_contains "$(cat "$TEST_DIR/d2.out")" "device.contact: already"
assert_contains "$(cat "$TEST_DIR/d2.out")" "nothing to write"
