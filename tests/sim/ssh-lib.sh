# Sourced (after tests/lib/common.sh) by the tests of quire-sim's SSH server
# and shell: start and stop quire-sim, find a printer's SSH port, and run
# OpenSSH's ssh client with passwords from an askpass script.

: "${QUIRE_SIM:?run through make check}"
command -v ssh >/dev/null 2>&1 || { echo "SKIP: no ssh client"; exit 77; }

# sim_start FLEET STATE OUT: run quire-sim until its "# ready" line.
sim_start() {
	"$QUIRE_SIM" --fleet "$1" --state "$2" --addressing auto \
	    >"$3" 2>"$3.err" &
	SIM_PID=$!
	SIM_ERR="$3.err"
	test_track "$SIM_PID"
	if ! wait_for 60 grep -q '^# ready ' "$3"; then
		cat "$3.err" >&2
		fail "quire-sim did not get ready"
	fi
}

# sim_stop: SIGTERM, then wait (bounded) for it to exit, cleanly.
sim_stop() {
	kill "$SIM_PID"
	n=0
	while kill -0 "$SIM_PID" 2>/dev/null && [ $n -lt 200 ]; do
		sleep 0.1; n=$((n + 1))
	done
	kill -0 "$SIM_PID" 2>/dev/null && fail "quire-sim ignored SIGTERM"
	# Its status after SIGTERM: 0, unless it crashed or leaked (ASan).
	set +e
	wait "$SIM_PID"
	rc=$?
	set -e
	[ $rc -eq 0 ] || { cat "$SIM_ERR" >&2; fail "quire-sim exited $rc"; }
}

# sim_field OUT NAME FIELD: "ssh=127.0.0.1:PORT" -> "127.0.0.1:PORT".
sim_field() {
	awk -v n="$2" -v f="$3=" '$1 == n {
		for (i = 2; i <= NF; i++)
			if (index($i, f) == 1) print substr($i, length(f) + 1)
	}' "$1"
}
sim_ssh_port() { sim_field "$1" "$2" ssh | sed 's/.*://'; }

# Answers ssh's prompts: keyboard-interactive by prompt text (ssh shows
# "(user@host) PROMPT"), else the password.
cat >"$TEST_DIR/askpass" <<'EOF'
#!/bin/sh
case "$1" in
*"System Manager ID: ") printf '%s\n' "$ASK_ID" ;;
*") PIN: " | "PIN: ") printf '%s\n' "$ASK_PIN" ;;
*) printf '%s\n' "$ASK_PASSWORD" ;;
esac
EOF
chmod 700 "$TEST_DIR/askpass"
mkdir -m 700 "$TEST_DIR/home"

# sim_ssh PORT USER [ssh options] HOST COMMAND...: ssh with a throwaway
# known_hosts, no keys, prompts through the askpass script, one attempt.
sim_ssh() {
	port=$1 user=$2
	shift 2
	HOME="$TEST_DIR/home" SSH_ASKPASS="$TEST_DIR/askpass" \
	    SSH_ASKPASS_REQUIRE=force DISPLAY=none \
	    ssh -F /dev/null -p "$port" -l "$user" \
	    -o UserKnownHostsFile="$TEST_DIR/known_hosts" \
	    -o GlobalKnownHostsFile=/dev/null \
	    -o StrictHostKeyChecking="${SSH_STRICT:-accept-new}" \
	    -o PubkeyAuthentication=no -o IdentitiesOnly=yes \
	    -o NumberOfPasswordPrompts=1 -o ConnectTimeout=20 \
	    -o ServerAliveInterval=10 -o LogLevel=ERROR \
	    "$@"
}
