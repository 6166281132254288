# Sourced (after tests/lib/common.sh) by the tests that run quire against a
# quire-sim fleet: start it, and register its printers with the credentials
# quire-sim lists for each.
#
#   demo_sim_start FLEET           quire-sim on loopback; SIM_OUT its listing
#   demo_credential NAME SECRET... -- ARGS...
#                                  `credential add NAME ARGS` with the
#                                  secrets from a 0600 file; NAME joins
#                                  CREDS; each secret also goes to $ALL
#                                  when the test keeps one
#   demo_parse NAME TOKEN...       one listing line into snmp ssh https site
#                                  comm v3u v3a v3ap v3p v3pp logins
#   demo_add                       `printer add` of what demo_parse read
#   demo_logins NAME               a credential for each of its logins
#   q ARGS...                      quire with the test's log

: "${QUIRE_SIM:?run through make check}"
LOG="$TEST_DIR/quire.log"
SIM_OUT="$TEST_DIR/sim.out"
q() { "$QUIRE" -v --log "$LOG" "$@"; }

demo_sim_start() {
	"$QUIRE_SIM" --fleet "$1" --state "$TEST_DIR/state" --addressing auto \
	    >"$SIM_OUT" 2>"$TEST_DIR/sim.err" </dev/null &
	SIM_PID=$!
	test_track "$SIM_PID"
	if ! wait_for 60 grep -q '^# ready ' "$SIM_OUT"; then
		cat "$TEST_DIR/sim.err" >&2
		fail "quire-sim did not get ready"
	fi
}

demo_credential() {
	cname=$1
	shift
	f="$TEST_DIR/secret"
	: >"$f"
	chmod 600 "$f"
	while [ "$1" != "--" ]; do
		printf '%s\n' "$1" >>"$f"
		[ -z "${ALL:-}" ] || printf '%s\n' "$1" >>"$ALL"
		shift
	done
	shift
	q credential add "$cname" "$@" --secret-file "$f" >/dev/null
	rm -f "$f"
	CREDS="${CREDS:-} --credential $cname"
}

demo_parse() {
	name=$1
	shift
	snmp= ssh= https= site= comm= v3u= v3a= v3ap= v3p= v3pp= logins=
	for tok in "$@"; do
		case $tok in
		snmp=*) snmp=${tok#snmp=} ;;
		ssh=127.*) ssh=${tok##*:} ;;
		https=127.*) https=${tok##*:} ;;
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
}

demo_add() {
	set -- "$name" "$snmp" --group "$site"
	[ -z "$ssh" ] || set -- "$@" --ssh-port "$ssh"
	[ -z "$https" ] || set -- "$@" --https-port "$https"
	q printer add "$@" --no-check
}

demo_logins() {
	i=0
	for l in $logins; do
		i=$((i + 1))
		k=${l%%=*} v=${l#*=}
		case $k in
		user)	demo_credential "$1-l$i" "${v#*:}" -- --kind user \
			    --user "${v%%:*}" ;;
		domain)	d=${v%%\\*} u=${v#*\\}
			demo_credential "$1-l$i" "${u#*:}" -- --kind domain \
			    --domain "$d" --user "${u%%:*}" ;;
		sysmgr)	demo_credential "$1-l$i" "${v#*:}" -- --kind sysmgr \
			    --id "${v%%:*}" ;;
		password) demo_credential "$1-l$i" "$v" -- --kind password ;;
		esac
	done
}
