#!/bin/sh
# The setting-data editor of the console, driven through tmux: E opens the
# list of setting data, n starts new data, the device category's settings
# are walked; device.location is typed, an out-of-range panel timeout is
# refused with the catalog's reason, the panel language is picked from its
# values, a secret is typed as asterisks and never shown again; w saves it
# under a name. Then `quire data show` prints exactly those values and the
# export validates. Leaving or quitting with unsaved changes asks first,
# and x removes data after a y.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/console.sh"

SECRET="Sekr3t-Community"

# --- an empty list, then new data
console_open
expect "inventory shown" screen_has "0 printers"
press E
expect "the setting-data list" line_has 1 "Setting data"
expect "its empty state" screen_has "No setting data yet"
press n
expect "the categories" screen_has "Device information"
line_has 1 "(new)" || fail_screen "new data not named (new)"
press g Enter
expect "the device settings" screen_has "device.panel.timeout_s"
row_has device.location "(not set)" || fail_screen "location set already"

# --- device.location, typed
press /
type_text location
press Enter
expect "filtered to device.location" screen_has "1 of 10 settings"
press Enter
expect "the line editor" screen_has "New value:"
type_text "Floor 3, east"
expect "a valid value" screen_has "Enter sets it"
press Enter
expect "device.location set" row_has device.location "Floor 3, east"
line_has 1 "(modified)" || fail_screen "not marked modified"

# --- an out-of-range int is refused, with the reason under the field
press / C-u
type_text timeout
press Enter
expect "filtered to the timeout" screen_has "1 of 10 settings"
press Enter
expect "the timeout's line" screen_has "New value: 60"
press C-u
type_text 5
expect "the range shown as the reason" screen_has "out of range 10..900"
press Enter
expect "Enter refused" screen_has "not set: out of range 10..900"
screen_has "New value: 5" || fail_screen "the editor closed on a bad value"
press BSpace
type_text 9000
expect "still out of range" screen_has "out of range 10..900"
press Escape
expect "left unchanged" screen_has "unchanged"
row_has device.panel.timeout_s "(not set)" ||
    fail_screen "a refused value was set"

# --- an enum picked from its values
press / C-u
type_text language
press Enter
expect "filtered to the language" screen_has "1 of 10 settings"
press Enter
expect "the choices" screen_has "9 values"
row_has "en" "the default" || fail_screen "the default not named"
press j Enter
expect "de chosen" row_has device.panel.language " de "
press / Escape
expect "filter cleared" screen_has " 10 settings"

# --- a secret: asterisks while typed, never shown afterwards
press q
expect "back at the categories" screen_has "8 categories"
row_has device " 2 " || fail_screen "device does not count 2 settings"
press /
type_text SNMP
press Enter Enter
expect "the snmp settings" screen_has "snmp.community.read"
press /
type_text community.read
press Enter Enter
expect "the secret's line" screen_has "New value:"
type_text "$SECRET"
expect "asterisks" screen_has "New value: ****************"
screen_has "$SECRET" && fail_screen "the secret on the screen"
press Enter
expect "the secret set" row_has snmp.community.read "(secret, set)"
screen_has "$SECRET" && fail_screen "the secret on the screen"
pass "the secret never shown"

# --- help from the key tables
press '?'
expect "the editor's help" row_has unset "remove the setting under"
row_has save "save the data into quire" || fail_screen "no save in help"
press q
expect "help closed" screen_has "snmp.community.read"

# --- w: a name, saved; the list shows it
press w
expect "the name prompt" screen_has "Save as"
type_text "bad name!"
press Enter
expect "a bad name refused" screen_has "not saved"
press w
type_text office-3
press Enter
expect "saved" screen_has "saved setting data office-3: 3 settings"
line_has 1 "office-3" || fail_screen "the title does not name office-3"
line_has 1 "(modified)" && fail_screen "still modified after saving"
press q q
expect "the list again" row_has office-3 console
row_has office-3 " 3 " || fail_screen "office-3 does not have 3 settings"
console_quit Q

out=$("$QUIRE" data show office-3 --format csv)
expected='key,value,category
device.location,"Floor 3, east",device
device.panel.language,de,device
snmp.community.read,"(secret, set)",snmp'
assert_eq "$out" "$expected" "quire data show office-3"
"$QUIRE" data export office-3 --out "$TEST_DIR/office-3.yaml" >/dev/null 2>&1 ||
    fail "data export"
out=$("$QUIRE" data validate "$TEST_DIR/office-3.yaml")
assert_contains "$out" "valid, 2 setting(s)" "the export validates"
grep -q -F "$SECRET" "$TEST_DIR/office-3.yaml" && fail "secret exported"
sqlite3 "$QUIRE_DB" .dump | grep -q -F "$SECRET" && fail "secret in clear"
pass "the secret is not in clear"

# --- editing: unset, then leaving and quitting ask first
console_open
expect "inventory shown" screen_has "0 printers"
press E
expect "office-3 listed" row_has office-3 console
press Enter
expect "office-3 opened" line_has 1 "office-3"
press g Enter
press /
type_text location
press Enter
expect "the location" row_has device.location "Floor 3, east"
press u
expect "unset" row_has device.location "(not set)"
press q q
expect "leaving asks" screen_has "Leave without saving the changes? (y/n)"
press n
expect "nothing discarded" screen_has "nothing discarded"
press Q
expect "quitting asks" screen_has "Quit without saving the changes? (y/n)"
press y
WAIT=30 expect "the console exits" console_exited
assert_eq "$(cat "$STATUS")" 0 "exit status"
out=$("$QUIRE" data show office-3 --format csv)
assert_eq "$out" "$expected" "office-3 unchanged"

# --- narrow, plain ASCII, no colour; x removes after y
CONSOLE_SIZE="60 20" console_open LANG=C NO_COLOR=1
expect "inventory shown" screen_has "0 printers"
press E
expect "office-3 listed" row_has office-3 console
screen_text | grep -q '^>' || fail_screen "no ASCII cursor"
long=$(screen_text | awk 'length($0) > 60' | wc -l)
assert_eq "$long" 0 "lines wider than 60 columns"
press x
expect "removing asks" screen_has "Remove setting data office-3"
press n
expect "nothing removed" screen_has "nothing removed"
press x
expect "removing asks again" screen_has "Remove setting data office-3"
press y
expect "removed" screen_has "removed setting data office-3"
expect "the list is empty" screen_has "No setting data yet"
press q
expect "the printers again" screen_has "0 printers"
console_quit q
assert_eq "$("$QUIRE" data list --format csv | tail -n +2)" "" "data list"

pass "console setting-data editor"
