#!/bin/sh
# The capability check running by itself, through the real quire binary:
# adding a printer or changing its credentials queues a check job
# (--no-check does not), the schedule setting, and `credential test`
# against a real snmpd on loopback with a right and a wrong community.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

snmpd_start
dead=$(snmpd_blackhole_port)
# The check jobs' targets, as "job:printer" words.
targets_of() {
	"$QUIRE" job show "$1" --format csv | sed 1d | cut -d, -f1 |
	    sed "s/^/$1:/" | tr '\n' ' '
}
jobs_count() { "$QUIRE" job list --format csv | sed 1d | wc -l; }

# printer add queues a check of that printer, and says so.
out=$("$QUIRE" printer add agent "127.0.0.1:$SNMPD_PORT")
assert_eq "$out" "check job 1 queued" "printer add output"
assert_contains "$("$QUIRE" job list --format csv)" "1,check,queued,1,"
assert_eq "$(targets_of 1)" "1:agent " "job 1's targets"

# --no-check: nothing queued.
out=$("$QUIRE" printer add dead "127.0.0.1:$dead" --no-check)
assert_eq "$out" "" "printer add --no-check output"
assert_eq "$(jobs_count)" 1 "jobs after --no-check"

printf 'wrong-comm\n' | "$QUIRE" credential add bad --kind snmp-community
printf '%s\n' "$SNMPD_RO_COMMUNITY" |
    "$QUIRE" credential add good --kind snmp-community

# A credential change queues a check of the printers it changed.
out=$("$QUIRE" printer set agent dead --credential good)
assert_contains "$out" "check job 2 queued"
assert_eq "$(targets_of 2)" "2:agent 2:dead " "job 2's targets"
out=$("$QUIRE" printer set dead --credential bad --no-check)
assert_not_contains "$out" "queued"
assert_eq "$(jobs_count)" 2 "jobs after set --no-check"

# A printer added with a credential; removing a used credential with
# --force queues a check of the printers that lose it.
out=$("$QUIRE" printer add third "127.0.0.1:$dead" --credential bad)
assert_eq "$out" "check job 3 queued" "printer add --credential output"
out=$("$QUIRE" credential rm bad --force)
assert_contains "$out" "removed bad"
assert_contains "$out" "check job 4 queued"
assert_eq "$(targets_of 4)" "4:dead 4:third " "job 4's targets"
printf 'wrong-comm\n' | "$QUIRE" credential add bad --kind snmp-community

# printer import queues one check for the printers it added or moved, none
# for those unchanged; --dry-run and --no-check queue nothing.
n=$(jobs_count)
printf 'imp1,127.0.0.1:%s\nimp2,127.0.0.1:%s\n' "$dead" "$dead" \
    >"$TEST_DIR/import.csv"
out=$("$QUIRE" printer import "$TEST_DIR/import.csv" --dry-run)
assert_not_contains "$out" "queued"
out=$("$QUIRE" printer import "$TEST_DIR/import.csv")
assert_contains "$out" "2 added, 0 updated, 0 unchanged"
job=$((n + 1))
assert_contains "$out" "check job $job queued"
assert_eq "$(targets_of $job)" "$job:imp1 $job:imp2 " "import job's targets"
printf 'imp1,127.0.0.1:%s\nimp2,127.0.0.2:%s\n' "$dead" "$dead" \
    >"$TEST_DIR/import.csv"
out=$("$QUIRE" printer import "$TEST_DIR/import.csv")
assert_contains "$out" "check job $((job + 1)) queued"
assert_eq "$(targets_of $((job + 1)))" "$((job + 1)):imp2 " \
    "only the moved printer"
out=$("$QUIRE" printer import "$TEST_DIR/import.csv")
assert_not_contains "$out" "queued"
printf 'imp3,127.0.0.1:%s\n' "$dead" >"$TEST_DIR/import3.csv"
out=$("$QUIRE" printer import "$TEST_DIR/import3.csv" --no-check)
assert_not_contains "$out" "queued"
assert_eq "$(jobs_count)" $((job + 1)) "jobs after import --no-check"

# The schedule: daily by default, settable, 0 turns it off.
out=$("$QUIRE" check --schedule-show)
assert_eq "$out" "scheduled check: every 86400 s, last queued never" \
    "default schedule"
"$QUIRE" check --schedule 3600 >/dev/null
assert_contains "$("$QUIRE" check --schedule-show)" "every 3600 s"
"$QUIRE" check --schedule 0 >/dev/null
assert_eq "$("$QUIRE" check --schedule-show)" "scheduled check: off" \
    "schedule off"
set +e
"$QUIRE" check --schedule -5 2>/dev/null
rc=$?
set -e
assert_eq "$rc" 2 "negative schedule is a usage error"

# Run what is queued now, so the printers' findings are known before the
# tests (the blackholed ones fail).
set +e
timeout 60 "$QUIRE" check all --timeout 300 --retries 0 >/dev/null 2>&1
set -e

# credential test: only that credential, whatever the printer's list says.
# (timeout(1) is a hang guard, not a timing check.)
set +e
out=$(timeout 60 "$QUIRE" credential test good agent 2>&1)
rc=$?
set -e
assert_eq "$rc" 0 "credential test with the right community ($out)"
set +e
out=$(timeout 60 "$QUIRE" credential test bad agent 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "credential test with a wrong community"
assert_contains "$out" "agent: failed"
assert_contains "$out" "no answer"
echo "$out"
set +e
out=$("$QUIRE" credential test nosuch agent 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "credential test of an unknown credential"
assert_contains "$out" "nosuch"
# A test records nothing on the printer: the failed one did not mark it
# unreachable (the queued checks, run meanwhile, found it reachable).
csv=$("$QUIRE" printer list --format csv agent)
assert_contains "$csv" "agent,127.0.0.1,$SNMPD_PORT,,reachable,"
assert_not_contains "$csv" "unreachable"

# `quire engine` queues the scheduled check of every printer when due.
"$QUIRE" check --schedule 86400 >/dev/null
before=$(jobs_count)
nprinters=$("$QUIRE" printer list --format csv | sed 1d | wc -l)
"$QUIRE" -v --log "$TEST_DIR/engine.log" engine >"$TEST_DIR/engine.out" 2>&1 &
engine_pid=$!
test_track $engine_pid
sched_queued() {
	"$QUIRE" job list --format csv | grep -q ",check,[a-z]*,$nprinters,.*,engine,"
}
wait_for 30 sched_queued || { cat "$TEST_DIR/engine.log" >&2; fail "quire engine queued no scheduled check"; }
pass "quire engine queued the scheduled check"
assert_contains "$("$QUIRE" check --schedule-show)" "every 86400 s, last queued 2"
kill -TERM $engine_pid
wait $engine_pid || fail "quire engine exited non-zero after SIGTERM"
after=$(jobs_count)
[ "$after" -gt "$before" ] || fail "no job added by the engine"
pass "check-auto"
