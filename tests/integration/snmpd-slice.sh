#!/bin/sh
# The first slice end to end against a real net-snmp snmpd on loopback:
# add and import printers, check them (one never answers), read the results
# back through every listing format, run the job through `quire engine`.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

snmpd_start
dead=$(snmpd_blackhole_port)

"$QUIRE" printer add agent "127.0.0.1:$SNMPD_PORT" --group lab --no-check
"$QUIRE" printer add dead "127.0.0.1:$dead" --group lab --no-check
cat >"$TEST_DIR/more.csv" <<CSV
name,address,group
agent-v6ish,127.0.0.1:$SNMPD_PORT,annex
CSV
out=$("$QUIRE" printer import "$TEST_DIR/more.csv" --no-check)
assert_contains "$out" "1 added, 0 updated, 0 unchanged"

mode=$(stat -c %a "$QUIRE_DB")
assert_eq "$mode" 600 "database file mode"

# One printer never answers: the job ends, that target failed with its
# reason, exit status 1. (timeout(1) is a hang guard, not a timing check.)
set +e
out=$(timeout 60 "$QUIRE" check all --timeout 300 --retries 1 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "exit status with one unreachable printer"
assert_contains "$out" "dead: failed: no answer"
assert_not_contains "$out" "agent: failed"

csv=$("$QUIRE" printer list --format csv)
assert_contains "$csv" "agent,127.0.0.1,$SNMPD_PORT,lab,reachable,$SNMPD_SYSDESCR,,$SNMPD_SYSNAME,"
assert_contains "$csv" "dead,127.0.0.1,$dead,lab,unreachable"
assert_contains "$csv" "timeout after 2 attempts of 300 ms"
json=$("$QUIRE" printer list --format json group:annex)
assert_contains "$json" "\"name\": \"agent-v6ish\""
assert_contains "$json" "\"state\": \"reachable\""
assert_not_contains "$json" "\"name\": \"dead\""
yaml=$("$QUIRE" printer list --format yaml agent)
assert_contains "$yaml" "sys_name: \"$SNMPD_SYSNAME\""

show=$("$QUIRE" job show 1 --format csv)
assert_contains "$show" "agent,done,1,partly managed: no vendor subtree;"
assert_contains "$show" "dead,failed,1,,no answer"
jobs=$("$QUIRE" job list --format csv)
assert_contains "$jobs" "1,check,failed,3,2,1,no,tester,"

# The engine as a service runs what another command queued.
job=$("$QUIRE" --no-wait check agent)
state=$("$QUIRE" job list --format csv | grep "^$job,")
assert_contains "$state" ",queued,"
"$QUIRE" engine >"$TEST_DIR/engine.out" 2>&1 &
engine_pid=$!
test_track $engine_pid
job_done() { "$QUIRE" job list --format csv | grep -q "^$job,check,done,"; }
wait_for 30 job_done || fail "quire engine did not run job $job"
pass "quire engine ran job $job"
kill -TERM $engine_pid
wait $engine_pid || fail "quire engine exited non-zero after SIGTERM"
pass "quire engine stops on SIGTERM"

# Removing asks first; --dry-run changes nothing.
out=$("$QUIRE" printer rm dead --dry-run)
assert_contains "$out" "would remove dead"
set +e
"$QUIRE" printer rm 'dea*' </dev/null 2>"$TEST_DIR/rm.err"
rc=$?
set -e
assert_eq "$rc" 1 "rm without --yes on no terminal"
assert_contains "$(cat "$TEST_DIR/rm.err")" "not removing 1 printer(s) without --yes"
out=$("$QUIRE" printer rm 'dea*' --yes)
assert_eq "$out" "removed dead" "rm --yes output"
list=$("$QUIRE" printer list --format csv)
assert_not_contains "$list" "dead,"

# Every act is in the audit trail, under the operator's name.
audit=$(sqlite3 "$QUIRE_DB" "SELECT group_concat(action, '|') FROM audit WHERE who = 'tester'")
assert_contains "$audit" "printer add|printer add|printer import|job submit"
assert_contains "$audit" "printer rm"

# Bad input: exit 2 and a message naming what was wrong.
set +e
"$QUIRE" check nosuch 2>"$TEST_DIR/err"; rc=$?
set -e
assert_eq "$rc" 2 "exit status for an unknown target"
assert_contains "$(cat "$TEST_DIR/err")" "no printer matches 'nosuch'"
