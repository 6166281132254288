#!/bin/sh
# Distribution to 20 simulated printers with faults: d-lock has the power
# settings locked by policy (a SET of them is refused), d-legacy has no
# vendor subtree (only the device category), and d-gone answered the check
# but its SNMP port then swallows everything (a blackhole). A dry run
# writes nothing (snmpget still reads the old values); `quire distribute
# DATA all --yes` then records exactly: the timeout on d-gone, the refusal
# with the printer's reason on d-lock, the unsupported categories on
# d-legacy, and every other printer holds the new values when read with
# net-snmp's snmpget. The secret goes through the shell and is never
# stored.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"
. "$top_srcdir/tests/integration/distribute-lib.sh"

command -v snmpget >/dev/null 2>&1 || { echo "no snmpget: skipped"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }

cat >"$TEST_DIR/fleet.yaml" <<EOF
quire-sim: fleet/1
models:
  - name: QX-C7500
    descr: "Quire QX-C7500 colour multifunction printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.2
    firmware: "7.5.12"
    https: false
  - name: LegacyJet-900
    descr: "LegacyJet 900 network printer"
    sys_object_id: 1.3.6.1.4.1.32473.9.900
    firmware: "1.07"
    vendor_subtree: false
    shell: false
    https: false
printers:
  - name: d-%02d
    count: 17
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: admin-pw }
  - name: d-lock
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: admin-pw }
    faults: { locked: ["power.*"] }
  - name: d-legacy
    model: LegacyJet-900
    site: lab
    communities: { ro: public, rw: private }
  - name: d-gone
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
EOF
dist_sim_start "$TEST_DIR/fleet.yaml"
dist_register
q check all >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "check of the fleet"; }

# d-gone stops answering SNMP after the check.
bh=$(snmpd_blackhole_port)
sqlite3 "$QUIRE_DB" "UPDATE printers SET port = $bh WHERE name = 'd-gone'"

cat >"$TEST_DIR/office.yaml" <<EOF
quire: setting-data/1
name: office
settings:
  device.location: "Floor 3, east"
  device.contact: "print-team@example.com"
  power.sleep.timer_min: 42
  snmp.v3.auth_password: "new-auth-pass-1"
EOF
q data import "$TEST_DIR/office.yaml" --name office >/dev/null

LOC=1.3.6.1.2.1.1.6.0
CON=1.3.6.1.2.1.1.4.0
TIMER=1.3.6.1.4.1.32473.1.7.2.0
old_loc=$(dist_get d-01 $LOC)
old_timer=$(dist_get d-01 $TIMER)

# The preview writes nothing.
set +e
q distribute office all --dry-run --timeout 300 --retries 0 \
    >"$TEST_DIR/dry.out" 2>"$TEST_DIR/dry.err"
rc=$?
set -e
assert_eq "$rc" 1 "exit status of the preview (d-gone fails)"
dry=$(cat "$TEST_DIR/dry.out")
assert_contains "$dry" "device.location: \"$(echo "$old_loc" | tr -d '"')\" -> \"Floor 3, east\""
assert_contains "$dry" "snmp.v3.auth_password: (secret) -> (secret)"
assert_contains "$dry" "power.sleep.timer_min: not supported: category power"
assert_eq "$(dist_get d-01 $LOC)" "$old_loc" "d-01's location after the preview"
assert_eq "$(dist_get d-01 $TIMER)" "$old_timer" "d-01's timer after the preview"
pjob=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM distribute_results
    WHERE job_id = $pjob AND outcome = 'would-change'")" 74 \
    "settings that would change (18 x 4 + 2 on d-legacy)"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM backups")" 0 \
    "backups taken by the preview"

# Without a terminal and without --yes nothing is written.
set +e
q distribute office all --timeout 300 --retries 0 </dev/null \
    >"$TEST_DIR/noyes.out" 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "exit status without --yes"
assert_contains "$(cat "$TEST_DIR/noyes.out")" "run again with --yes"
assert_eq "$(dist_get d-01 $LOC)" "$old_loc" "d-01's location without --yes"

# The distribution, at most 4 printers at once and 50 started a second.
assert_eq "$(q distribute --set-concurrency 4 --set-rate 50)" \
    "distribution: at most 4 printers at once per job, 50 started per second" \
    "the bounds"
set +e
q distribute office all --yes --timeout 300 --retries 0 \
    >"$TEST_DIR/write.out" 2>"$TEST_DIR/write.err"
rc=$?
set -e
assert_eq "$rc" 1 "exit status of the distribution"
job=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
q distribute show "$job" --format csv >"$TEST_DIR/show.csv" || true
res() {
	awk -F, -v p="$1" -v k="$2" '$1 == p && $2 == k { print $3 }' \
	    "$TEST_DIR/show.csv"
}
why() {
	sqlite3 "$QUIRE_DB" "SELECT reason FROM distribute_results WHERE
	    job_id = $job AND printer_name = '$1' AND key = '$2'"
}

# d-gone: every setting failed on the timeout.
assert_eq "$(awk -F, '$1 == "d-gone" { print $3 }' "$TEST_DIR/show.csv" |
    sort -u)" failed "d-gone's outcomes"
assert_contains "$(why d-gone device.location)" "timeout" "d-gone's reason"
# d-lock: the power setting refused with the printer's reason; the rest in.
assert_eq "$(res d-lock power.sleep.timer_min)" rejected "d-lock's timer"
assert_contains "$(why d-lock power.sleep.timer_min)" "noAccess" \
    "d-lock's reason"
assert_eq "$(res d-lock device.location)" applied "d-lock's location"
assert_eq "$(dist_get d-lock $LOC)" '"Floor 3, east"' "d-lock's location"
assert_eq "$(dist_get d-lock $TIMER)" "$old_timer" "d-lock's timer"
# d-legacy: the power and snmp categories are not supported.
assert_eq "$(res d-legacy power.sleep.timer_min)" unsupported \
    "d-legacy's timer"
assert_eq "$(res d-legacy snmp.v3.auth_password)" unsupported \
    "d-legacy's secret"
assert_eq "$(res d-legacy device.contact)" applied "d-legacy's contact"
assert_eq "$(dist_get d-legacy $CON)" '"print-team@example.com"' \
    "d-legacy's contact read with snmpget"
# The others: everything applied, and snmpget reads the new values.
i=1
while [ $i -le 17 ]; do
	p=$(printf 'd-%02d' $i)
	assert_eq "$(awk -F, -v p="$p" '$1 == p { print $3 }' \
	    "$TEST_DIR/show.csv" | sort -u)" applied "$p's outcomes"
	assert_eq "$(dist_get "$p" $LOC)" '"Floor 3, east"' "$p's location"
	assert_eq "$(dist_get "$p" $CON)" '"print-team@example.com"' \
	    "$p's contact"
	assert_eq "$(dist_get "$p" $TIMER)" 42 "$p's timer"
	i=$((i + 1))
done
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM distribute_results
    WHERE job_id = $job")" 80 "results of the distribution (20 x 4)"
# The secret: applied through the shell, never stored in clear.
assert_eq "$(res d-05 snmp.v3.auth_password)" applied "d-05's secret"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM distribute_results
    WHERE key = 'snmp.v3.auth_password' AND (old_value IS NOT NULL OR
    new_value IS NOT NULL)")" 0 "secret values stored"
assert_not_contains "$(cat "$TEST_DIR/write.out" "$LOG")" "new-auth-pass-1" \
    "the secret in the output and the log"
# Backups were taken first, linked to the job.
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT count(DISTINCT b.printer_name) FROM
    backup_runs r JOIN backups b ON b.id = r.backup_id
    WHERE r.job_id = $job")" 19 \
    "printers backed up before writing (all but d-gone)"
assert_contains "$(cat "$TEST_DIR/write.out")" \
    "d-lock: 3 applied, 1 rejected"

# Retry: the failed printers again (d-gone still fails, d-lock rejects).
set +e
q distribute retry "$job" >"$TEST_DIR/retry.out" 2>&1
rc=$?
set -e
assert_eq "$rc" 1 "exit status of the retry"
rjob=$(sqlite3 "$QUIRE_DB" "SELECT max(job_id) FROM distribute_results")
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT group_concat(DISTINCT printer_name)
    FROM (SELECT printer_name FROM distribute_results WHERE job_id = $rjob
    ORDER BY printer_name)")" "d-gone,d-lock" "printers retried"
assert_eq "$(sqlite3 "$QUIRE_DB" "SELECT outcome FROM distribute_results
    WHERE job_id = $rjob AND printer_name = 'd-lock' AND key =
    'device.location'")" unchanged "d-lock's location on the retry"
