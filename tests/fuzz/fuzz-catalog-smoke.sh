#!/bin/sh
# Smoke run of the catalog fuzz target: the real catalog files, then each
# one cut short at many places and with bytes flipped, so the error paths
# run too. Any crash (or sanitizer report) fails the test.
set -eu
: "${top_srcdir:?run through make check}" "${top_builddir:?}"
fuzz="$top_builddir/tests/fuzz/fuzz-catalog"
work=$(mktemp -d "${TMPDIR:-/tmp}/quire-fuzz-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
for f in "$top_srcdir"/data/catalog/*.yaml; do
	size=$(wc -c <"$f")
	step=$((size / 40 + 1))
	cut=0
	while [ "$cut" -lt "$size" ]; do
		head -c "$cut" "$f" >"$work/cut-$n.yaml"
		# The byte at CUT replaced by each of a few that YAML minds.
		k=0
		for b in '\000' '\t' '&' '*' '[' '{' ':' '\377'; do
			{ head -c "$cut" "$f"; printf "$b"; tail -c +"$((cut + 2))" "$f"; } \
			    >"$work/flip-$n-$k.yaml"
			k=$((k + 1))
		done
		cut=$((cut + step))
		n=$((n + 1))
	done
done
"$fuzz" "$top_srcdir"/data/catalog/*.yaml "$work"/*.yaml
echo "ok: fuzz-catalog survived $(ls "$work" | wc -l) mutated and 8 real files"
