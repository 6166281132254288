# Sourced after tests/lib/common.sh by the console tests: a private tmux
# server and the verbs an operator uses (open the console, press keys, read
# the screen, expect something within a bound). Set before sourcing:
#   CONSOLE_SIZE    "COLS ROWS" of a new console (default "80 24")
#   CAPTURE_FLAGS   extra capture-pane flags (e.g. "-J -S -": join wrapped
#                   lines and read from the start of the history)

TMUX_BIN=${TMUX_BIN:-tmux}
if [ -z "$TMUX_BIN" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	echo "SKIP: tmux not found"
	exit 77
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not found"; exit 77; }

unset TMUX	# a private server, even when run from inside tmux
SOCKET="quire-$TEST_NAME-$$"
tm() { "$TMUX_BIN" -L "$SOCKET" -f /dev/null "$@"; }
tm_stop() { tm kill-server >/dev/null 2>&1 || true; }
test_at_exit tm_stop

# The server outlives its sessions; commands run under a known shell.
tm start-server \; set-option -s exit-empty off \; \
    set-option -g default-shell /bin/sh

# shellcheck disable=SC2086
screen_text() { tm capture-pane -p ${CAPTURE_FLAGS:-} -t q; }
screen_has() { screen_text | grep -F -q -e "$1"; }
screen_line() { screen_text | sed -n "${1}p"; }
# A line of the screen holding both strings.
row_has() { screen_text | grep -F -e "$1" | grep -F -q -e "$2"; }
line_has() { screen_line "$1" | grep -F -q -e "$2"; }
press() { tm send-keys -t q "$@"; }
type_text() { tm send-keys -t q -l "$1"; }
fail_screen() { screen_text >&2 || true; fail "$@"; }
expect() {
	what=$1; shift
	wait_for "${WAIT:-15}" "$@" || fail_screen "$what"
	pass "$what"
}

# console_open [VAR=VALUE...]: a fresh console of CONSOLE_SIZE with that
# environment; its exit status lands in $STATUS (the shell outlives a ^C
# to write it).
STATUS="$TEST_DIR/console-status"
console_open() {
	# shellcheck disable=SC2086
	set -- ${CONSOLE_SIZE:-80 24} "$@"
	cols=$1 rows=$2
	shift 2
	rm -f "$STATUS"
	tm kill-session -t q >/dev/null 2>&1 || true
	tm new-session -d -s q -x "$cols" -y "$rows" \
	    "trap : INT; env TERM=screen LANG=C.UTF-8 QUIRE_DB='$QUIRE_DB' $* \
	    '$QUIRE'; echo \$? >'$STATUS'"
}
console_exited() { test -s "$STATUS"; }
# console_quit KEYS...: send KEYS and expect a clean exit (status 0).
console_quit() {
	press "$@"
	WAIT=30 expect "the console exits" console_exited
	assert_eq "$(cat "$STATUS")" 0 "exit status"
}
