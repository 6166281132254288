#!/bin/sh
# The capability check against the demo fleet: every printer of
# data/demo-fleet.yaml is registered as quire-sim prints it (SNMP address,
# SSH and HTTPS ports, its SNMP credentials and logins, one deliberately
# wrong), `quire check all` runs, and each printer's verdict is the one the
# fleet file's facts imply. No secret reaches the log.
. "$top_srcdir/tests/lib/common.sh"

. "$top_srcdir/tests/lib/demo.sh"
FLEET="$top_srcdir/data/demo-fleet.yaml"
OUT="$SIM_OUT"
ALL="$TEST_DIR/all-secrets"
: >"$ALL"
demo_sim_start "$FLEET"

# register LINE: the printer and its credentials, in the order printed
# (v3 before the community for plant-old-01, so SNMPv3 is what works).
register() {
	demo_parse "$@"
	demo_add
	CREDS=
	case $name in
	hq-mono-06)	# a wrong v3 passphrase and nothing else
		demo_credential "$name-v3" wrong-auth-pass "$v3pp" -- \
		    --kind snmp-usm --user "$v3u" --auth "$v3a" --priv "$v3p"
		# shellcheck disable=SC2086
		q printer set "$name" $CREDS --no-check
		return ;;
	hq-mono-0*|hq-0*|plant-0*|plant-sys-*|branch-*|*legacy*) ;;
	*)	[ -z "$v3u" ] || demo_credential "$name-v3" "$v3ap" "$v3pp" -- \
		    --kind snmp-usm --user "$v3u" --auth "$v3a" --priv "$v3p" ;;
	esac
	[ -z "$comm" ] || [ "$comm" = public ] && [ "$name" != hq-secret ] ||
	    demo_credential "$name-ro" "$comm" -- --kind snmp-community
	demo_logins "$name"
	# shellcheck disable=SC2086
	[ -z "$CREDS" ] || q printer set "$name" $CREDS --no-check >/dev/null
}

set -f
grep -v '^#' "$OUT" | while read -r line; do
	# shellcheck disable=SC2086
	register $line
done
set +f
[ "$(q printer list --format csv | wc -l)" -eq 53 ] ||
    fail "52 printers registered"

set +e
q check all --retries 3 >"$TEST_DIR/check.out" 2>&1
rc=$?
set -e
# hq-dead's SNMP never answers, but its HTTPS port does: the printer is
# up, with nothing to manage ("not supported"), so no target failed.
[ $rc -eq 0 ] || { cat "$TEST_DIR/check.out" >&2; fail "check all exited $rc"; }
q printer list --format csv >"$TEST_DIR/list.csv"

# The fleet's facts, printer by printer.
expect() {
	got=$(awk -F, -v n="$1" '$1 == n { print $11 }' "$TEST_DIR/list.csv")
	assert_eq "$got" "$2" "verdict of $1"
}
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do expect "hq-$i" managed; done
for i in 01 02 03 04 05; do expect "hq-mono-$i" managed; done
expect hq-mono-06 "authentication failed"	# wrong v3 passphrase
expect hq-secret managed			# its own community
expect hq-lossy managed				# 10 % loss, 3 retries
expect hq-dead "not supported"			# SNMP silent, HTTPS up
assert_contains "$(awk -F, '$1 == "hq-dead"' "$TEST_DIR/list.csv")" \
    "(the printer is up): SNMP is off or wants a community other than public"
expect hq-nologin "partly managed"		# refuses every login
expect hq-locked managed
expect hq-evil "partly managed"			# no login in the fleet
expect hq-flaky managed
for i in 01 02 03 04 05 06 07 08 09 10; do expect "plant-$i" managed; done
for i in 01 02 03; do expect "plant-sys-$i" managed; done
expect plant-lab-01 managed			# v3 only
expect plant-old-01 managed			# v3 MD5/DES
expect plant-legacy-01 "partly managed"		# no vendor subtree, no shell
expect plant-legacy-02 "partly managed"
for i in 01 02 03 04 05 06; do expect "branch-$i" "partly managed"; done
expect branch-mfp-01 managed
expect branch-mfp-02 managed
expect branch-legacy-01 "partly managed"
expect branch-legacy-02 "partly managed"
pass "52 verdicts as the fleet file implies"

# Details: the reason, SNMP version, login kind, HTTPS, identity.
row() { grep "^$1," "$TEST_DIR/list.csv"; }
assert_contains "$(row hq-nologin)" "login hq-nologin-l1"
assert_contains "$(row hq-evil)" "no shell login registered"
assert_contains "$(row plant-legacy-01)" "no vendor subtree"
assert_contains "$(row branch-01)" "tried the default community"
assert_contains "$(row plant-old-01)" ",v3,user,yes,"
assert_contains "$(row plant-sys-01)" ",v2c,sysmgr,yes,"
assert_contains "$(row plant-01)" ",v2c,domain,yes,"
assert_contains "$(row hq-mono-01)" ",v2c,password,yes,"
assert_contains "$(row plant-legacy-01)" ",v2c,,no,"
assert_contains "$(row hq-01)" "Quire QX-C7500 colour multifunction printer"
assert_contains "$(row hq-01)" "7.5.12"
pass "reasons and findings recorded"

# No secret in the log or the check's output. Whole words: a 4-digit PIN
# is also part of many a port number in the log.
while read -r s; do
	[ -z "$s" ] && continue
	! grep -qwF -- "$s" "$LOG" "$TEST_DIR/check.out" ||
	    fail "a secret reached the log: $(grep -wF -- "$s" "$LOG" \
	    "$TEST_DIR/check.out" | head -1)"
done <"$ALL"
# The check works: a secret written into a copy of the log is found.
cp "$LOG" "$TEST_DIR/log.copy"
tail -1 "$ALL" >>"$TEST_DIR/log.copy"
grep -qwF -- "$(tail -1 "$ALL")" "$TEST_DIR/log.copy" ||
    fail "the secret check finds nothing"
pass "no secret logged"
