# Sourced by the integration and console tests. Gives a scratch directory,
# free loopback ports, cleanup of everything started (by PID) and checks.
# The test harness exports top_srcdir, top_builddir and QUIRE.
set -eu

: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
QUIRE=${QUIRE:-$top_builddir/quire}

TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/quire-$TEST_NAME.XXXXXX")
chmod 700 "$TEST_DIR"
export QUIRE_DB="$TEST_DIR/quire.db"
export XDG_CONFIG_HOME="$TEST_DIR/config" XDG_DATA_HOME="$TEST_DIR/data"
export QUIRE_USER=tester
TEST_PIDS=""
# The sqlite3 shell waits for a lock as quire does, instead of failing
# with "database is locked" while an engine commits or checkpoints.
sqlite3() { command sqlite3 -cmd ".timeout 10000" "$@"; }
TEST_CLEANUPS=""

# Stop PIDS: SIGTERM, up to 5 s to go, then SIGKILL.
test_stop_pids() {
	for p in "$@"; do kill "$p" 2>/dev/null || true; done
	for p in "$@"; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 50 ]; do
			sleep 0.1; n=$((n + 1))
		done
		kill -9 "$p" 2>/dev/null || true
	done
}

test_cleanup() {
	rc=$?
	for c in $TEST_CLEANUPS; do "$c" || true; done
	# shellcheck disable=SC2086
	test_stop_pids $TEST_PIDS
	if [ $rc -eq 0 ] && [ -z "${KEEP_TEST_DIR:-}" ]; then
		rm -rf "$TEST_DIR"
	else
		echo "test files kept in $TEST_DIR" >&2
	fi
	exit $rc
}
trap test_cleanup EXIT
trap 'exit 130' INT TERM

# Remember PID (of something this test started) to stop at the end.
test_track() { TEST_PIDS="$TEST_PIDS $1"; }
# Run FUNCTION at the end (before tracked PIDs are stopped).
test_at_exit() { TEST_CLEANUPS="$TEST_CLEANUPS $1"; }

free_port() { "$top_builddir/tests/lib/freeport" "${1:-tcp}" "${2:-127.0.0.1}"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
	case "$1" in
	*"$2"*) pass "${3:-output contains '$2'}" ;;
	*) printf '%s\n' "$1" >&2; fail "${3:-output} lacks '$2'" ;;
	esac
}
assert_not_contains() {
	case "$1" in
	*"$2"*) printf '%s\n' "$1" >&2; fail "${3:-output} has '$2'" ;;
	*) pass "${3:-output lacks '$2'}" ;;
	esac
}
# assert_eq GOT WANT WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
	pass "$3 = '$2'"
}

# wait_for SECONDS COMMAND...: retry COMMAND until it succeeds (a hang guard,
# not a timing assertion).
wait_for() {
	limit=$(($1 * 10)); shift; n=0
	until "$@" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt $limit ] || return 1
		sleep 0.1
	done
}
