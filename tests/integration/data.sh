#!/bin/sh
# quire data through the real binary on a scratch database: the
# configurator's template validates; errors name FILE:LINE:COLUMN, all at
# once, and nothing is registered; import, show (secrets never shown),
# export without and with a passphrase, and the export re-imports to the
# same values; the secret is never in the database or its WAL; a quire-sim
# printer's `settings export` imports unchanged.
. "$top_srcdir/tests/lib/common.sh"

command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
: "${QUIRE_SIM:?run through make check}"

q() { "$QUIRE" "$@"; }
# Run quire, keeping its status in $rc, stdout in $out, stderr in $err.
q_rc() {
	set +e
	out=$(q "$@" 2>"$TEST_DIR/err" </dev/null)
	rc=$?
	err=$(cat "$TEST_DIR/err")
	set -e
}
T="$TEST_DIR"
SECRET="Dat4-Secret-Community"

# The database exists and a second connection keeps it open, so quire's
# writes stay in the -wal file for the grep below.
q printer list >/dev/null
mkfifo "$T/hold"
sqlite3 "$QUIRE_DB" <"$T/hold" >/dev/null &
test_track $!
exec 3>"$T/hold"
echo "SELECT count(*) FROM printers;" >&3
close_hold() { exec 3>&-; }
test_at_exit close_hold

# The template: every setting at its default, secrets commented out.
q_rc data new --out "$T/new.yaml"
assert_eq "$rc" 0 "data new"
assert_contains "$(cat "$T/new.yaml")" "  device.panel.timeout_s: 60"
assert_contains "$(cat "$T/new.yaml")" "int 10..900; default 60"
assert_contains "$(cat "$T/new.yaml")" "  # snmp.community.read: \"\""
q_rc data validate "$T/new.yaml"
assert_eq "$rc" 0 "the template validates"
q_rc data new --category tls,snmp
assert_contains "$out" "tls.min_version" "data new --category"
assert_not_contains "$out" "device.location" "data new --category"
q_rc data new --category nosuch
assert_eq "$rc" 2 "an unknown category"

# Filled in: a hostile string, a list, a secret in clear.
sed -e 's|^  # snmp.community.read: "".*|  snmp.community.read: "'"$SECRET"'"|' \
    -e 's|^  device.location: ""|  device.location: "Floor 3: east # \\"B\\" \\\\ end"|' \
    -e 's|^  network.dns.servers: \[\]|  network.dns.servers: ["192.0.2.53", "2001:db8::53"]|' \
    "$T/new.yaml" >"$T/office.yaml"

# Errors: all at once, FILE:LINE:COLUMN, nothing registered.
cat >"$T/bad.yaml" <<'YAML'
quire: setting-data/1
settings:
  device.panel.timeout_s: 5
  no.such.setting: x
  snmp.v1.enable: perhaps
YAML
q_rc data import "$T/bad.yaml" --name bad
assert_eq "$rc" 2 "import of bad data"
assert_contains "$err" "$T/bad.yaml:3:27: device.panel.timeout_s: out of range"
assert_contains "$err" "$T/bad.yaml:4:3: unknown setting no.such.setting"
assert_contains "$err" "$T/bad.yaml:5:19: snmp.v1.enable: expected true or false"
assert_eq "$(sqlite3 "$QUIRE_DB" 'SELECT count(*) FROM setting_data')" 0 \
    "nothing registered"
q_rc data validate "$T/office.yaml" "$T/bad.yaml"
assert_eq "$rc" 2 "validate of a good and a bad file"
assert_contains "$out" "office.yaml: valid"

q_rc data import "$T/office.yaml" --name office
assert_eq "$rc" 0 "import"
assert_contains "$out" "1 secret(s)"
q_rc data import "$T/office.yaml" --name office
assert_eq "$rc" 2 "a second import under the same name"
q_rc data list --format csv
assert_contains "$out" "office,any,"
q_rc data show office
assert_contains "$out" "(secret, set)" "the secret is shown as set"
assert_not_contains "$out" "$SECRET" "data show"
assert_contains "$out" 'Floor 3: east # "B" \ end'
q_rc data show office --format json
assert_not_contains "$out" "$SECRET" "data show --format json"

# The secret is in neither the database nor its WAL; the clear value is
# (the positive control that the grep can see what was written).
grep -q "Floor 3: east" "$QUIRE_DB" "$QUIRE_DB-wal" ||
    fail "positive control: the location is not in the database"
pass "positive control: the location is in the database files"
if grep -q "$SECRET" "$QUIRE_DB" "$QUIRE_DB-wal"; then
	fail "the secret is in the database in clear"
fi
pass "the secret is not in the database or its WAL"

# Export without a passphrase: the secret is left out.
q_rc data export office --out "$T/plain.yaml"
assert_eq "$rc" 0 "export"
assert_not_contains "$(cat "$T/plain.yaml")" "$SECRET" "plain export"
assert_contains "$(cat "$T/plain.yaml")" "# snmp.community.read: left out"
# The export re-imports, and exports again byte for byte (but the name,
# and the left-out secret, which was not in the file).
q_rc data import "$T/plain.yaml" --name office-again
assert_eq "$rc" 0 "re-import of the export"
q_rc data export office-again --out "$T/plain2.yaml"
grep -v -e '^name: ' -e 'Read community' -e 'snmp.community.read' \
    "$T/plain.yaml" >"$T/a"
grep -v '^name: ' "$T/plain2.yaml" >"$T/b"
cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b" >&2; fail "export differs"; }
pass "export, import, export: byte-identical"

# With a passphrase file: encrypted, and back with the same passphrase.
printf 'export-passphrase-1\n' >"$T/pass"
chmod 600 "$T/pass"
printf 'a-wrong-passphrase\n' >"$T/wrong"
chmod 600 "$T/wrong"
q_rc data export office --out "$T/enc.yaml" --passphrase-file "$T/pass"
assert_eq "$rc" 0 "export with a passphrase"
assert_contains "$(cat "$T/enc.yaml")" "snmp.community.read: !encrypted"
assert_not_contains "$(cat "$T/enc.yaml")" "$SECRET" "encrypted export"
q_rc data import "$T/enc.yaml" --name office-enc --passphrase-file "$T/wrong"
assert_eq "$rc" 2 "import with a wrong passphrase"
assert_contains "$err" "enc.yaml:" "the error names the file"
assert_contains "$err" "wrong passphrase"
q_rc data import "$T/enc.yaml" --name office-enc --passphrase-file "$T/pass"
assert_eq "$rc" 0 "import with the passphrase"
q_rc data export office-enc --out "$T/enc2.yaml" --passphrase-file "$T/pass"
q_rc data validate "$T/enc2.yaml" --passphrase-file "$T/pass"
assert_eq "$rc" 0 "the secret came back through import and export"
# Semantically identical: the same values, the same secret (here opened
# from the re-exported file and compared by a fresh import's export).
q_rc data show office --format csv
a=$out
q_rc data show office-enc --format csv
assert_eq "$out" "$a" "the encrypted round trip keeps every value"
q_rc data import "$T/enc2.yaml" --name office-enc2 --passphrase-file "$T/pass"
q_rc data export office-enc2 --out "$T/enc3.yaml" --passphrase-file "$T/pass"
sed 's/!encrypted ".*"/!encrypted/' "$T/enc.yaml" | grep -v '^name: ' >"$T/a"
sed 's/!encrypted ".*"/!encrypted/' "$T/enc3.yaml" | grep -v '^name: ' >"$T/b"
cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b" >&2; fail "enc export differs"; }
pass "encrypted export, import, export: identical but for salt and nonce"
q_rc data export office-enc --out "$T/x.yaml" --passphrase-file "$T/pass" \
    --passphrase "$SECRET"
assert_eq "$rc" 2 "no passphrase from argv"
chmod 644 "$T/pass"
q_rc data export office --out "$T/x.yaml" --passphrase-file "$T/pass"
assert_eq "$rc" 2 "a passphrase file others may read is refused"

# rm: dry run, refusal without a terminal, --yes.
q_rc data rm office --dry-run
assert_contains "$out" "would remove setting data office"
q_rc data rm office
assert_eq "$rc" 2 "rm without --yes and no terminal"
q_rc data rm office --yes
assert_eq "$rc" 0 "rm --yes"
q_rc data show office
assert_eq "$rc" 1 "show of a removed set"

# A quire-sim printer's `settings export` imports unchanged.
cat >"$T/fleet.yaml" <<'YAML'
quire-sim: fleet/1
models:
  - name: QX-4200
    descr: "Quire QX-4200 monochrome laser printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.1
    firmware: "4.2.3"
printers:
  - name: lab-data
    model: QX-4200
    site: lab
    logins:
      - { kind: user, user: admin, password: data-pw-1 }
YAML
mkdir -m 700 "$T/state"
# A location with YAML's special characters, set through the shell.
printf 'quire: setting-data/1\nsettings:\n  device.location: "%s"\n' \
    'lab: \"east\" # 3' | "$QUIRE_SIM" shell --printer lab-data \
    --fleet "$T/fleet.yaml" --state "$T/state" settings import >/dev/null ||
    fail "quire-sim settings import"
"$QUIRE_SIM" shell --printer lab-data --fleet "$T/fleet.yaml" \
    --state "$T/state" settings export >"$T/sim.yaml" ||
    fail "quire-sim settings export"
q_rc data import "$T/sim.yaml" --name from-printer
assert_eq "$rc" 0 "a printer's settings export imports"
q_rc data show from-printer --format csv
assert_contains "$out" "device.name,lab-data,device"
assert_contains "$out" 'device.location,"lab: ""east"" # 3",device'
