#!/bin/sh
# Several check jobs at once through `quire engine`, with v3 and community
# credentials, on printers that never answer: every target ends failed
# with its reason and the engine survives. (This once freed an SNMP
# pending entry net-snmp had already handed back: a use after free that
# --enable-asan builds abort on.)
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/snmpd.sh"

printf 'authpass123\nprivpass123\n' >"$TEST_DIR/usm"
printf 'public\n' >"$TEST_DIR/comm"
chmod 600 "$TEST_DIR/usm" "$TEST_DIR/comm"
"$QUIRE" credential add v3 --kind snmp-usm --user ops --auth SHA --priv AES \
    --secret-file "$TEST_DIR/usm" >/dev/null
"$QUIRE" credential add comm --kind snmp-community \
    --secret-file "$TEST_DIR/comm" >/dev/null
dead=$(snmpd_blackhole_port)
for i in $(seq 1 30); do
	"$QUIRE" printer add "p$i" "127.0.0.1:$dead" --credential v3 \
	    --credential comm --no-check >/dev/null
done
jobs=""
for j in 1 2 3; do
	jobs="$jobs $("$QUIRE" --no-wait check all --timeout 200 --retries 0)"
done

"$QUIRE" --log "$TEST_DIR/engine.log" engine >"$TEST_DIR/engine.out" 2>&1 &
engine=$!
test_track $engine
all_done() {
	for j in $jobs; do
		"$QUIRE" job list --format csv | grep -q "^$j,check,failed,30,0,30," ||
		    return 1
	done
}
wait_for 120 all_done || { cat "$TEST_DIR/engine.out" >&2; fail "jobs$jobs did not all end"; }
pass "jobs$jobs ended: every target failed"
kill -0 $engine 2>/dev/null || { cat "$TEST_DIR/engine.out" >&2; fail "the engine died"; }
pass "the engine is still running"
assert_not_contains "$(cat "$TEST_DIR/engine.out")" "AddressSanitizer" \
    "engine output"
for j in $jobs; do
	show=$("$QUIRE" job show "$j" --format csv)
	assert_contains "$show" "key 1 (SNMPv3 user 'ops' (authPriv, SHA/AES)): no answer"
done
kill -TERM $engine
wait $engine || fail "quire engine exited non-zero after SIGTERM"
pass "quire engine stops cleanly"
