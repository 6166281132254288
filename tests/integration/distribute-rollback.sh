#!/bin/sh
# A rollback restores the previous values: three simulated printers get a
# location, a contact and a sleep timer (r-lock refuses the timer, so
# nothing of it is rolled back); `quire distribute --rollback JOB --yes`
# writes back what the job's own backups held, read with net-snmp's
# snmpget. A preview is not something to roll back.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/integration/distribute-lib.sh"

command -v snmpget >/dev/null 2>&1 || { echo "no snmpget: skipped"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }

cat >"$TEST_DIR/fleet.yaml" <<EOF
quire-sim: fleet/1
models:
  - name: QX-4200
    descr: "Quire QX-4200 monochrome laser printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.1
    firmware: "4.2.3"
    https: false
printers:
  - name: r-%d
    count: 2
    model: QX-4200
    site: north
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: admin-pw }
  - name: r-lock
    model: QX-4200
    site: south
    communities: { ro: public, rw: private }
    faults: { locked: ["power.sleep.timer_min"] }
EOF
dist_sim_start "$TEST_DIR/fleet.yaml"
dist_register
q check all >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "check of the fleet"; }

LOC=1.3.6.1.2.1.1.6.0
CON=1.3.6.1.2.1.1.4.0
TIMER=1.3.6.1.4.1.32473.1.7.2.0
# Something set by hand before, with snmpset: the rollback brings it back.
snmpset -v2c -c private -r 2 "$(dist_addr r-2)" $CON s "desk 9" \
    >/dev/null || fail "snmpset of r-2's contact"
before() { for p in r-1 r-2 r-lock; do
	echo "$p $(dist_get $p $LOC) $(dist_get $p $CON) $(dist_get $p $TIMER)"
done; }
old=$(before)

cat >"$TEST_DIR/new.yaml" <<EOF
quire: setting-data/1
settings:
  device.location: "Moved"
  device.contact: "new-owner@example.com"
  power.sleep.timer_min: 99
EOF
q data import "$TEST_DIR/new.yaml" --name new >/dev/null
set +e
q distribute new all --yes --timeout 500 >"$TEST_DIR/d.out" 2>&1
rc=$?
set -e
assert_eq "$rc" 1 "exit status (r-lock refuses the timer)"
job=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
assert_eq "$(dist_get r-2 $CON)" '"new-owner@example.com"' "r-2's new contact"
assert_eq "$(dist_get r-1 $TIMER)" 99 "r-1's new timer"

# A preview has nothing to roll back.
pjob=$(sqlite3 "$QUIRE_DB" "SELECT min(job_id) FROM distribute_results")
set +e
q distribute --rollback "$pjob" --yes >"$TEST_DIR/bad.out" 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "exit status of a rollback of a preview"
assert_contains "$(cat "$TEST_DIR/bad.out")" "is a preview"

q distribute --rollback "$job" --yes >"$TEST_DIR/rb.out" 2>&1 ||
    { cat "$TEST_DIR/rb.out" >&2; fail "rollback of job $job"; }
assert_eq "$(before)" "$old" "values after the rollback, read with snmpget"
rjob=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM distribute_results
    WHERE job_id = $rjob AND outcome = 'applied'")" 8 \
    "settings rolled back (3 + 3 + 2)"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT new_value FROM distribute_results
    WHERE job_id = $rjob AND printer_name = 'r-2' AND key =
    'device.contact'")" "desk 9" "r-2's contact rolled back to"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM distribute_results
    WHERE job_id = $rjob AND printer_name = 'r-lock' AND key =
    'power.sleep.timer_min'")" 0 "the refused timer is not rolled back"

# A setting that needs a restart, with --reboot: r-1 reboots through its
# shell, r-lock (no shell login) through prtGeneralReset; both come back
# with snmpEngineBoots one higher.
BOOTS=1.3.6.1.6.3.10.2.1.2.0
b1=$(dist_get r-1 $BOOTS)
b3=$(dist_get r-lock $BOOTS)
cat >"$TEST_DIR/host.yaml" <<EOF2
quire: setting-data/1
settings:
  network.hostname: "renamed"
EOF2
q data import "$TEST_DIR/host.yaml" --name host >/dev/null
q distribute host r-1 r-lock --yes --reboot >"$TEST_DIR/reboot.out" 2>&1 ||
    { cat "$TEST_DIR/reboot.out" >&2; fail "distribution with --reboot"; }
assert_contains "$(cat "$TEST_DIR/reboot.out")" \
    "network.hostname: applied: \"r-1\" -> \"renamed\" (needs a restart)"
assert_contains "$(cat "$TEST_DIR/reboot.out")" "r-1: rebooted"
assert_contains "$(cat "$TEST_DIR/reboot.out")" "r-lock: rebooted"
boots_up() { [ "$(dist_get "$1" $BOOTS)" = "$2" ]; }
wait_for 30 boots_up r-1 $((b1 + 1)) || fail "r-1 did not come back rebooted"
wait_for 30 boots_up r-lock $((b3 + 1)) ||
    fail "r-lock did not come back rebooted"
pass "both printers rebooted once"
