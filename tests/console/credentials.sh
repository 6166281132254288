#!/bin/sh
# The credentials view of the console, driven through tmux: every kind
# listed with its public fields, the detail view with the printers and
# groups that use a credential, a credential added by another process
# appearing by itself, and no secret anywhere on any screen.
. "$top_srcdir/tests/lib/common.sh"

command -v ssh-keygen >/dev/null 2>&1 || { echo "SKIP: no ssh-keygen"; exit 77; }
CONSOLE_SIZE="100 30"
CAPTURE_FLAGS="-J -S -"
. "$top_srcdir/tests/lib/console.sh"

# Every secret given to quire, one a line; no screen may show any of them.
SECRETS="$TEST_DIR/secrets"
: >"$SECRETS"
keep() { printf '%s\n' "$@" >>"$SECRETS"; }
secret_file() {
	f="$TEST_DIR/$1"; shift
	printf '%s\n' "$@" >"$f"
	chmod 600 "$f"
	echo "$f"
}
no_secret_on_screen() {
	s=$(tm capture-pane -p -J -S - -t q)
	while IFS= read -r secret; do
		case $s in
		*"$secret"*) fail_screen "secret on screen ($1): $secret" ;;
		esac
	done <"$SECRETS"
	pass "no secret on screen: $1"
}
add() {
	name=$1; file=$2; shift 2
	"$QUIRE" credential add "$name" "$@" --secret-file "$file" \
	    </dev/null >/dev/null || fail "credential add $name"
}

# --- no credentials yet: a friendly empty view
console_open
expect "inventory shown" screen_has "No printers yet"
press C
expect "empty credentials view" screen_has "No credentials yet"
assert_contains "$(screen_text)" "0 credentials"
line_has 1 "Credentials" || fail_screen "title not Credentials"
no_secret_on_screen "empty view"
console_quit Q

# --- one credential of each kind, secrets from files
keep "Usr-Pa55-7731"
add office "$(secret_file s1 Usr-Pa55-7731)" --kind user --user alice
keep "Dom-Pa55-1913"
add corp "$(secret_file s2 Dom-Pa55-1913)" --kind domain --domain CORP \
    --user bob
keep "9182736450"
add admin-id "$(secret_file s3 9182736450)" --kind sysmgr --id 4711
keep "Only-Pa55-4421"
add devpw "$(secret_file s4 Only-Pa55-4421)" --kind password
keep "rc0mm-5ecret" "wc0mm-5ecret"
add comm "$(secret_file s5 rc0mm-5ecret wc0mm-5ecret)" \
    --kind snmp-community
keep "ro-c0mm-only"
add comm-ro "$(secret_file s6 ro-c0mm-only)" --kind snmp-community
keep "usm-auth-5ecret" "usm-priv-5ecret"
add v3 "$(secret_file s7 usm-auth-5ecret usm-priv-5ecret)" \
    --kind snmp-usm --user snmpadm --auth SHA --priv AES
keep "ssh-key-5ecret"
ssh-keygen -q -t ed25519 -N ssh-key-5ecret -C '' -f "$TEST_DIR/id_enc"
add sshkey "$(secret_file s8 ssh-key-5ecret)" --kind ssh-key --user admin \
    --key-file "$TEST_DIR/id_enc"
# The private key's own lines are secrets too.
grep -v -e '-----' "$TEST_DIR/id_enc" >>"$SECRETS"
fp=$(ssh-keygen -lf "$TEST_DIR/id_enc.pub" | cut -d' ' -f2)
fp_short=$(printf '%s' "$fp" | cut -c1-19)

# Who uses what: two printers and a group.
P1=$(free_port udp)
P2=$(free_port udp)
"$QUIRE" printer add lab-1 "127.0.0.1:$P1" --group lab --credential v3 \
    --credential comm >/dev/null
"$QUIRE" printer add lab-2 "127.0.0.1:$P2" --group lab --credential v3 \
    >/dev/null
sqlite3 "$QUIRE_DB" "INSERT INTO group_credentials (group_id, credential_id,
    position) SELECT g.id, c.id, 0 FROM groups g, credentials c
    WHERE g.name = 'lab' AND c.name = 'v3'"
# The checks that adding printers queued are not this test's business.
for id in $("$QUIRE" job list --format csv | awk -F, \
    'NR > 1 && $3 != "done" { print $1 }'); do
	"$QUIRE" job cancel "$id" >/dev/null 2>&1 || true
done

# --- the list
console_open
expect "inventory shown" screen_has "lab-2"
no_secret_on_screen "inventory"
press C
expect "credentials view" screen_has "8 credentials"
line_has 1 "Credentials" || fail_screen "title not Credentials"
for w in NAME KIND USER/ID SNMP KEY "USED BY"; do
	line_has 2 "$w" || fail_screen "no $w in the header"
done
row_has office alice || fail_screen "office: user"
row_has corp 'CORP\bob' || fail_screen "corp: domain\\user"
row_has admin-id 4711 || fail_screen "admin-id: the ID"
row_has devpw password || fail_screen "devpw: kind"
row_has "comm " "v2c+write" || fail_screen "comm: write community"
screen_text | grep -E -q 'comm-ro +snmp-community +v2c( |$)' ||
    fail_screen "comm-ro: read only"
row_has v3 authPriv || fail_screen "v3: USM level"
row_has v3 "2 printers, 1 group" || fail_screen "v3: used by"
row_has "comm " "1 printer, 0 groups" || fail_screen "comm: used by"
row_has devpw unused || fail_screen "devpw: unused"
row_has sshkey "ssh-ed25519 $fp_short" || fail_screen "sshkey: type, fp"
pass "every kind listed with its public fields"
no_secret_on_screen "credentials list"

# --- help lists the view's keys
press '?'
expect "help of the credentials view" screen_has "printers"
assert_contains "$(screen_text)" "back to the printers"
no_secret_on_screen "help"
press q
expect "help closed" screen_has "8 credentials"

# --- filter
press /
type_text ssh
expect "filter narrows" screen_has "1 of 8 credentials"
press Enter

# --- detail of the SSH key
press g Enter
expect "ssh key detail" screen_has "Credential sshkey"
row_has Fingerprint "$fp" || fail_screen "full fingerprint"
row_has "Key type" ssh-ed25519 || fail_screen "key type"
row_has User admin || fail_screen "ssh user"
row_has Secrets "never shown" || fail_screen "secrets note"
no_secret_on_screen "ssh key detail"
press q
expect "detail closed" screen_has "1 of 8 credentials"
press /
press C-u
press Escape
expect "filter cleared" screen_has "8 credentials"

# --- detail of v3: who uses it
press /
type_text v3
press Enter
expect "v3 alone" screen_has "1 of 8 credentials"
press Enter
expect "v3 detail" screen_has "Credential v3"
row_has Printers "2: lab-1, lab-2" || fail_screen "printers using v3"
row_has Groups "1: lab" || fail_screen "groups using v3"
row_has "USM level" authPriv || fail_screen "USM level"
row_has Auth SHA || fail_screen "auth"
row_has Priv AES || fail_screen "priv"
no_secret_on_screen "v3 detail"
press Escape
expect "Esc closes the detail" screen_has "1 of 8 credentials"
press /
press Escape
expect "filter cleared again" screen_has "8 credentials,"

# --- every other detail view, one by one
for name in office corp admin-id devpw comm comm-ro; do
	press /
	press C-u
	type_text "$name"
	press Enter
	press g Enter
	expect "detail of $name" screen_has "Credential $name"
	no_secret_on_screen "$name detail"
	press q
	expect "$name detail closed" screen_has "of 8 credentials"
done
press /
press Escape
expect "all credentials again" screen_has "8 credentials,"

# --- another process adds one: it appears by itself
keep "L8r-Pa55-0042"
add later "$(secret_file s9 L8r-Pa55-0042)" --kind user --user carol
expect "new credential appears" screen_has "9 credentials"
row_has later carol || fail_screen "later: user"
no_secret_on_screen "after reload"

# --- back to the printers, by key and by command
press P
expect "P: printers again" screen_has "2 printers"
line_has 1 "Printers" || fail_screen "title not Printers"
press :
type_text credentials
press Enter
expect ":credentials" screen_has "9 credentials"
press :
type_text printers
press Enter
expect ":printers" screen_has "2 printers"
press C
expect "C again" screen_has "9 credentials"
press q
expect "q: printers again" screen_has "2 printers"
press C
expect "C once more" screen_has "9 credentials"
press Escape
expect "Esc: printers again" screen_has "2 printers"
console_exited && fail "q in the credentials view quit the console"
no_secret_on_screen "printers"
console_quit q

# --- the database holds no secret in clear either (belt and braces)
while IFS= read -r secret; do
	grep -F -q -e "$secret" "$QUIRE_DB" && fail "secret in the database"
done <"$SECRETS"
pass "no secret in the database file"

pass "console credentials"
