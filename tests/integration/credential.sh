#!/bin/sh
# Credentials through the real quire binary on a scratch database: one of
# every kind, secrets from --secret-file and from stdin, never from argv;
# no secret in any listing, in the database, its WAL or the log; ordered
# lists on printers; a used credential is not removed; passphrase mode.
. "$top_srcdir/tests/lib/common.sh"

command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
command -v ssh-keygen >/dev/null || { echo "SKIP: no ssh-keygen"; exit 77; }

LOG="$TEST_DIR/quire.log"
q() { "$QUIRE" -v -v --log "$LOG" "$@"; }
# Run quire, keeping its status in $rc and its stderr in $err.
q_rc() {
	set +e
	err=$(q "$@" 2>&1 >/dev/null </dev/null)
	rc=$?
	set -e
}
sql() { sqlite3 "$QUIRE_DB" "$1"; }
# A private file (0600) with these lines.
secret_file() { f="$TEST_DIR/$1"; shift; printf '%s\n' "$@" >"$f"; chmod 600 "$f"; }
ALL="$TEST_DIR/all-secrets"
: >"$ALL"
chmod 600 "$ALL"
keep() { printf '%s\n' "$@" >>"$ALL"; }

# The database exists and a second connection keeps it open, so quire's
# writes stay in the -wal file (the last connection to close would fold
# the WAL into the database and delete it).
q printer list >/dev/null
mkfifo "$TEST_DIR/hold"
sqlite3 "$QUIRE_DB" <"$TEST_DIR/hold" >/dev/null &
test_track $!
exec 3>"$TEST_DIR/hold"
echo "SELECT count(*) FROM printers;" >&3
close_hold() { exec 3>&-; }
test_at_exit close_hold

# user: from --secret-file.
keep "Usr-Pa55-7731"
secret_file s-user "Usr-Pa55-7731"
q credential add office --kind user --user alice --secret-file "$TEST_DIR/s-user"
# domain: from stdin.
keep "Dom-Pa55-1913"
printf 'Dom-Pa55-1913\n' | q credential add corp --kind domain --domain CORP --user bob
# sysmgr: ID and PIN, the PIN from --secret-file.
keep "9182736450"
secret_file s-pin "9182736450"
q credential add admin-id --kind sysmgr --id 4711 --secret-file "$TEST_DIR/s-pin"
# password alone: stdin.
keep "Only-Pa55-4421"
printf 'Only-Pa55-4421\n' | q credential add devpw --kind password
# snmp-community: read then write, from --secret-file.
keep "rc0mm-5ecret" "wc0mm-5ecret"
secret_file s-comm "rc0mm-5ecret" "wc0mm-5ecret"
q credential add comm --kind snmp-community --secret-file "$TEST_DIR/s-comm"
# snmp-usm authPriv: auth then priv passphrase, from stdin.
keep "usm-auth-5ecret" "usm-priv-5ecret"
printf 'usm-auth-5ecret\nusm-priv-5ecret\n' | q credential add v3 --kind snmp-usm \
    --user ops --auth SHA-256 --priv AES
# ssh-key: an encrypted ed25519 key, its passphrase from --secret-file; and
# an unencrypted one, whose private key itself is the secret.
keep "ssh-key-5ecret"
ssh-keygen -q -t ed25519 -N ssh-key-5ecret -C '' -f "$TEST_DIR/id_enc"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$TEST_DIR/id_plain"
sed '1d;$d' "$TEST_DIR/id_plain" >>"$ALL"
secret_file s-key "ssh-key-5ecret"
q credential add key-enc --kind ssh-key --user admin --key-file "$TEST_DIR/id_enc" \
    --secret-file "$TEST_DIR/s-key"
q credential add key-plain --kind ssh-key --key-file "$TEST_DIR/id_plain" </dev/null
pass "one credential of every kind added"

mode=$(stat -c %a "$XDG_CONFIG_HOME/quire/vault.key")
assert_eq "$mode" 600 "vault key file mode"
mode=$(stat -c %a "$XDG_CONFIG_HOME/quire")
assert_eq "$mode" 700 "vault key directory mode"
assert_eq "$(stat -c %s "$XDG_CONFIG_HOME/quire/vault.key")" 32 "vault key size"

# The listing: public attributes in every format, never a secret.
table=$(q credential list)
assert_contains "$table" "snmp-usm"
assert_contains "$table" "authPriv"
assert_contains "$table" "read+write"
assert_contains "$table" "4711"
json=$(q credential list --format json)
assert_contains "$json" '"user": "bob"'
assert_contains "$json" '"domain": "CORP"'
fp=$(ssh-keygen -lf "$TEST_DIR/id_enc.pub" | cut -d' ' -f2)
assert_contains "$json" "ssh-ed25519 $fp" "the key's SHA-256 fingerprint"
listings="$table
$json
$(q credential list --format csv)
$(q credential list --format yaml)"
while IFS= read -r s; do
	assert_not_contains "$listings" "$s" "the listings" >/dev/null
done <"$ALL"
pass "no listing shows a secret"

# Refusals: a readable secret file, a secret on the command line, a bad
# kind, a short USM passphrase. Nothing is added by any of them.
secret_file s-open "Open-Pa55-0001"
chmod 644 "$TEST_DIR/s-open"
q_rc credential add leaky --kind password --secret-file "$TEST_DIR/s-open"
assert_eq "$rc" 2 "exit status for a 0644 secret file"
assert_contains "$err" "mode 0644"
q_rc credential add argv --kind password Argv-Pa55-0002
assert_eq "$rc" 2 "exit status for a secret in argv"
assert_not_contains "$err" "Argv-Pa55-0002" "the usage error"
q_rc credential add argv --kind password --password=Argv-Pa55-0003
assert_eq "$rc" 2 "exit status for a --password option"
assert_not_contains "$err" "Argv-Pa55-0003" "the usage error"
q_rc credential add k --kind kerberos
assert_eq "$rc" 2 "exit status for an unknown kind"
assert_contains "$err" "unknown credential kind 'kerberos'"
set +e
err=$(printf 'short\n' | q credential add v3b --kind snmp-usm --user u --auth MD5 2>&1)
rc=$?
set -e
assert_eq "$rc" 2 "exit status for a short USM passphrase"
assert_contains "$err" "at least 8 characters"
q_rc credential add nouser --kind user
assert_eq "$rc" 2 "exit status without --user"
assert_contains "$err" "kind user needs --user"
assert_eq "$(sql "SELECT count(*) FROM credentials")" 8 "credentials stored"

# Ordered lists: printer add --credential, printer set --credential.
q printer add p1 127.0.0.1:1161 --group lab --credential v3 --credential comm
q printer add p2 127.0.0.1:1162 --group lab
list_of() {
	sql "SELECT group_concat(name, ',') FROM (SELECT c.name FROM
	    printer_credentials pc JOIN printers p ON p.id = pc.printer_id
	    JOIN credentials c ON c.id = pc.credential_id
	    WHERE p.name = '$1' ORDER BY pc.position)"
}
assert_eq "$(list_of p1)" "v3,comm" "p1's list from printer add"
q printer set 'p*' --credential devpw --credential comm --credential office >/dev/null
assert_eq "$(list_of p1)" "devpw,comm,office" "p1's list from printer set"
assert_eq "$(list_of p2)" "devpw,comm,office" "p2's list from printer set"
q printer set p2 --no-credentials >/dev/null
assert_eq "$(list_of p2)" "" "p2's list cleared"
q_rc printer set p1 --credential nope
assert_eq "$rc" 1 "exit status for an unknown credential"
assert_contains "$err" "no credential named 'nope'"
assert_eq "$(list_of p1)" "devpw,comm,office" "p1's list unchanged"
q_rc printer set p1
assert_eq "$rc" 2 "printer set without --credential"
csv=$(q credential list --format csv)
assert_contains "$csv" "comm,snmp-community,,,,,,read+write,1,0"

# A credential in use is not removed, and the refusal names the printer.
q_rc credential rm comm
assert_eq "$rc" 1 "exit status removing a used credential"
assert_contains "$err" "used by printer(s) p1"
q credential rm admin-id >/dev/null
out=$(q credential rm comm --force)
assert_contains "$out" "removed comm"
assert_eq "$(list_of p1)" "devpw,office" "p1's list without comm"

# A group's list: shown, set in order, used after the printer's own list,
# cleared; an unknown credential changes nothing.
group_of() {
	sql "SELECT group_concat(name, ',') FROM (SELECT c.name FROM
	    group_credentials gc JOIN groups g ON g.id = gc.group_id
	    JOIN credentials c ON c.id = gc.credential_id
	    WHERE g.name = '$1' ORDER BY gc.position)"
}
out=$(q credential group lab)
assert_contains "$out" "lab: no credentials"
out=$(q credential group lab office devpw --no-check)
assert_eq "$out" "group lab: 2 credential(s)" "credential group output"
assert_eq "$(group_of lab)" "office,devpw" "lab's list"
assert_eq "$(q credential group lab)" "1 office
2 devpw" "lab's list shown in order"
out=$(q credential group lab devpw)
assert_contains "$out" "check job"
assert_eq "$(group_of lab)" "devpw" "lab's list replaced"
q_rc credential group lab nope
assert_eq "$rc" 1 "exit status for an unknown credential in a group"
assert_contains "$err" "nope"
assert_eq "$(group_of lab)" "devpw" "lab's list unchanged"
q_rc credential rm devpw
assert_contains "$err" "group(s) lab"
q credential group lab --none >/dev/null
assert_eq "$(group_of lab)" "" "lab's list cleared"
q_rc credential group lab devpw --none
assert_eq "$rc" 2 "names with --none is a usage error"

# A missing key file with credentials stored: an error naming it.
mv "$XDG_CONFIG_HOME/quire/vault.key" "$TEST_DIR/vault.key.away"
set +e
err=$(printf 'x-Pa55\n' | q credential add more --kind password 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "exit status without the key file"
assert_contains "$err" "$XDG_CONFIG_HOME/quire/vault.key is missing"
[ ! -e "$XDG_CONFIG_HOME/quire/vault.key" ] || fail "a new key was made"
mv "$TEST_DIR/vault.key.away" "$XDG_CONFIG_HOME/quire/vault.key"

# Passphrase mode: set it, then the passphrase file opens the vault.
keep "Vault-Pa55phrase" "Wrong-Pa55phrase"
secret_file pp "Vault-Pa55phrase"
secret_file pp-bad "Wrong-Pa55phrase"
out=$(q credential passphrase --secret-file "$TEST_DIR/pp")
assert_contains "$out" "vault passphrase set"
assert_eq "$(sql "SELECT value FROM config WHERE key = 'vault.mode'")" \
    passphrase "vault mode"
keep "Late-Pa55-3141"
set +e
err=$(printf 'Late-Pa55-3141\n' | q credential add late --kind password 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "exit status without the vault passphrase"
assert_contains "$err" "QUIRE_PASSPHRASE_FILE"
set +e
err=$(printf 'Late-Pa55-3141\n' | QUIRE_PASSPHRASE_FILE="$TEST_DIR/pp-bad" \
    q credential add late --kind password 2>&1)
rc=$?
set -e
assert_contains "$err" "wrong vault passphrase"
printf 'Late-Pa55-3141\n' | QUIRE_PASSPHRASE_FILE="$TEST_DIR/pp" \
    q credential add late --kind password
out=$(QUIRE_PASSPHRASE_FILE="$TEST_DIR/pp" q credential passphrase --remove)
assert_contains "$out" "vault passphrase removed"

# No secret in clear in the database, its WAL or the log; the positive
# control shows the same grep finds them in the test's own secrets.
[ -s "$QUIRE_DB-wal" ] || fail "no -wal file to search"
[ -s "$LOG" ] || fail "no log file to search"
assert_contains "$(cat "$LOG")" "credential add"
c=$(grep -a -c -F -e "user=ops" "$QUIRE_DB-wal" || true)
[ "$c" -ge 1 ] || fail "positive control: the WAL lacks the public 'user=ops'"
n=0
while IFS= read -r s; do
	[ -n "$s" ] || continue
	c=$(grep -a -c -F -e "$s" "$ALL" || true)
	[ "$c" -ge 1 ] || fail "positive control: '$s' not in $ALL"
	for f in "$QUIRE_DB" "$QUIRE_DB-wal" "$LOG"; do
		c=$(grep -a -c -F -e "$s" "$f" || true)
		[ "$c" -eq 0 ] || fail "secret '$s' found in clear in $f"
	done
	n=$((n + 1))
done <"$ALL"
[ "$n" -ge 12 ] || fail "only $n secrets checked"
pass "$n secrets: in the test's own file, not in the database, WAL or log"
audit=$(sql "SELECT group_concat(action || ' ' || coalesce(detail, ''), char(10)) FROM audit")
assert_contains "$audit" "credential add v3 kind=snmp-usm user=ops auth=SHA-256 priv=AES"
assert_contains "$audit" "vault passphrase passphrase set"
