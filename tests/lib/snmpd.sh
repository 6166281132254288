# Sourced after tests/lib/common.sh by tests that need a real net-snmp agent
# or a printer that never answers. Everything lives in $TEST_DIR, listens on
# 127.0.0.1 only and is stopped by PID when the test ends.
#
#   snmpd_start [CONF-LINE...]  start snmpd; sets SNMPD_PORT (exported) and
#                               SNMPD_PID, SNMPD_DIR, SNMPD_CONF, SNMPD_LOG
#   snmpd_stop                  stop the last snmpd started (a dead printer)
#   snmpd_tool CMD ARGS...      run snmpget/snmpset/snmpwalk... isolated
#   snmpd_blackhole_port        print a UDP port that swallows every request;
#                               also sets SNMPD_BLACKHOLE_PORT (exported)
#   snmpd_v3_user NAME [AUTH PASS [PRIV PASS]] [rw]
#                               print the conf lines of an SNMPv3 user, for
#                               snmpd_start: snmpd_start "$(snmpd_v3_user
#                               ops SHA-256 authpass1 AES privpass1)"
#
# SNMPD_WRITABLE_SYSTEM=1 before snmpd_start leaves sysLocation and
# sysContact out of snmpd.conf, so that a SET of them (rwcommunity private,
# or an rwuser) is taken; they start as net-snmp's defaults.
#
# The agent's identity, which a test may set before snmpd_start:
: "${SNMPD_SYSNAME:=quire-test-agent}"
: "${SNMPD_SYSDESCR:=quire test agent (net-snmp)}"
: "${SNMPD_SYSLOCATION:=quire test lab}"
: "${SNMPD_SYSCONTACT:=tester@example.invalid}"
SNMPD_RO_COMMUNITY=public
SNMPD_RW_COMMUNITY=private
SNMPD=${SNMPD:-/usr/sbin/snmpd}

# PIDs go to a file too, so that what a $(...) subshell started is stopped.
SNMPD_PIDFILE="$TEST_DIR/snmpd-helper.pids"
: >"$SNMPD_PIDFILE"

snmpd_cleanup() {
	[ -s "$SNMPD_PIDFILE" ] || return 0
	# shellcheck disable=SC2046
	test_stop_pids $(cat "$SNMPD_PIDFILE")
	: >"$SNMPD_PIDFILE"
}
test_at_exit snmpd_cleanup

snmpd_track() {
	echo "$1" >>"$SNMPD_PIDFILE"
	test_track "$1"
}

# snmpd_tool CMD ARGS...: a net-snmp command-line tool that reads no MIB,
# no ~/.snmp and writes nothing outside $TEST_DIR.
snmpd_tool() {
	mkdir -p "$TEST_DIR/snmp-tools"
	env MIBS= MIBDIRS= SNMPCONFPATH="$TEST_DIR/snmp-tools" \
	    SNMP_PERSISTENT_DIR="$TEST_DIR/snmp-tools" "$@"
}

snmpd_answers() {
	snmpd_tool snmpget -v2c -c "$SNMPD_RO_COMMUNITY" -r 0 -t 0.5 \
	    "127.0.0.1:$1" 1.3.6.1.2.1.1.5.0
}

# snmpd_write_conf DIR PORT [CONF-LINE...]
snmpd_write_conf() {
	dir=$1 port=$2
	shift 2
	{
		echo "agentAddress udp:127.0.0.1:$port"
		echo "rocommunity $SNMPD_RO_COMMUNITY 127.0.0.1"
		echo "rwcommunity $SNMPD_RW_COMMUNITY 127.0.0.1"
		# Set in the file, net-snmp refuses a SET of them (notWritable).
		if [ -z "${SNMPD_WRITABLE_SYSTEM:-}" ]; then
			echo "sysLocation $SNMPD_SYSLOCATION"
			echo "sysContact $SNMPD_SYSCONTACT"
		fi
		echo "sysName $SNMPD_SYSNAME"
		echo "sysDescr $SNMPD_SYSDESCR"
		for line in "$@"; do printf '%s\n' "$line"; done
	} >"$dir/snmpd.conf"
}

# snmpd_spawn DIR PORT: start the agent in the foreground, in the background.
snmpd_spawn() {
	mkdir -p "$1/persist"
	env MIBS= MIBDIRS= HOME="$1" SNMP_PERSISTENT_DIR="$1/persist" \
	    "$SNMPD" -f -C -c "$1/snmpd.conf" -p "$1/snmpd.pid" \
	    -Lf "$1/snmpd.log" </dev/null >"$1/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	snmpd_track "$SNMPD_PID"
}

# snmpd_start [CONF-LINE...]: start an agent on a free port and wait until
# it answers. A port taken meanwhile by someone else is retried.
snmpd_start() {
	[ -x "$SNMPD" ] || fail "snmpd not found at '$SNMPD' (install snmpd)"
	tries=0
	while [ $tries -lt 3 ]; do
		tries=$((tries + 1))
		port=$(free_port udp)
		SNMPD_DIR="$TEST_DIR/snmpd-$port"
		mkdir -p "$SNMPD_DIR"
		snmpd_write_conf "$SNMPD_DIR" "$port" "$@"
		snmpd_spawn "$SNMPD_DIR" "$port"
		if wait_for 15 snmpd_answers "$port"; then
			SNMPD_PORT=$port
			SNMPD_CONF="$SNMPD_DIR/snmpd.conf"
			SNMPD_LOG="$SNMPD_DIR/snmpd.log"
			export SNMPD_PORT
			return 0
		fi
		kill -0 "$SNMPD_PID" 2>/dev/null && break
	done
	cat "$SNMPD_DIR/snmpd.out" "$SNMPD_DIR/snmpd.log" >&2 || true
	fail "snmpd did not answer on 127.0.0.1:$port"
}

# snmpd_stop: stop the last agent started; its port then plays a dead
# printer (nothing bound: ICMP unreachable, which SNMP sees as a timeout).
snmpd_stop() {
	[ -n "${SNMPD_PID:-}" ] || return 0
	kill "$SNMPD_PID" 2>/dev/null || true
	n=0
	while kill -0 "$SNMPD_PID" 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
	kill -9 "$SNMPD_PID" 2>/dev/null || true
	SNMPD_PID=
}

# snmpd_blackhole_port: start tests/lib/blackhole (bound, never answers)
# and print its port. Works inside $(...) too.
snmpd_blackhole_port() {
	bh_out=$(mktemp "$TEST_DIR/blackhole.XXXXXX")
	"$top_builddir/tests/lib/blackhole" </dev/null >"$bh_out" 2>&1 &
	snmpd_track "$!"
	wait_for 10 test -s "$bh_out" || fail "blackhole did not start"
	SNMPD_BLACKHOLE_PORT=$(head -n 1 "$bh_out")
	case $SNMPD_BLACKHOLE_PORT in
	''|*[!0-9]*) fail "blackhole: $SNMPD_BLACKHOLE_PORT" ;;
	esac
	export SNMPD_BLACKHOLE_PORT
	echo "$SNMPD_BLACKHOLE_PORT"
}

# snmpd_v3_user NAME [AUTH AUTHPASS [PRIV PRIVPASS]] [rw]: the snmpd.conf
# lines of an SNMPv3 user: createUser, then rouser (rwuser with "rw") at
# the level its protocols give. AUTH is MD5, SHA or SHA-256 (net-snmp 5.9
# has them all), PRIV is DES or AES; passphrases have 8 characters or more.
# Test passphrases only: they are written to $TEST_DIR in clear.
snmpd_v3_user() {
	v3_name=$1
	shift
	v3_create="createUser $v3_name"
	v3_level=noauth
	if [ $# -ge 2 ] && [ "$1" != rw ]; then
		v3_create="$v3_create $1 $2"
		v3_level=auth
		shift 2
	fi
	if [ $# -ge 2 ] && [ "$1" != rw ]; then
		v3_create="$v3_create $1 $2"
		v3_level=priv
		shift 2
	fi
	v3_mode=rouser
	[ "${1:-}" = rw ] && v3_mode=rwuser
	printf '%s\n%s %s %s\n' "$v3_create" "$v3_mode" "$v3_name" "$v3_level"
}
