#!/bin/sh
# Distributing setting data from the console, driven through tmux against
# quire-sim: mark printers, D, choose the data, see the dry run's preview
# (old -> new), answer n and nothing is written; again, answer y and follow
# the job in the distribution jobs pane to its end, its printers' counts
# and a printer's settings; the new values are read back with net-snmp's
# snmpget, not with quire. Then the job's keys (retry, cancel, roll back),
# help, a narrow terminal and plain ASCII.
. "$top_srcdir/tests/lib/common.sh"

: "${QUIRE_SIM:?run through make check}"
command -v snmpget >/dev/null 2>&1 || { echo "SKIP: no snmpget"; exit 77; }
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
  - name: slow-%d
    count: 6
    model: QX-C7500
    site: slow
    communities: { ro: public, rw: private }
    faults: { latency_ms: 2000 }
  - name: zz-evil
    model: QX-C7500
    site: lab
    communities: { ro: public, rw: private }
    faults: { hostile: true }
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
	f="$TEST_DIR/secret-$1"
	printf '%s\n' "$2" >"$f"
	chmod 600 "$f"
	echo "$f"
}
# The read community, then the write community.
"$QUIRE" credential add comm --kind snmp-community \
    --secret-file "$(secret comm "$(printf 'public\nprivate')")" \
    </dev/null >/dev/null || fail "credential add comm"
"$QUIRE" credential add login --kind user --user admin \
    --secret-file "$(secret login lab-admin-pw)" </dev/null >/dev/null
for p in lab-1 lab-2 lab-3 zz-evil; do
	"$QUIRE" printer add "$p" "$(sim_field "$p" snmp)" --group lab \
	    --ssh-port "$(sim_field "$p" ssh | sed 's/.*://')" \
	    --https-port "$(sim_field "$p" https | sed 's/.*://')" \
	    --credential comm --credential login \
	    --no-check >/dev/null || fail "printer add $p"
done
"$QUIRE" check all >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "quire check all"; }
pass "quire check all"

# What a printer holds, read with net-snmp: sysLocation.0, sysContact.0.
snmp_value() {
	snmpget -v2c -c public -r 2 -t 5 -Oqv "$(sim_field "$1" snmp)" "$2" |
	    sed 's/^"//; s/"$//'
}
LOC=1.3.6.1.2.1.1.6.0
CONTACT=1.3.6.1.2.1.1.4.0
old_loc=$(snmp_value lab-1 $LOC)
old_contact=$(snmp_value lab-1 $CONTACT)
[ "$old_loc" != "Floor 3, east" ] || fail "lab-1 already holds the new value"
pass "lab-1 holds location '$old_loc', contact '$old_contact'"

# --- two setting data: the one to distribute and another to choose past
cat >"$TEST_DIR/office.yaml" <<'EOF'
quire: setting-data/1
name: office
model: any
settings:
  device.location: "Floor 3, east"
  device.contact: "print-desk@example.org"
EOF
cat >"$TEST_DIR/desk.yaml" <<'EOF'
quire: setting-data/1
name: desk
settings:
  device.contact: "desk@example.org"
EOF
"$QUIRE" data import "$TEST_DIR/office.yaml" --name office >/dev/null ||
    fail "data import office"
"$QUIRE" data import "$TEST_DIR/desk.yaml" --name desk >/dev/null ||
    fail "data import desk"
pass "two setting data imported"

# --- help of the inventory names the new keys
console_open
expect "inventory shown" screen_has "4 printers"
press '?'
expect "help of the inventory" screen_has "mark-all"
press /
type_text distribute
expect "help: D distributes" row_has "D " "distribute setting data to the"
press Escape /
type_text jobs
expect "help: J shows the jobs" row_has "J " "show the distribution jobs"
press Escape q
expect "help closed" line_has 2 SYSNAME

# --- J with no job yet: a friendly empty state
press J
expect "jobs pane" line_has 1 "Distribution jobs"
expect "empty jobs pane" screen_has "No distribution jobs yet"
press q
expect "back to the printers" line_has 1 "Printers"

# --- mark lab-1 and lab-2, D, choose office, the preview
press g Space Space
expect "lab-1 and lab-2 marked" screen_has "2 marked"
press D
expect "the chooser" line_has 1 "Distribute to 2 printers"
screen_text | grep -E -q ' desk +1 ' || fail_screen "desk in the chooser"
screen_text | grep -E -q ' office +2 ' || fail_screen "office in the chooser"
press /
type_text office
press Enter
expect "chooser filtered" screen_has "1 of 2 setting data"
press Enter
WAIT=60 expect "the question" line_has 1 \
    "Write 4 settings to 2 printers (office)? y/n"
for p in lab-1 lab-2; do
	screen_text | grep -F "$p" | grep -F device.location |
	    grep -F "will change" | grep -F -q -e "-> Floor 3, east" ||
	    fail_screen "$p: location will change"
	screen_text | grep -F "$p" | grep -F device.contact |
	    grep -F -q -e "-> print-desk@example.org" ||
	    fail_screen "$p: contact will change"
done
row_has lab-1 "$old_loc -> Floor 3, east" || fail_screen "old -> new shown"
screen_has lab-3 && fail_screen "lab-3 is not marked"
screen_has zz-evil && fail_screen "zz-evil is not marked"
pass "the preview shows old -> new for the two marked printers"

# --- n: nothing is written
press n
expect "n closes the preview" screen_has "nothing written"
line_has 1 "Printers" || fail_screen "back to the printers"
assert_eq "$(snmp_value lab-1 $LOC)" "$old_loc" "lab-1 location after n"
assert_eq "$(snmp_value lab-2 $CONTACT)" "$(snmp_value lab-3 $CONTACT)" \
    "lab-2 contact after n (as lab-3's)"
writes=$(sqlite3 "$QUIRE_DB" "SELECT count(*) FROM jobs WHERE
    kind = 'distribute' AND params NOT LIKE '%mode=preview%'")
assert_eq "$writes" 0 "write jobs after n"

# --- again, y: the write job, followed in the jobs pane
press D
expect "the chooser again" line_has 1 "Distribute to 2 printers"
press /
type_text office
press Enter Enter
WAIT=60 expect "the question again" line_has 1 "Write 4 settings"
press y
expect "the jobs pane" line_has 1 "Distribution jobs"
expect "write queued" screen_has "writing 4 settings to 2 printers"
job=$(screen_text | sed -n 's/.*distribution #\([0-9][0-9]*\) queued.*/\1/p' |
    head -1)
[ -n "$job" ] || fail_screen "no job number"
WAIT=120 expect "job #$job done" row_has "#$job " " done "
row=$(screen_text | grep -F "#$job ")
assert_contains "$row" "2/2" "progress of #$job"
assert_contains "$row" "██████████" "a full progress bar"
assert_contains "$row" "write" "type of #$job"
assert_contains "$row" "office" "data of #$job"
assert_contains "$row" "tester" "who queued #$job"
screen_text | grep -F preview | grep -F -q office ||
    fail_screen "the previews are listed and marked as such"
for w in JOB STATE PROGRESS TYPE DATA; do
	line_has 2 "$w" || fail_screen "no $w in the header"
done
line_has 3 "#$job " || fail_screen "newest job first"

# --- Enter: its printers with counts; Enter: a printer's settings
press g Enter
expect "the job's printers" line_has 1 "#$job office (write)"
for w in PRINTER APPLIED UNCHANGED REJECTED; do
	line_has 2 "$w" || fail_screen "no $w in the printers' header"
done
for p in lab-1 lab-2; do
	screen_text | grep -E -q "$p +done +2 +0 +0 +0 +0" ||
	    fail_screen "$p: 2 applied, nothing else"
done
press g Enter
expect "lab-1's settings" line_has 1 "#$job on lab-1"
row_has device.location "$old_loc -> Floor 3, east" ||
    fail_screen "location old -> new"
row_has device.location applied || fail_screen "location applied"
row_has device.contact applied || fail_screen "contact applied"
press q
expect "back to the printers of the job" line_has 1 "#$job office"
press q
expect "back to the jobs" line_has 1 "Distribution jobs"

# --- the values, read with snmpget
for p in lab-1 lab-2; do
	assert_eq "$(snmp_value $p $LOC)" "Floor 3, east" "$p location"
	assert_eq "$(snmp_value $p $CONTACT)" "print-desk@example.org" \
	    "$p contact"
done
[ "$(snmp_value lab-3 $LOC)" != "Floor 3, east" ] ||
    fail "lab-3 was written although not marked"
pass "lab-3 untouched"

# --- the job's keys: retry with nothing failed, cancel when ended
press g r
expect "nothing to retry" screen_has "nothing to retry in #$job"
press x
expect "nothing to cancel" screen_has "#$job has ended: nothing to cancel"

# --- help of the jobs pane
press '?'
expect "help of the jobs pane" screen_has "cancel-job"
s=$(screen_text)
assert_contains "$s" "retry"
assert_contains "$s" "rollback"
press q
expect "help closed" line_has 1 "Distribution jobs"

# --- narrow: columns drop, nothing runs past the edge
tm resize-window -t q -x 60 -y 20
expect "header at 60 columns" line_has 2 PROGRESS
# wc -L counts columns (the bar's glyphs are three bytes each).
widest=$(screen_text | wc -L)
[ "$widest" -le 60 ] || fail_screen "a line of $widest columns"
pass "no line wider than 60 columns"
screen_text | grep -F "#$job " | grep -F -q "2/2" ||
    fail_screen "progress kept at 60 columns"
tm resize-window -t q -x 80 -y 24
expect "back at 80x24" line_has 23 "jobs"

# --- R: roll back (asks first; n keeps, y puts the values back)
press g R
expect "rollback question" line_has 1 "Roll back distribution #$job? y/n"
press n
expect "n changes nothing" screen_has "nothing changed"
press g R
expect "rollback question again" line_has 1 "Roll back distribution #$job"
press y
expect "rollback listed" row_has "rollback #$job" "2 "
rb=$(screen_text | grep -F "rollback #$job" |
    sed -n 's/^..#\([0-9][0-9]*\) .*/\1/p')
[ -n "$rb" ] && [ "$rb" -gt "$job" ] || fail_screen "no rollback job"
WAIT=120 expect "rollback #$rb done" row_has "#$rb " " done "
assert_eq "$(snmp_value lab-1 $LOC)" "$old_loc" "lab-1 location rolled back"
console_quit Q

# --- a printer's hostile sysLocation reaches the screen as text
"$QUIRE" distribute office zz-evil --yes >"$TEST_DIR/evil.out" 2>&1 ||
    { cat "$TEST_DIR/evil.out" >&2; fail "quire distribute office zz-evil"; }
console_open
expect "console again" screen_has "4 printers"
press J
expect "the CLI's jobs listed" line_has 1 "Distribution jobs"
press g Enter
expect "zz-evil's job" line_has 1 "(write) by tester, 1 printer"
press g Enter
expect "zz-evil's settings" line_has 1 "on zz-evil"
row_has device.location '\x1b' || fail_screen "escape not shown as text"
line_has 2 SETTING || fail_screen "header moved"
case $(tm display-message -p -t q '#{pane_title}') in
*owned*) fail "a printer's text set the terminal title" ;;
esac
console_quit Q

# --- plain ASCII, no colour: the bar is made of #
console_open LANG=C NO_COLOR=1
expect "ASCII console" screen_has "4 printers"
press J
expect "ASCII jobs pane" line_has 1 "Distribution jobs"
row_has "#$job " "########## 2/2" || fail_screen "an ASCII progress bar"
screen_text | grep -q '^>' || fail_screen "no ASCII cursor"
console_quit Q

# --- x on a running job: asks first; n keeps it, y cancels what has not
# started. A dry run over six slow printers (2 s an answer), one at a
# time, queued while no engine runs: the console's engine takes it when
# the console opens, and it runs far longer than the keys take.
for i in 1 2 3 4 5 6; do
	"$QUIRE" printer add "slow-$i" "$(sim_field "slow-$i" snmp)" \
	    --group slow --credential comm --no-check >/dev/null ||
	    fail "printer add slow-$i"
done
"$QUIRE" check 'slow-*' --timeout 10000 >"$TEST_DIR/check-slow.out" 2>&1 ||
    { cat "$TEST_DIR/check-slow.out" >&2; fail "quire check slow-*"; }
"$QUIRE" distribute --set-concurrency 1 >/dev/null ||
    fail "distribute --set-concurrency 1"
pv=$("$QUIRE" --no-wait distribute office 'slow-*' --dry-run \
    --timeout 20000 2>"$TEST_DIR/slow.err" | grep -E -o '[0-9]+' | tail -1)
[ -n "$pv" ] || { cat "$TEST_DIR/slow.err" >&2; fail "no dry run queued"; }
pass "dry run #$pv queued over the slow printers"
console_open
expect "ten printers" screen_has "10 printers"
press J
expect "jobs pane again" line_has 1 "Distribution jobs"
row_has "#$pv " preview || fail_screen "#$pv is the preview"
press g x
expect "cancel question" line_has 1 "Cancel distribution #$pv? y/n"
press n
expect "n keeps the job" screen_has "nothing changed"
press g x
expect "cancel question again" line_has 1 "Cancel distribution #$pv"
press y
expect "cancelled" screen_has "#$pv cancelled"
WAIT=120 expect "#$pv ends cancelled" row_has "#$pv " " cancelled "
screen_text | grep -F "#$pv " | grep -E -q '/6, [1-9][0-9]* cancelled' ||
    fail_screen "cancelled printers counted in the progress"
console_quit Q

pass "console distribution"
