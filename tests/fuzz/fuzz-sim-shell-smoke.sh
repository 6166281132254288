#!/bin/sh
# Smoke run of the shell's setting-data fuzz target: a sample payload, then
# cut short at every few bytes and with bytes flipped, so the error paths
# run too. Any crash (or sanitizer report) fails the test.
set -eu
: "${top_srcdir:?run through make check}" "${top_builddir:?}"
fuzz="$top_builddir/tests/fuzz/fuzz-sim-shell"
work=$(mktemp -d "${TMPDIR:-/tmp}/quire-fuzz-shell.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/sample.yaml" <<'DOC'
quire: setting-data/1
name: "office standard"
model: any
comment: { nested: [1, 2, {x: y}] }
settings:
  device.location: "Floor 3: east # \"B\""
  device.contact: 'it''s me'
  protocols.raw.port: 09100
  protocols.ftp.enable: off
  network.dns.servers: [10.0.0.1, "10.0.0.2"]
  snmp.trap.destinations:
    - trap.example
    - 192.0.2.7
  power.time.zone: ~
  tls.min_version: "1.2"
  device.asset_number: caf\u00e9 ünïcödé
DOC
f="$work/sample.yaml"
size=$(wc -c <"$f")
cut=1 n=0
while [ "$cut" -lt "$size" ]; do
	head -c "$cut" "$f" >"$work/cut-$n.yaml"
	k=0
	for b in '\000' '\t' '&' '*' '!' '[' '{' ':' '"' '\n' '\377'; do
		{ head -c "$cut" "$f"; printf "$b"; tail -c +"$((cut + 2))" "$f"; } \
		    >"$work/flip-$n-$k.yaml"
		k=$((k + 1))
	done
	cut=$((cut + 3))
	n=$((n + 1))
done
"$fuzz" "$work"/*.yaml
echo "ok: fuzz-sim-shell survived $(ls "$work" | wc -l) inputs"
