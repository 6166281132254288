#!/bin/sh
# Backups of the demo fleet: every printer registered as quire-sim lists
# it (hq-secret without its community, so the shell is what reads it),
# `quire check all`, `quire backup all --category all`; then one setting of
# one printer is changed with net-snmp's snmpset, the fleet is backed up
# again, and `quire backup diff` shows exactly that change and nothing
# else. The second backup adds one state (that printer's category) and
# one content, and confirms the other states in place; the growth is
# printed. Export writes setting data `quire data validate` and `quire data
# import` accept; retention and schedules are kept in the store.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/integration/backup-lib.sh"

command -v snmpset >/dev/null 2>&1 || { echo "no snmpset: skipped"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }
export MIBS= MIBDIRS= SNMPCONFPATH="$TEST_DIR" SNMP_PERSISTENT_DIR="$TEST_DIR"

backup_sim_start "$top_srcdir/data/demo-fleet.yaml"
backup_register hq-secret
set +e
q check all --retries 3 >"$TEST_DIR/check.out" 2>&1
q backup all --category all --retries 3 >"$TEST_DIR/b1.out" 2>&1
rc=$?
set -e
db=$QUIRE_DB
sql() { sqlite3 "$db" "$@"; }
# The bytes of the backup tables and their indexes (pages in use).
backup_bytes() {
	sql "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE
	    'backup%' OR name LIKE 'sqlite_autoindex_backup%'"
}

# hq-dead's SNMP never answered the check: skipped with the reason, so
# exit 1.
assert_eq "$rc" 1 "exit status with an unbackable printer"
assert_contains "$(cat "$TEST_DIR/b1.out")" \
    "hq-dead: failed: cannot be backed up (not supported"
job1=$(sql "SELECT max(job_id) FROM backups")
# 47 printers with 8 categories, the 4 legacy ones with 2, no hq-dead.
assert_eq "$(sql "SELECT count(*) FROM backups WHERE job_id = $job1")" \
    384 "snapshots of the first backup"
assert_eq "$(sql "SELECT count(*) FROM backups WHERE partial IS NOT NULL")" \
    0 "partial snapshots"
assert_eq "$(sql "SELECT count(*) FROM backups WHERE printer_name =
    'hq-dead'")" 0 "snapshots of hq-dead"
# hq-secret answered no SNMP: its settings came through `settings export`.
assert_eq "$(sql "SELECT sum(nsettings) FROM backups WHERE printer_name =
    'hq-secret'")" 90 "settings of hq-secret read through the shell"
assert_eq "$(sql "SELECT sum(nsettings) FROM backups WHERE printer_name =
    'plant-legacy-01'")" 9 "settings of a printer without vendor subtree"

# Both transports give the same text: hq-secret's values are those of a
# QX-4200 read over SNMP, apart from what differs per printer.
id_shell=$(q backup list hq-secret --category power --format csv |
    awk -F, 'NR == 2 { print $1 }')
id_snmp=$(q backup list hq-mono-01 --category power --format csv |
    awk -F, 'NR == 2 { print $1 }')
assert_eq "$(q backup diff "$id_snmp" "$id_shell" | tail -n +2)" \
    "no difference" "power settings over SNMP and through the shell"

# One change on one printer, with net-snmp's snmpset (not quire).
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size1=$(stat -c %s "$db")
bytes1=$(backup_bytes)
blobs1=$(sql "SELECT count(*) FROM backup_blobs")
rows1=$(sql "SELECT count(*) FROM backups")
addr=$(awk '$1 == "hq-03" { sub("snmp=", "", $3); print $3 }' "$SIM_OUT")
snmpset -v2c -c private -r 2 "$addr" 1.3.6.1.2.1.1.6.0 s "Room 101" \
    >/dev/null || fail "snmpset of hq-03's sysLocation"
set +e
q backup all --category all --retries 3 >"$TEST_DIR/b2.out" 2>&1
set -e
job2=$(sql "SELECT max(last_job) FROM backups")
[ "$job2" -gt "$job1" ] || fail "no second backup job"
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size2=$(stat -c %s "$db")
bytes2=$(backup_bytes)
blobs2=$(sql "SELECT count(*) FROM backup_blobs")
n2=$(sql "SELECT count(*) FROM backups WHERE last_job = $job2")
assert_eq "$n2" 384 "snapshots of the second backup"
# One new state, the changed one; the 383 others confirmed in place.
assert_eq "$(sql "SELECT count(*) FROM backups")" $((rows1 + 1)) \
    "states after the second backup"
assert_eq "$(sql "SELECT printer_name || ' ' || category || ' ' || changed ||
    ' ' || seen FROM backups WHERE job_id = $job2")" "hq-03 device 1 1" \
    "the one state the second backup stored"
assert_eq "$(sql "SELECT count(*) FROM backups WHERE job_id = $job1 AND
    last_job = $job2 AND seen = 2 AND last_seen_at > taken_at")" 383 \
    "states the second backup confirmed"
assert_eq "$(sql "SELECT seen || ' ' || coalesce(last_job, 0) FROM backups
    WHERE printer_name = 'hq-03' AND category = 'device' AND
    job_id = $job1")" "1 $job1" "hq-03's old device state, not seen again"
assert_contains "$(cat "$TEST_DIR/b2.out")" \
    "384 snapshots: 1 stored (1 changed, 0 partial), 383 unchanged"

# The diff shows that change and nothing else.
ids=$(q backup list hq-03 --category device --format csv |
    awk -F, 'NR > 1 { print $1 }')
new=$(echo "$ids" | sed -n 1p)
old=$(echo "$ids" | sed -n 2p)
diff=$(q backup diff "$old" "$new")
echo "$diff"
assert_eq "$(echo "$diff" | tail -n +2)" \
    '~ device.location: "hq" -> "Room 101"' "the diff"
assert_eq "$(q backup diff "$old" "$new" --format csv)" \
    "$(printf 'key,change,old,new\ndevice.location,changed,hq,Room 101')" \
    "the diff as CSV"

# Storage grows with change: one new content, one new state.
[ $((blobs2 - blobs1)) -lt 52 ] ||
    fail "$((blobs2 - blobs1)) new contents for 52 printers"
assert_eq "$((blobs2 - blobs1))" 1 "new contents in the second backup"
echo "# second backup: $n2 snapshots, 1 new state, $((blobs2 - blobs1))" \
    "new content(s); backup tables +$((bytes2 - bytes1)) bytes" \
    "($((bytes1)) -> $((bytes2))); database +$((size2 - size1)) bytes" \
    "(with the job's own rows)"

# Listing filters and show.
assert_eq "$(q backup list hq-03 --since 1h --format csv | wc -l)" 10 \
    "hq-03's states seen in the last hour (with the header)"
assert_eq "$(q backup list --since 2000-01-01 --category device \
    --format csv | wc -l)" 53 "device states since 2000"
assert_eq "$(q backup list hq-01 --category device --format csv |
    awk -F, 'NR == 2 { print $5 }')" 2 "seen twice, in CSV"
assert_contains "$(q backup list hq-01 --category device)" " 2x "
assert_eq "$(q backup list all --since 1d --limit 3 --format csv | wc -l)" 4 \
    "--limit"
show=$(q backup show "$new")
assert_contains "$show" "seen:     1x, last "
assert_contains "$show" "category: device"
assert_contains "$show" "Room 101"
assert_contains "$show" "(changed since the previous backup)"
# A hostile sysName reaches the terminal sanitised.
evil=$(q backup list hq-evil --category device --format csv |
    awk -F, 'NR == 2 { print $1 }')
q backup show "$evil" >"$TEST_DIR/evil.out"
! grep -q "$(printf '\033')" "$TEST_DIR/evil.out" ||
    fail "an escape sequence reached the terminal"
assert_contains "$(cat "$TEST_DIR/evil.out")" '\x1b'

# Export: one backup to a file, the newest of printers into a directory;
# `quire data` takes them unchanged.
q backup export "$new" --out "$TEST_DIR/one.yaml" >/dev/null
assert_contains "$(cat "$TEST_DIR/one.yaml")" 'device.location: "Room 101"'
q backup export hq-03 plant-sys-01 --out "$TEST_DIR/exp" >/dev/null
assert_eq "$(ls "$TEST_DIR/exp")" "$(printf 'hq-03.yaml\nplant-sys-01.yaml')" \
    "one file per printer"
assert_eq "$(stat -c %a "$TEST_DIR/exp/hq-03.yaml")" 600 "export mode"
q data validate "$TEST_DIR/exp/hq-03.yaml" "$TEST_DIR/one.yaml" \
    >"$TEST_DIR/validate.out" || { cat "$TEST_DIR/validate.out" >&2;
    fail "quire data validate refused an export"; }
assert_contains "$(cat "$TEST_DIR/validate.out")" "valid, 92 setting(s)"
q data import "$TEST_DIR/exp/hq-03.yaml" --name hq03-backup >/dev/null ||
    fail "quire data import refused an export"
assert_contains "$(q data show hq03-backup)" "Room 101"
# hq-evil's values the catalog refuses (control bytes, too long once made
# printable) are left out of its export with a word each; the file stays
# valid setting data.
q backup export "$evil" --out "$TEST_DIR/evil.yaml" 2>"$TEST_DIR/evil.err" \
    >/dev/null || { cat "$TEST_DIR/evil.err" >&2; fail "export of hq-evil"; }
assert_contains "$(cat "$TEST_DIR/evil.err")" "left out"
q data validate "$TEST_DIR/evil.yaml" >"$TEST_DIR/evil-validate.out" 2>&1 ||
    { cat "$TEST_DIR/evil-validate.out" >&2;
    fail "quire data validate refused hq-evil's export"; }

# Retention: keep 1 state, applied to a printer's category at its next
# backup (one that only confirms the newest state, too); no orphan content.
q backup --keep 1 >/dev/null
set +e
q backup hq-04 --category device >/dev/null 2>&1
set -e
assert_eq "$(sql "SELECT count(*) FROM backups WHERE printer_name = 'hq-03'
    AND category = 'device'")" 2 "other printers untouched until backed up"
set +e
q backup hq-03 --category device,network >/dev/null 2>&1
set -e
assert_eq "$(sql "SELECT count(*) || ' ' || max(seen) FROM backups WHERE
    printer_name = 'hq-03' AND category = 'device'")" "1 2" \
    "hq-03's newest device state kept"
assert_eq "$(sql "SELECT count(*) FROM backup_blobs o WHERE NOT EXISTS
    (SELECT 1 FROM backups b WHERE b.blob = o.id)")" 0 "orphan contents"
assert_contains "$(q backup --schedule-show)" \
    "the newest 1 states per printer and category"
q backup --keep all >/dev/null

# A schedule: `quire engine` queues it when due (at once, the first time)
# and runs it; --no-wait prints the job id.
q backup --schedule group:hq --category device,tls --every 86400 >/dev/null
assert_contains "$(q backup --schedule-show)" \
    "scheduled backup of group:hq (device,tls): every 86400 s, last queued never"
"$QUIRE" --log "$TEST_DIR/engine.log" -v engine >/dev/null 2>&1 &
engine=$!
test_track $engine
scheduled() {
	[ "$(sql "SELECT count(*) FROM jobs WHERE kind = 'backup' AND
	    created_by = 'engine' AND finished_at IS NOT NULL")" = 1 ]
}
wait_for 60 scheduled || fail "the scheduled backup did not run"
kill $engine
wait $engine || fail "quire engine exited non-zero after SIGTERM"
sjob=$(sql "SELECT id FROM jobs WHERE created_by = 'engine' AND kind = 'backup'")
assert_eq "$(sql "SELECT count(DISTINCT printer_name) || ' ' ||
    group_concat(DISTINCT category) FROM backups WHERE last_job = $sjob")" \
    "24 device,tls" "what the scheduled backup read (not hq-dead)"
assert_not_contains "$(q backup --schedule-show)" "last queued never"
q backup --schedule group:hq --every 0 >/dev/null
assert_contains "$(q backup --schedule-show)" "no scheduled backup"
jid=$(q --no-wait backup hq-01 --category device)
assert_eq "$(sql "SELECT kind || ' ' || params FROM jobs WHERE id = $jid")" \
    "backup categories=device timeout=1000 retries=1" "queued job"
q job cancel "$jid" >/dev/null

# Usage errors.
set +e
q backup hq-01 >/dev/null 2>&1; r1=$?
q backup hq-01 --category nope >/dev/null 2>&1; r2=$?
q backup show 999999 >/dev/null 2>&1; r3=$?
set -e
assert_eq "$r1$r2$r3" 222 "usage errors exit 2"
