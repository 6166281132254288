#!/bin/sh
# The backup history pane of the console, driven through tmux against
# quire-sim: three printers backed up from the command line, one setting
# changed with net-snmp's snmpset, backed up again; the history (one row
# per distinct state) shows what changed at a glance and how often each
# state was seen, the diff of two backups shows exactly that setting
# (old -> new), Enter shows a backup's values, b backs up the marked
# printers and the status line follows the job to its end, and backups
# taken by another process show by themselves (a state seen again, a new
# state).
. "$top_srcdir/tests/lib/common.sh"

: "${QUIRE_SIM:?run through make check}"
command -v snmpset >/dev/null 2>&1 || { echo "SKIP: no snmpset"; exit 77; }
. "$top_srcdir/tests/lib/console.sh"

# --- three simulated printers, registered with their community and login
cat >"$TEST_DIR/fleet.yaml" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-C7500
    descr: "Quire QX-C7500 colour multifunction printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.2
    firmware: "7.5.12"
printers:
  - name: lab-%d
    count: 3
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
    logins:
      - { kind: user, user: admin, password: lab-admin-pw }
EOF
OUT="$TEST_DIR/sim.out"
"$QUIRE_SIM" --fleet "$TEST_DIR/fleet.yaml" --state "$TEST_DIR/state" \
    --addressing auto >"$OUT" 2>"$TEST_DIR/sim.err" &
test_track $!
if ! wait_for 60 grep -q '^# ready ' "$OUT"; then
	cat "$TEST_DIR/sim.err" >&2
	fail "quire-sim did not get ready"
fi

# sim_field NAME FIELD: "snmp=127.0.0.1:PORT" of printer NAME -> the value.
sim_field() {
	awk -v n="$1" -v f="$2=" '$1 == n {
		for (i = 2; i <= NF; i++)
			if (index($i, f) == 1) print substr($i, length(f) + 1)
	}' "$OUT"
}
secret() {
	f="$TEST_DIR/secret"
	printf '%s\n' "$1" >"$f"
	chmod 600 "$f"
	echo "$f"
}
"$QUIRE" credential add comm --kind snmp-community \
    --secret-file "$(secret public)" </dev/null >/dev/null
"$QUIRE" credential add login --kind user --user admin \
    --secret-file "$(secret lab-admin-pw)" </dev/null >/dev/null
for p in lab-1 lab-2 lab-3; do
	"$QUIRE" printer add "$p" "$(sim_field "$p" snmp)" --group lab \
	    --ssh-port "$(sim_field "$p" ssh | sed 's/.*://')" \
	    --https-port "$(sim_field "$p" https | sed 's/.*://')" \
	    --credential comm --credential login --no-check >/dev/null ||
	    fail "printer add $p"
done

# --- the command line: check, back up, change one setting, back up again
"$QUIRE" check all >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "quire check all"; }
pass "quire check all"
"$QUIRE" backup all --category all >"$TEST_DIR/backup1.out" 2>&1 ||
    { cat "$TEST_DIR/backup1.out" >&2; fail "first quire backup all"; }
pass "first quire backup all"
addr=$(sim_field lab-2 snmp)
snmpset -v2c -c private -r 2 -t 5 "$addr" 1.3.6.1.2.1.1.6.0 s \
    "Floor 9, lab" >/dev/null || fail "snmpset sysLocation of lab-2"
pass "sysLocation of lab-2 changed with snmpset"
"$QUIRE" backup all --category all >"$TEST_DIR/backup2.out" 2>&1 ||
    { cat "$TEST_DIR/backup2.out" >&2; fail "second quire backup all"; }
pass "second quire backup all"
# The categories backed up: lab-1's states, one each (nothing changed).
ncat=$("$QUIRE" backup list lab-1 --format csv | tail -n +2 | wc -l)
[ "$ncat" -ge 2 ] || fail "lab-1: $ncat categories backed up"

# --- the history of lab-2, opened from the inventory with H
console_open
expect "inventory shown" screen_has "3 printers"
press g j
expect "cursor on lab-2" row_has lab-2 "▶"
press H
expect "history of lab-2" line_has 1 "Backups of lab-2"
for w in PRINTER TAKEN CHANGED CATEGORY SEEN "LAST SEEN"; do
	line_has 2 "$w" || fail_screen "no $w in the header"
done
total=$(screen_text | sed -n 's/^ \([0-9][0-9]*\) backups,.*/\1/p')
assert_eq "$total" $((ncat + 1)) \
    "lab-2's states: one per category, and device's new one"
screen_text | grep -v -e lab-2 | grep -q -e lab-1 -e lab-3 &&
    fail_screen "other printers in lab-2's history"

# Newest first: the second round stored device's new state, "changed",
# seen once; it found the other categories' states again: "same", seen
# twice; device's old state is the "first", seen once.
first_device=$(screen_text | grep -E ' device +[0-9]' | head -1)
assert_contains "$first_device" " changed " "newest device state"
assert_contains "$first_device" " 1x " "newest device state seen once"
n_changed=$(screen_text | grep -c -E 'lab-2 .* changed ')
n_same=$(screen_text | grep -c -E 'lab-2 .* same ')
n_first=$(screen_text | grep -c -E 'lab-2 .* first ')
assert_eq "$n_changed" 1 "rows marked changed"
assert_eq "$n_same" $((ncat - 1)) "rows marked same"
assert_eq "$n_first" 1 "rows marked first"
assert_eq "$(screen_text | grep -c -E 'lab-2 .* same +[^ ]+ +2x ')" \
    $((ncat - 1)) "the same states seen twice"
assert_eq "$(screen_text | grep -c -E 'lab-2 .* device +1x ')" 2 \
    "device's two states seen once each"
newest_other=$(screen_text | grep -E 'lab-2 +[0-9]{4}-' |
    grep -v ' device ' | head -1)
assert_contains "$newest_other" " same " "newest state of another category"
assert_contains "$newest_other" " 2x " "seen by both backups"

# --- help lists the history's keys
press '?'
expect "help of the history" screen_has "all-printers"
s=$(screen_text)
assert_contains "$s" "diff"
assert_contains "$s" "compare the two marked"
press q
expect "help closed" line_has 1 "Backups of lab-2"

# --- d with nothing marked: the current backup against its previous
press /
type_text device
expect "only the device backups" screen_has "2 of $total backups"
press Enter g d
expect "diff of the newest against its previous" screen_has "Changes in lab-2"
expect "exactly one change" screen_has " 1 change "
row_has device.location "lab -> Floor 9, lab" ||
    fail_screen "device.location not lab -> Floor 9, lab"
row_has device.location changed || fail_screen "change kind not shown"
press q
expect "diff closed" screen_has "2 of $total backups"

# --- two backups marked with Space, then d
press g Space Space
expect "two backups marked" screen_has "2 marked"
press d
expect "diff of the marked two" screen_has "Changes in lab-2 device"
expect "still exactly one change" screen_has " 1 change "
row_has device.location "lab -> Floor 9, lab" ||
    fail_screen "marked diff: device.location"
assert_eq "$(screen_text | grep -c -e ' added ' -e ' removed ' \
    -e ' changed ')" 1 "changed rows in the diff"
press q
press u
expect "marks removed" screen_has "0 marked"

# --- Enter: the values of the newest device backup
press g Enter
expect "values of a backup" screen_has "Backup #"
row_has device.location "Floor 9, lab" || fail_screen "value not shown"
line_has 2 VALUE || fail_screen "values header"
press q
press /
press Escape
expect "filter cleared" screen_has " $total backups"

# --- A: every printer's backups, and back
press A
expect "all printers" line_has 1 "Backups of all printers"
expect "three printers' states" screen_has " $((ncat * 3 + 1)) backups"
screen_has lab-1 || fail_screen "lab-1 not in the history of all"
press A
expect "back to lab-2" line_has 1 "Backups of lab-2"

# --- narrow: columns drop, CHANGED stays
tm resize-window -t q -x 50 -y 20
expect "header at 50 columns" line_has 2 CHANGED
long=$(screen_text | awk 'length($0) > 50' | wc -l)
assert_eq "$long" 0 "lines wider than 50 columns"
tm resize-window -t q -x 80 -y 24
expect "back at 80x24" line_has 23 "backups"

# --- b on the marked printers: a category prompt, a job the status follows
press P
expect "printers again" line_has 1 "Printers"
press '?'
expect "help of the inventory" screen_has "mark-all"
press /
type_text back
expect "help: b backs up" row_has "backup" "back up the marked printers"
press Escape /
type_text history
expect "help: H shows the history" row_has "H " "show the backup history"
press Escape q
expect "help closed" line_has 2 SYSNAME
press g Space j j Space
expect "lab-1 and lab-3 marked" screen_has "2 marked"
press b
expect "category prompt" screen_has "Back up 2 printers"
type_text bogus-category
press Enter
expect "unknown category refused" screen_has "bogus-category"
press b
expect "category prompt again" screen_has "Back up 2 printers"
press Enter
expect "backup queued" screen_has "queued for 2 printers"
job=$(screen_text | sed -n 's/.*backup #\([0-9][0-9]*\) queued.*/\1/p' |
    head -1)
[ -n "$job" ] || fail_screen "no job number"
WAIT=120 expect "backup #$job finished" \
    screen_has "backup #$job done: 2 done, 0 failed"
press u
press g H
expect "history of lab-1" line_has 1 "Backups of lab-1"
expect "lab-1 backed up three times, unchanged" screen_has " $ncat backups"
assert_eq "$(screen_text | grep -c -E 'lab-1 .* same +[^ ]+ +3x ')" \
    "$ncat" "lab-1's states seen three times, unchanged"

# --- backups by another process show by themselves: an unchanged one
# (device seen a fourth time), then a changed one (a new device state)
"$QUIRE" backup lab-1 --category device >"$TEST_DIR/backup3.out" 2>&1 ||
    { cat "$TEST_DIR/backup3.out" >&2; fail "quire backup lab-1"; }
expect "device seen again" row_has " device " " 4x "
assert_eq "$(screen_text | grep -c ' 4x ')" 1 "only device seen again"
screen_has " $ncat backups" || fail_screen "no new state for an unchanged backup"
snmpset -v2c -c private -r 2 -t 5 "$(sim_field lab-1 snmp)" \
    1.3.6.1.2.1.1.6.0 s "Floor 2, lab" >/dev/null ||
    fail "snmpset sysLocation of lab-1"
"$QUIRE" backup lab-1 --category device >"$TEST_DIR/backup4.out" 2>&1 ||
    { cat "$TEST_DIR/backup4.out" >&2; fail "quire backup lab-1 again"; }
expect "new state appears" screen_has " $((ncat + 1)) backups"
first=$(screen_text | sed -n 3p)
assert_contains "$first" " device " "the newest row"
assert_contains "$first" " changed " "a changed backup"
assert_contains "$first" " 1x " "a new state"
console_quit Q

# --- plain ASCII: the marker is a word, not a glyph
console_open LANG=C NO_COLOR=1
expect "ASCII console" screen_has "3 printers"
press g j H
expect "ASCII history" line_has 1 "Backups of lab-2"
screen_text | grep -E -q 'lab-2 .* changed ' || fail_screen "no changed row"
screen_text | grep -q '^>' || fail_screen "no ASCII cursor"
console_quit Q

pass "console backup history"
