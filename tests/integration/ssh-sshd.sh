#!/bin/sh
# The SSH transport against OpenSSH's sshd: two sshds on free loopback
# ports, host keys and an authorised ed25519 key made here, a ForceCommand
# that echoes its command and stdin. tests/unit/test-ssh drives the
# transport (exec, payloads, refusals, timeouts, a pool of 50, > 1100 fds);
# then a host key changes under a printer added with `quire printer add`:
# refused, naming both fingerprints, until `quire hostkey accept`.
. "$top_srcdir/tests/lib/common.sh"

SSHD=${SSHD:-/usr/sbin/sshd}
[ -x "$SSHD" ] || { echo "SKIP: no sshd ('$SSHD')"; exit 77; }
command -v ssh-keygen >/dev/null 2>&1 || { echo "SKIP: no ssh-keygen"; exit 77; }
TEST_SSH="$top_builddir/tests/unit/test-ssh"
ME=$(id -un)
# sshd's privilege-separation directory.
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd

ssh-keygen -q -t ed25519 -N '' -C host-a -f "$TEST_DIR/host_a"
ssh-keygen -q -t ed25519 -N '' -C host-a2 -f "$TEST_DIR/host_a2"
ssh-keygen -q -t ed25519 -N '' -C host-b -f "$TEST_DIR/host_b"
ssh-keygen -q -t ed25519 -N '' -C client -f "$TEST_DIR/id_client"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$TEST_DIR/id_stranger"
cp "$TEST_DIR/id_client.pub" "$TEST_DIR/authorized_keys"
fp() { ssh-keygen -lf "$1" | awk '{print $2}'; }
FP_A=$(fp "$TEST_DIR/host_a.pub")
FP_A2=$(fp "$TEST_DIR/host_a2.pub")

# The printer's shell: echo the command and stdin, and a few behaviours.
cat >"$TEST_DIR/fc.sh" <<'EOF'
#!/bin/sh
c=$SSH_ORIGINAL_COMMAND
case "$c" in
echo-stdin) exec cat ;;
"status "*)
	printf 'out:%s\n' "${c#status }"
	printf 'err:%s\n' "${c#status }" >&2
	exit "${c#status }" ;;
"sleep "*) exec sleep "${c#sleep }" ;;
signal) kill -TERM $$ ;;
*)
	printf 'command: %s\n' "$c"
	printf 'stdin: '
	cat
	printf 'stderr: %s\n' "$c" >&2
	exit 3 ;;
esac
EOF
chmod 755 "$TEST_DIR/fc.sh"

# sshd_conf NAME PORT HOSTKEY
sshd_conf() {
	cat >"$TEST_DIR/$1.conf" <<EOF
Port $2
ListenAddress 127.0.0.1
HostKey $3
PidFile $TEST_DIR/$1.pid
AuthorizedKeysFile $TEST_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
ForceCommand $TEST_DIR/fc.sh
MaxStartups 200
MaxSessions 10
LogLevel VERBOSE
EOF
}

# sshd_start NAME HOSTKEY [PORT]: start an sshd (on PORT, else a free one)
# and wait until it listens; sets SSHD_PORT and SSHD_PID_<NAME>.
sshd_start() {
	port=${3:-$(free_port)}
	sshd_conf "$1" "$port" "$2"
	"$SSHD" -t -f "$TEST_DIR/$1.conf" || fail "sshd rejects $1.conf"
	: >"$TEST_DIR/$1.log"
	"$SSHD" -D -e -f "$TEST_DIR/$1.conf" </dev/null \
	    >>"$TEST_DIR/$1.log" 2>&1 &
	pid=$!
	test_track "$pid"
	eval "SSHD_PID_$1=$pid"
	if ! wait_for 20 grep -q "Server listening on 127.0.0.1 port $port" \
	    "$TEST_DIR/$1.log"; then
		cat "$TEST_DIR/$1.log" >&2
		fail "sshd $1 did not start on port $port"
	fi
	SSHD_PORT=$port
}

sshd_start a "$TEST_DIR/host_a"
PORT_A=$SSHD_PORT
sshd_start b "$TEST_DIR/host_b"
PORT_B=$SSHD_PORT

SSH_TEST_PORT_A=$PORT_A SSH_TEST_PORT_B=$PORT_B SSH_TEST_FP_A=$FP_A \
    SSH_TEST_USER=$ME SSH_TEST_KEY="$TEST_DIR/id_client" \
    SSH_TEST_WRONG_KEY="$TEST_DIR/id_stranger" "$TEST_SSH" ||
    fail "test-ssh against sshd"
pass "test-ssh against sshd"

# A printer whose shell is sshd a; its host key is learnt on first use.
"$QUIRE" printer add lab-a 127.0.0.1 --no-check
"$QUIRE" printer add lab-other 127.0.0.2 --no-check
command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 needed to set ssh_port"
sqlite3 "$QUIRE_DB" "UPDATE printers SET ssh_port = $PORT_A WHERE name = 'lab-a'"

# probe: log in to sshd a with the key, the host key checked in $QUIRE_DB.
probe() {
	"$TEST_SSH" run -d "$QUIRE_DB" -h 127.0.0.1 -p "$PORT_A" -k key \
	    -u "$ME" -s "$TEST_DIR/id_client" -t 10000 probe </dev/null 2>&1
}
set +e
out=$(probe)
rc=$?
set -e
assert_eq "$rc" 3 "status of the first probe"
assert_contains "$out" "command: probe"
assert_contains "$out" "ssh: exit=3 learnt=1 fp=$FP_A" "first use"
out=$(probe) || true
assert_contains "$out" "ssh: exit=3 learnt=0 fp=$FP_A" "second use"
list=$("$QUIRE" hostkey list --format csv)
assert_contains "$list" "127.0.0.1,$PORT_A,ssh-ed25519,$FP_A," "listing"
assert_contains "$list" ",lab-a," "the printer of the address"

# The same port, another host key: refused, naming both, and again.
test_stop_pids "$SSHD_PID_a"
sshd_start a "$TEST_DIR/host_a2" "$PORT_A"
for attempt in 1 2; do
	set +e
	out=$(probe)
	rc=$?
	set -e
	assert_eq "$rc" 255 "status with a changed host key ($attempt)"
	assert_contains "$out" "host key changed: 127.0.0.1:$PORT_A had ssh-ed25519 $FP_A, now offers ssh-ed25519 $FP_A2"
	assert_not_contains "$out" "command: probe" "no command ran"
done
list=$("$QUIRE" hostkey list --format csv)
assert_contains "$list" "$FP_A" "the old key stays on record"

# The operator accepts: the next connection records the new key.
out=$("$QUIRE" hostkey accept lab-a)
assert_contains "$out" "lab-a (127.0.0.1:$PORT_A): the next connection records"
list=$("$QUIRE" hostkey list)
assert_contains "$list" "pending" "accept pending in the listing"
out=$(probe) || true
assert_contains "$out" "ssh: exit=3 learnt=1 fp=$FP_A2" "after accept"
out=$(probe) || true
assert_contains "$out" "ssh: exit=3 learnt=0 fp=$FP_A2" "new key known"
list=$("$QUIRE" hostkey list --format json)
assert_contains "$list" "\"fingerprint\": \"$FP_A2\""
assert_not_contains "$list" "pending"

# A printer with no key on record, and forget.
out=$("$QUIRE" hostkey accept lab-other)
assert_contains "$out" "lab-other (127.0.0.2:22)" "ssh port defaults to 22"
assert_contains "$out" "no host key on record"
out=$("$QUIRE" hostkey forget 'lab-*')
assert_contains "$out" "lab-a (127.0.0.1:$PORT_A): host key forgotten"
list=$("$QUIRE" hostkey list --format csv)
assert_not_contains "$list" "$FP_A2" "forgotten"
set +e
"$QUIRE" hostkey accept no-such-printer >/dev/null 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "status for an unknown target"

# Every accept and forget is audited, with its printers.
audit=$(sqlite3 "$QUIRE_DB" "SELECT who || '|' || action || '|' || detail \
    || '|' || coalesce(replace(printers, char(10), ','), '') FROM audit \
    WHERE action LIKE 'hostkey%' ORDER BY id")
assert_contains "$audit" "tester|hostkey accept|127.0.0.1:$PORT_A|lab-a"
assert_contains "$audit" "|hostkey replaced|127.0.0.1:$PORT_A ssh-ed25519 $FP_A2 replaces ssh-ed25519 $FP_A|"
assert_contains "$audit" "tester|hostkey forget|127.0.0.1:$PORT_A 127.0.0.2:22|lab-a,lab-other"
n=$(printf '%s\n' "$audit" | grep -c 'hostkey learnt')
assert_eq "$n" 1 "learnt audit rows"
