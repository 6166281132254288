#!/bin/sh
# The layering rules of STYLE.md, checked on the sources and the built
# library: src/ includes no curses and nothing of ui/, libquire references
# no curses symbol, and ui/ opens no socket.
set -eu
: "${top_srcdir:?run through make check}" "${top_builddir:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"]((n?cursesw?|term|panel|menu|form)\.h|ncursesw/|\.\./ui/|ui/)' \
    "$top_srcdir/src" || true)
[ -z "$bad" ] || fail "src/ includes curses or ui/: $bad"
echo "ok: src/ includes no curses and nothing of ui/"

lib="$top_builddir/src/libquire.a"
[ -f "$lib" ] || fail "no $lib"
curses=$(nm -u "$lib" 2>/dev/null | grep -E ' U (initscr|newwin|wrefresh|endwin|wgetch|doupdate|setupterm|tigetstr|waddnstr|mvwaddnstr)$' || true)
[ -z "$curses" ] || fail "libquire.a references curses: $curses"
echo "ok: libquire.a references no curses symbol"

sock=$(grep -nE '\b(socket|connect|bind|sendto|recvfrom)[[:space:]]*\(' "$top_srcdir"/ui/*.c || true)
[ -z "$sock" ] || fail "ui/ touches the network: $sock"
echo "ok: ui/ opens no socket"

# Every ui/ file with words for translation is in po/POTFILES.in, so
# `make update-po` sees them all.
missing=
for f in $(cd "$top_srcdir" && grep -lE '\b(N_|_)\("' ui/*.c); do
	grep -qx "$f" "$top_srcdir/po/POTFILES.in" || missing="$missing $f"
done
[ -z "$missing" ] || fail "not in po/POTFILES.in:$missing"
echo "ok: po/POTFILES.in lists every ui/ file with translatable words"
