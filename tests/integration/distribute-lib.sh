# Sourced by the distribute tests (after tests/lib/common.sh).
#
#   dist_sim_start FLEET        quire-sim on loopback; SIM_OUT its listing
#   dist_register               every printer of SIM_OUT with one SNMP
#                               credential (read public, write private) and
#                               one shell login (user admin/admin-pw)
#   dist_addr NAME              the printer's SNMP address:port
#   dist_get NAME OID           its value read with net-snmp's snmpget
#   q ARGS...                   quire with the test's log

: "${QUIRE_SIM:?run through make check}"
LOG="$TEST_DIR/quire.log"
SIM_OUT="$TEST_DIR/sim.out"
q() { "$QUIRE" -v --log "$LOG" "$@"; }
export MIBS= MIBDIRS= SNMPCONFPATH="$TEST_DIR" SNMP_PERSISTENT_DIR="$TEST_DIR"

dist_sim_start() {
	"$QUIRE_SIM" --fleet "$1" --state "$TEST_DIR/state" --addressing auto \
	    >"$SIM_OUT" 2>"$TEST_DIR/sim.err" </dev/null &
	test_track "$!"
	if ! wait_for 60 grep -q '^# ready ' "$SIM_OUT"; then
		cat "$TEST_DIR/sim.err" >&2
		fail "quire-sim did not get ready"
	fi
}

# dist_credential NAME SECRET... -- ARGS...
dist_credential() {
	cname=$1
	shift
	f="$TEST_DIR/secret"
	: >"$f"
	chmod 600 "$f"
	while [ "$1" != "--" ]; do
		printf '%s\n' "$1" >>"$f"
		shift
	done
	shift
	q credential add "$cname" "$@" --secret-file "$f" >/dev/null
	rm -f "$f"
}

dist_register() {
	dist_credential fleet-snmp public private -- --kind snmp-community
	dist_credential fleet-login admin-pw -- --kind user --user admin
	grep -v '^#' "$SIM_OUT" | while read -r name _ snmp ssh _; do
		set -- "$name" "${snmp#snmp=}" --credential fleet-snmp
		case $ssh in
		ssh=127.*) set -- "$@" --ssh-port "${ssh##*:}" \
		    --credential fleet-login ;;
		esac
		q printer add "$@" --no-check >/dev/null
	done
}

dist_addr() {
	awk -v n="$1" '$1 == n { sub("snmp=", "", $3); print $3 }' "$SIM_OUT"
}

dist_get() {
	snmpget -v2c -c public -r 2 -Oqv "$(dist_addr "$1")" "$2"
}
