#!/bin/sh
# A backup of a real net-snmp snmpd started by the test: the system-group
# settings (sysName, sysLocation, sysContact) of the device category, read
# with the SNMPv3 user the check found working. The Printer-MIB objects the
# catalog also binds are not there (noSuchObject): left out, not partial.
# A second backup of the unchanged agent adds no row and no content: it
# confirms the state (seen twice).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }
LOG="$TEST_DIR/quire.log"
q() { "$QUIRE" -v --log "$LOG" "$@"; }

SNMPD_RO_COMMUNITY="ro-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SNMPD_RW_COMMUNITY="$SNMPD_RO_COMMUNITY-rw"
SNMPD_SYSNAME=backup-agent-01
SNMPD_SYSLOCATION="Lab 2, rack 4"
SNMPD_SYSCONTACT="ops@example.invalid"
snmpd_start "$(snmpd_v3_user keeper SHA-256 keeper-auth-1 AES keeper-priv-1)"

f="$TEST_DIR/secret"
printf 'keeper-auth-1\nkeeper-priv-1\n' >"$f"
chmod 600 "$f"
q credential add keeper --kind snmp-usm --user keeper --auth SHA-256 \
    --priv AES --secret-file "$f" >/dev/null
rm -f "$f"
q printer add agent "127.0.0.1:$SNMPD_PORT" --credential keeper \
    --no-check >/dev/null
q check agent >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "check of the agent"; }

q backup agent --category device >"$TEST_DIR/b1.out" 2>&1 ||
    { cat "$TEST_DIR/b1.out" >&2; fail "backup of the agent"; }
assert_contains "$(cat "$TEST_DIR/b1.out")" \
    "1 snapshots: 1 stored (1 changed, 0 partial), 0 unchanged"
id=$(q backup list agent --format csv | awk -F, 'NR == 2 { print $1 }')
q backup show "$id" --format csv >"$TEST_DIR/show.csv"
assert_eq "$(cat "$TEST_DIR/show.csv")" "$(printf '%s\n' \
    'key,value,secret' \
    'device.contact,ops@example.invalid,no' \
    'device.location,"Lab 2, rack 4",no' \
    'device.name,backup-agent-01,no')" "the system group backed up"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT coalesce(partial, '-') FROM backups")" \
    - "not partial"

q backup agent --category device >"$TEST_DIR/b2.out" 2>&1 ||
    fail "second backup of the agent"
assert_contains "$(cat "$TEST_DIR/b2.out")" \
    "1 snapshots: 0 stored (0 changed, 0 partial), 1 unchanged"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM backup_blobs")" 1 \
    "contents after two backups"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) || ' ' || seen || ' ' ||
    (last_seen_at > taken_at) FROM backups")" "1 2 1" \
    "one state, seen twice, last seen after it was taken"
assert_contains "$(q backup show "$id")" "seen:     2x, last "

# The agent gone: the next backup keeps nothing and says why.
snmpd_stop
set +e
q backup agent --category device --timeout 300 --retries 0 \
    >"$TEST_DIR/b3.out" 2>&1
rc=$?
set -e
assert_eq "$rc" 1 "exit status of a backup of a dead agent"
assert_contains "$(cat "$TEST_DIR/b3.out")" "partial: device: SNMP: no answer"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT nsettings || ' ' || (partial IS NOT
    NULL) FROM backups ORDER BY id DESC LIMIT 1")" "0 1" "kept as partial"

# Old jobs can be forgotten; the backups they took stay, without them.
njobs=$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM jobs WHERE finished_at IS NOT NULL")
nbackups=$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM backups")
[ "$njobs" -gt 0 ] || fail "no finished job to prune"
assert_eq "$(q job prune --before 2099-01-01 --dry-run)" \
    "would forget $njobs finished job(s)" "job prune --dry-run"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM jobs")" "$njobs" \
    "jobs after a dry run"
assert_eq "$(q job prune --before 1h)" "forgot 0 finished job(s)" \
    "nothing finished an hour ago"
assert_eq "$(q job prune --before 2099-01-01)" \
    "forgot $njobs finished job(s)" "job prune"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM jobs")" 0 "jobs left"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM job_targets")" 0 \
    "targets left"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) || ' ' ||
    count(job_id) FROM backups")" "$nbackups 0" "backups kept, jobless"
assert_contains "$(sqlite3 "$QUIRE_DB" "SELECT action FROM audit")" \
    "job prune"
set +e
q job prune >/dev/null 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "job prune without --before"
