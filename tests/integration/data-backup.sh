#!/bin/sh
# quire data new --from-backup ID: a quire-sim printer is backed up (its
# location first changed with net-snmp's snmpset, so the value cannot be a
# default), and the template made from its device backup holds exactly that
# backup's values, only of that category, and passes `quire data validate`;
# it imports unchanged. A bad or unknown id, and --category beside it, are
# refused.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/integration/backup-lib.sh"

command -v snmpset >/dev/null 2>&1 || { echo "no snmpset: skipped"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }
export MIBS= MIBDIRS= SNMPCONFPATH="$TEST_DIR" SNMP_PERSISTENT_DIR="$TEST_DIR"

cat >"$TEST_DIR/fleet.yaml" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-C7500
    descr: "Quire QX-C7500 colour multifunction printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.2
    firmware: "7.5.12"
printers:
  - name: lab-%d
    count: 1
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: lab-admin-pw }
EOF
backup_sim_start "$TEST_DIR/fleet.yaml"
backup_register
addr=$(awk '$1 == "lab-1" { for (i = 2; i <= NF; i++)
    if (index($i, "snmp=") == 1) print substr($i, 6) }' "$SIM_OUT")
snmpset -v2c -c private -r 2 -t 5 "$addr" 1.3.6.1.2.1.1.6.0 s \
    'Room 7 "B", west' >/dev/null || fail "snmpset sysLocation"
q check all >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "quire check all"; }
q backup all --category device,snmp >"$TEST_DIR/backup.out" 2>&1 ||
    { cat "$TEST_DIR/backup.out" >&2; fail "quire backup"; }
pass "lab-1 backed up"

sql() { sqlite3 "$QUIRE_DB" "$@"; }
id=$(sql "SELECT id FROM backups WHERE category = 'device'")
n=$(sql "SELECT nsettings FROM backups WHERE id = $id")
[ -n "$id" ] && [ "$n" -gt 0 ] || fail "no device backup"

# Run quire, keeping its status in $rc, stdout in $out, stderr in $err.
q_rc() {
	set +e
	out=$(q "$@" 2>"$TEST_DIR/err" </dev/null)
	rc=$?
	err=$(cat "$TEST_DIR/err")
	set -e
}

F="$TEST_DIR/from-backup.yaml"
q_rc data new --from-backup "$id" --out "$F"
assert_eq "$rc" 0 "data new --from-backup $id"
t=$(cat "$F")
assert_contains "$t" 'device.location: "Room 7 \"B\", west"' \
    "the location as backed up"
assert_not_contains "$t" "snmp." "another category's settings"
# Every value of the backup, and nothing else.
keys=$(grep -c -E '^  [a-z][a-z0-9_.]*: ' "$F")
assert_eq "$keys" "$n" "settings in the template"
q backup show "$id" --format csv | tail -n +2 | cut -d, -f1 | sort \
    >"$TEST_DIR/backup-keys"
sed -n 's/^  \([a-z][a-z0-9_.]*\): .*/\1/p' "$F" | sort \
    >"$TEST_DIR/template-keys"
cmp -s "$TEST_DIR/backup-keys" "$TEST_DIR/template-keys" ||
    fail "the template's keys are not the backup's"
pass "the template's keys are the backup's"

q_rc data validate "$F"
assert_eq "$rc" 0 "the template validates"
assert_contains "$out" "valid, $n setting(s)"

# The same from the snmp backup: its secrets, if any, are comments only.
sid=$(sql "SELECT id FROM backups WHERE category = 'snmp'")
q_rc data new --from-backup "#$sid"
assert_eq "$rc" 0 "data new --from-backup #$sid (to stdout)"
assert_contains "$out" "quire: setting-data/1"
assert_not_contains "$out" "device.location" "the snmp template"
printf '%s\n' "$out" >"$TEST_DIR/snmp.yaml"
q_rc data validate "$TEST_DIR/snmp.yaml"
assert_eq "$rc" 0 "the snmp template validates"
printf '%s\n' "$out" | grep -E '^  snmp\.community\.(read|write):' &&
    fail "a community in clear"
pass "no community in clear"

q_rc data import "$F" --name lab-1-device
assert_eq "$rc" 0 "the template imports"
q_rc data show lab-1-device --format csv
assert_contains "$out" 'device.location,"Room 7 ""B"", west",device'

q_rc data new --from-backup 999999
assert_eq "$rc" 1 "an unknown backup"
assert_contains "$err" "no backup 999999"
q_rc data new --from-backup seven
assert_eq "$rc" 2 "not a backup id"
q_rc data new --from-backup "$id" --category device
assert_eq "$rc" 2 "--from-backup with --category"

pass "data new --from-backup"
