#!/bin/sh
# `quire-sim --list` on the demo fleet: at least 40 printers of at least 4
# models at 3 sites, each line with its addresses and credentials; broken
# input is refused with FILE:LINE:COLUMN and the exit status says which.
. "$top_srcdir/tests/lib/common.sh"
: "${QUIRE_SIM:?run through make check}"

DEMO="$top_srcdir/data/demo-fleet.yaml"
"$QUIRE_SIM" --fleet "$DEMO" --list --addressing ports >"$TEST_DIR/list" ||
    fail "quire-sim --list failed"

n=$(wc -l <"$TEST_DIR/list")
[ "$n" -ge 40 ] || fail "only $n printers"
pass "$n printers"
models=$(sed -n 's/^[^ ]* model=\([^ ]*\) .*/\1/p' "$TEST_DIR/list" |
    sort -u | wc -l)
[ "$models" -ge 4 ] || fail "only $models models"
pass "$models models"
sites=$(sed -n 's/.* site=\([^ ]*\) .*/\1/p' "$TEST_DIR/list" | sort -u |
    wc -l)
[ "$sites" -ge 3 ] || fail "only $sites sites"
pass "$sites sites"

bad=$(grep -Evc '^[A-Za-z0-9._-]+ model=[^ ]+ snmp=127\.0\.0\.1:[0-9]+ ssh=(127\.0\.0\.1:[0-9]+|-) https=(127\.0\.0\.1:[0-9]+|-) site=' \
    "$TEST_DIR/list" || true)
assert_eq "$bad" 0 "lines not of the documented form"
list=$(cat "$TEST_DIR/list")
assert_contains "$list" " ssh=- " "a model without the shell"
assert_contains "$list" "v3_auth=SHA-256 " "a SHA-256 printer"
assert_contains "$list" "v3_auth=MD5 " "an MD5 printer"
assert_contains "$list" "v3_priv=DES " "a DES printer"
assert_contains "$list" " domain=PLANT\\operator:" "a domain login"
assert_contains "$list" " sysmgr=" "a System Manager login"
assert_contains "$list" " password=" "a password login"
assert_contains "$list" "faults=timeout" "a printer that times out"
assert_contains "$list" "faults=loss_pct:10" "a lossy printer"
[ "$(grep -c ' community=public ' "$TEST_DIR/list")" -lt "$n" ] ||
    fail "every printer takes public"
pass "one printer does not take public"

# Ports mode: printer i at base + i.
assert_contains "$(head -2 "$TEST_DIR/list" | tail -1)" \
    " snmp=127.0.0.1:20001 " "the second printer's SNMP port"
# Loopback: an address each, .255 and .0 skipped.
line=$("$QUIRE_SIM" --fleet "$DEMO" --list --addressing loopback \
    --base 127.0.7.254 | sed -n 2p)
assert_contains "$line" " snmp=127.0.8.1:161 " "loopback addresses"

# Errors: a bad fleet file (1), bad usage (2).
printf 'quire-sim: fleet/1\nmodels: []\nprinters: []\n' >"$TEST_DIR/bad.yaml"
rc=0
"$QUIRE_SIM" --fleet "$TEST_DIR/bad.yaml" --list 2>"$TEST_DIR/err" || rc=$?
assert_eq "$rc" 1 "exit status on a bad fleet"
assert_contains "$(cat "$TEST_DIR/err")" "$TEST_DIR/bad.yaml:2:9: models: expected a list of models"
rc=0
"$QUIRE_SIM" --list 2>/dev/null || rc=$?
assert_eq "$rc" 2 "exit status without --fleet"
rc=0
"$QUIRE_SIM" --fleet "$DEMO" --list --base 10.0.0.1 \
    --addressing loopback 2>"$TEST_DIR/err" || rc=$?
assert_eq "$rc" 1 "exit status on a base outside 127.0.0.0/8"
assert_contains "$(cat "$TEST_DIR/err")" "is not in 127.0.0.0/8"
