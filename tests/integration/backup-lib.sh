# Sourced by the backup tests (after tests/lib/common.sh): start quire-sim
# on a fleet file and register its printers with their credentials
# (tests/lib/demo.sh).
#
#   backup_sim_start FLEET         quire-sim on loopback; SIM_OUT its listing
#   backup_register [SKIP_SNMP]    every printer of SIM_OUT with its SNMP
#                                  credentials and logins; printers named
#                                  in SKIP_SNMP get no SNMP credential
#   q ARGS...                      quire with the test's log

. "$top_srcdir/tests/lib/demo.sh"

backup_sim_start() { demo_sim_start "$@"; }

# backup_register_one SKIP LINE...: one printer of the listing.
backup_register_one() {
	skip=$1
	shift
	demo_parse "$@"
	demo_add
	CREDS=
	case " $skip " in
	*" $name "*) ;;
	*)	if [ -n "$v3u" ] && [ -n "$v3ap" ] && [ "$comm" != public ]; then
			demo_credential "$name-v3" "$v3ap" "$v3pp" -- \
			    --kind snmp-usm --user "$v3u" --auth "$v3a" \
			    --priv "$v3p"
		fi
		[ -z "$comm" ] || [ "$comm" = public ] ||
		    demo_credential "$name-ro" "$comm" -- \
		    --kind snmp-community ;;
	esac
	demo_logins "$name"
	# shellcheck disable=SC2086
	[ -z "$CREDS" ] || q printer set "$name" $CREDS --no-check >/dev/null
}

backup_register() {
	set -f
	grep -v '^#' "$SIM_OUT" | while read -r line; do
		# shellcheck disable=SC2086
		backup_register_one "${1:-}" $line
	done
	set +f
}
