#!/bin/sh
# The printer inventory in the console, driven through tmux as an operator
# would: empty state, listing, filter, marks, sort, resize, help, detail,
# a check job that updates the screen by itself, commands, hostile text
# from a printer, NO_COLOR, plain ASCII and several TERMs.
. "$top_srcdir/tests/lib/common.sh"

. "$top_srcdir/tests/lib/console.sh"

ESC=$(printf '\033')

# --- an empty database: a friendly empty state, not a blank screen
console_open
expect "empty state shown" screen_has "No printers yet"
assert_contains "$(screen_text)" "quire printer add NAME ADDRESS"
assert_contains "$(screen_text)" "0 printers"
console_quit q

# --- printers; nothing answers on these loopback ports
P1=$(free_port udp)
P2=$(free_port udp)
P3=$(free_port udp)
"$QUIRE" printer add lab-1 "127.0.0.1:$P1" --group lab --no-check >/dev/null
"$QUIRE" printer add lab-2 "127.0.0.1:$P2" --group lab --no-check >/dev/null
"$QUIRE" printer add office-1 "127.0.0.1:$P3" --group office --no-check >/dev/null

console_open
expect "inventory shown" screen_has "office-1"
s=$(screen_text)
for w in NAME ADDRESS GROUP STATE MODEL SERIAL SYSNAME lab-1 lab-2 \
    "127.0.0.1:$P1" "3 printers, 0 marked"; do
	assert_contains "$s" "$w"
done
line_has 1 "quire" || fail_screen "title not on line 1"
line_has 2 "SYSNAME" || fail_screen "header not on line 2"
row_has lab-1 unknown || fail_screen "lab-1 not unknown"
pass "layout: title, header, rows"

# --- filter as you type, case-insensitive; Enter keeps, Esc clears
press /
type_text lab
expect "filter narrows the list" screen_has "2 of 3 printers"
s=$(screen_text)
assert_contains "$s" "filter: lab"
assert_not_contains "$s" "office-1"
press Enter
expect "Enter keeps the filter" screen_has "filter: lab"
press /
press C-u
type_text OFFICE
expect "filter ignores case" screen_has "1 of 3 printers"
assert_not_contains "$(screen_text)" "lab-1"
press Escape
expect "Esc clears the filter" screen_has "3 printers, 0 marked, sort"
assert_contains "$(screen_text)" "lab-1"

# --- marks
press g Space
expect "space marks" screen_has "1 marked"
row_has lab-1 "●" || fail_screen "no mark glyph on lab-1"
press a
expect "a marks all shown" screen_has "3 marked"
press i
expect "i inverts" screen_has "0 marked"
press Space Space
expect "two marked" screen_has "2 marked"
press u
expect "u unmarks all" screen_has "0 marked"

# --- sort
press S
expect "S reverses" screen_has "sort: NAME-"
line_has 3 office-1 || fail_screen "office-1 not first when reversed"
press S s
expect "s sorts by the next column" screen_has "sort: ADDRESS"
press s s s s s s s
expect "s cycles back" screen_has "sort: NAME"

# --- resize: a full, proper redraw at the new size
tm resize-window -t q -x 100 -y 30
expect "footer moves to line 29" line_has 29 "3 printers"
[ "$(screen_line 29 | wc -c)" -gt 96 ] || fail_screen "footer not 100 wide"
expect "title kept after resize" line_has 1 "quire"
expect "header kept after resize" line_has 2 "SYSNAME"
pass "redrawn at 100x30"
tm resize-window -t q -x 50 -y 20
expect "footer moves to line 19" line_has 19 "printers"
expect "header kept when narrow" line_has 2 "NAME"
line_has 2 "SYSNAME" && fail_screen "SYSNAME not dropped at 50 columns"
long=$(screen_text | awk 'length($0) > 50' | wc -l)
assert_eq "$long" 0 "lines wider than 50 columns"
tm resize-window -t q -x 80 -y 24
expect "back at 80x24" line_has 23 "3 printers"

# --- help, generated from the key tables
press '?'
expect "help shown" screen_has "mark-all"
s=$(screen_text)
for w in "PgDn" "Space" "invert-marks" "check"; do
	assert_contains "$s" "$w"
done
press G
expect "help scrolls to the prompt keys" screen_has "kill-word"
assert_contains "$(screen_text)" "While typing"
press q
expect "q closes help" line_has 2 "SYSNAME"
console_exited && fail "q in help quit the console"

# --- detail view
press g Enter
expect "detail shown" screen_has "Printer lab-1"
row_has Checked never || fail_screen "lab-1 was never checked"
press q
expect "detail closed" line_has 2 "SYSNAME"

# --- a check job; the screen follows it without another key
press G
expect "cursor on office-1" row_has office-1 "▶"
press c
expect "job queued" screen_has "check #1"
WAIT=90 expect "office-1 unreachable without a key" row_has office-1 unreachable
WAIT=30 expect "job end reported" screen_has "1 failed"
row_has lab-1 unknown || fail_screen "lab-1 was checked too"
press Enter
expect "detail of office-1" screen_has "Printer office-1"
row_has Checked never && fail_screen "checked_at not shown"
row_has State unreachable || fail_screen "state not in detail"
press q

# --- another process adds a printer: it appears by itself, and the marks
# and the cursor stay with their printers
press g Space Space
expect "two marked before the reload" screen_has "2 marked"
"$QUIRE" printer add lab-3 "127.0.0.1:$P1" --group lab --no-check >/dev/null
expect "new printer appears" screen_has "lab-3"
expect "count follows" screen_has "4 printers, 2 marked"
row_has lab-1 "●" || fail_screen "mark lost on reload"
row_has lab-3 "●" && fail_screen "mark moved to the new row"
row_has office-1 "▶" || fail_screen "cursor left its printer"
press u
expect "unmarked" screen_has "0 marked"

# --- commands
press :
type_text bogus
press Enter
expect "unknown command reported" screen_has "unknown command: bogus"
press :
type_text "check lab-3"
press Enter
expect ":check TARGETS queues a job" screen_has "check #2 queued for 1 printer"
WAIT=90 expect "lab-3 unreachable" row_has lab-3 unreachable
row_has lab-2 unknown || fail_screen "lab-2 was checked too"
press :
type_text q
console_quit Enter

# --- a hostile sysName: escapes and invalid UTF-8 stay text
sqlite3 "$QUIRE_DB" "UPDATE printers SET sys_name =
    CAST(X'1b5b324a1b5b481b5d303b6f776e656407ff41' AS TEXT)
    WHERE name = 'lab-2'"
console_open
expect "inventory shown over hostile text" screen_has "lab-2"
line_has 1 "quire" || fail_screen "title moved"
line_has 2 "SYSNAME" || fail_screen "header moved"
row_has lab-2 '\x1b[2J' || fail_screen "escape not shown as text"
case $(tm display-message -p -t q '#{pane_title}') in
*owned*) fail "a printer's text set the terminal title" ;;
esac
press g j Enter
expect "detail of lab-2" screen_has "Printer lab-2"
row_has sysName '\x1b[2J\x1b[H\x1b]0;owned\x07\xffA' ||
    fail_screen "sysName not escaped in full"
line_has 2 "FIELD" || fail_screen "detail header moved"
console_quit Q

# --- colour, and NO_COLOR: bold and reverse only
colour="$ESC\\[([0-9]+;)*(3[0-7]|4[0-7]|38|48|9[0-7]|10[0-7])(;[0-9]+)*m"
console_open
expect "colour console" screen_has "4 printers"
tm capture-pane -p -e -t q | grep -E -q "$colour" ||
    fail_screen "no colour without NO_COLOR"
pass "colour used by default"
console_quit q
console_open NO_COLOR=1
expect "NO_COLOR console" screen_has "4 printers"
tm capture-pane -p -e -t q | grep -E -q "$colour" &&
    fail_screen "colour despite NO_COLOR"
tm capture-pane -p -e -t q | grep -E -q "$ESC\\[([0-9]+;)*7m" ||
    fail_screen "no reverse video under NO_COLOR"
pass "NO_COLOR: no colour, reverse video"
console_quit q

# --- plain ASCII under LANG=C
console_open LANG=C
expect "ASCII console" screen_has "4 printers"
press g Space
expect "marked under LANG=C" screen_has "1 marked"
row_has lab-1 " * lab-1" || fail_screen "no ASCII mark"
screen_text | grep -q '^>' || fail_screen "no ASCII cursor"
nonascii=$(screen_text | LC_ALL=C tr -d '\011\012\040-\176' | wc -c)
assert_eq "$nonascii" 0 "bytes outside ASCII under LANG=C"
console_quit q

# --- the terminals operators use
for t in xterm screen tmux linux; do
	if command -v infocmp >/dev/null 2>&1 && ! infocmp "$t" >/dev/null 2>&1
	then
		echo "skip: no terminfo entry for $t"
		continue
	fi
	console_open TERM=$t
	expect "TERM=$t: inventory" screen_has "4 printers"
	line_has 2 "SYSNAME" || fail_screen "TERM=$t: header"
	console_quit q
done

# --- ^C leaves as cleanly as q
console_open
expect "console before ^C" screen_has "4 printers"
console_quit C-c

pass "console inventory"
