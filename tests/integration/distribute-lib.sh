# Sourced by the distribute tests (after tests/lib/common.sh).
#
#   dist_sim_start FLEET        quire-sim on loopback; SIM_OUT its listing
#   dist_register               every printer of SIM_OUT with one SNMP
#                               credential (read public, write private) and
#                               one shell login (user admin/admin-pw)
#   dist_addr NAME              the printer's SNMP address:port
#   dist_get NAME OID           its value read with net-snmp's snmpget
#   q ARGS...                   quire with the test's log

. "$top_srcdir/tests/lib/demo.sh"
export MIBS= MIBDIRS= SNMPCONFPATH="$TEST_DIR" SNMP_PERSISTENT_DIR="$TEST_DIR"

dist_sim_start() { demo_sim_start "$@"; }

dist_register() {
	demo_credential fleet-snmp public private -- --kind snmp-community
	demo_credential fleet-login admin-pw -- --kind user --user admin
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
