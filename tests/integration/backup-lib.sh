# Sourced by the backup tests (after tests/lib/common.sh): start quire-sim
# on a fleet file and register its printers with their credentials the way
# tests/integration/check-demo.sh does.
#
#   backup_sim_start FLEET         quire-sim on loopback; SIM_OUT its listing
#   backup_register [SKIP_SNMP]    every printer of SIM_OUT with its SNMP
#                                  credentials and logins; printers named
#                                  in SKIP_SNMP get no SNMP credential
#   q ARGS...                      quire with the test's log

: "${QUIRE_SIM:?run through make check}"
LOG="$TEST_DIR/quire.log"
SIM_OUT="$TEST_DIR/sim.out"
q() { "$QUIRE" -v --log "$LOG" "$@"; }

backup_sim_start() {
	"$QUIRE_SIM" --fleet "$1" --state "$TEST_DIR/state" --addressing auto \
	    >"$SIM_OUT" 2>"$TEST_DIR/sim.err" </dev/null &
	SIM_PID=$!
	test_track "$SIM_PID"
	if ! wait_for 60 grep -q '^# ready ' "$SIM_OUT"; then
		cat "$TEST_DIR/sim.err" >&2
		fail "quire-sim did not get ready"
	fi
}

# backup_credential NAME SECRET... -- ARGS...: credential NAME from a file.
backup_credential() {
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
	CREDS="$CREDS --credential $cname"
}

# backup_logins NAME LOGIN...: a credential for each login as listed.
backup_logins() {
	name=$1
	shift
	i=0
	for l in "$@"; do
		i=$((i + 1))
		k=${l%%=*} v=${l#*=}
		case $k in
		user)	backup_credential "$name-l$i" "${v#*:}" -- --kind user \
			    --user "${v%%:*}" ;;
		domain)	d=${v%%\\*} u=${v#*\\}
			backup_credential "$name-l$i" "${u#*:}" -- --kind domain \
			    --domain "$d" --user "${u%%:*}" ;;
		sysmgr)	backup_credential "$name-l$i" "${v#*:}" -- \
			    --kind sysmgr --id "${v%%:*}" ;;
		password) backup_credential "$name-l$i" "$v" -- \
			    --kind password ;;
		esac
	done
}

# backup_register_one SKIP LINE...: one printer of the listing.
backup_register_one() {
	skip=$1 name=$2
	shift 2
	snmp= ssh= site= comm= v3u= v3a= v3ap= v3p= v3pp= logins=
	for tok in "$@"; do
		case $tok in
		snmp=*) snmp=${tok#snmp=} ;;
		ssh=127.*) ssh=${tok##*:} ;;
		site=*) site=${tok#site=} ;;
		community=*) comm=${tok#community=} ;;
		v3_user=*) v3u=${tok#v3_user=} ;;
		v3_auth=*) v3a=${tok#v3_auth=} ;;
		v3_auth_pass=*) v3ap=${tok#v3_auth_pass=} ;;
		v3_priv=*) v3p=${tok#v3_priv=} ;;
		v3_priv_pass=*) v3pp=${tok#v3_priv_pass=} ;;
		user=*|domain=*|sysmgr=*|password=*) logins="$logins $tok" ;;
		esac
	done
	set -- "$name" "$snmp" --group "$site"
	[ -z "$ssh" ] || set -- "$@" --ssh-port "$ssh"
	q printer add "$@" --no-check
	CREDS=
	case " $skip " in
	*" $name "*) ;;
	*)	if [ -n "$v3u" ] && [ -n "$v3ap" ] && [ "$comm" != public ]; then
			backup_credential "$name-v3" "$v3ap" "$v3pp" -- \
			    --kind snmp-usm --user "$v3u" --auth "$v3a" \
			    --priv "$v3p"
		fi
		[ -z "$comm" ] || [ "$comm" = public ] ||
		    backup_credential "$name-ro" "$comm" -- \
		    --kind snmp-community ;;
	esac
	# shellcheck disable=SC2086
	backup_logins "$name" $logins
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
