#!/bin/sh
# quire-sim's HTTPS ports, seen through `openssl s_client`: each printer
# presents its own certificate (subject CN = its name), answers a status
# page naming it, keeps the certificate across a restart, and a model
# without https has no port.
. "$top_srcdir/tests/lib/common.sh"
: "${QUIRE_SIM:?run through make check}"
OPENSSL=${OPENSSL:-openssl}

FLEET="$TEST_DIR/fleet.yaml"
STATE="$TEST_DIR/state"
cat >"$FLEET" <<'EOF2'
quire-sim: fleet/1
models:
  - { name: W-1, descr: "web printer", sys_object_id: 1.3.6.1.4.1.32473.2.9,
      firmware: "1.0", shell: false }
  - { name: N-1, descr: "no web", sys_object_id: 1.3.6.1.4.1.32473.2.8,
      firmware: "1.0", shell: false, https: false }
printers:
  - { name: web-01, model: W-1, site: lab }
  - { name: web-02, model: W-1, site: lab }
  - { name: plain-01, model: N-1, site: lab }
EOF2

SIM_PID=""
# sim_start: run quire-sim until it prints "# ready" (auto ports).
sim_start() {
	: >"$TEST_DIR/sim.out"
	"$QUIRE_SIM" --fleet "$FLEET" --state "$STATE" --addressing auto \
	    >"$TEST_DIR/sim.out" 2>>"$TEST_DIR/sim.err" &
	SIM_PID=$!
	test_track "$SIM_PID"
	if ! wait_for 30 grep -q '^# ready 3 printers' "$TEST_DIR/sim.out"; then
		cat "$TEST_DIR/sim.err" >&2
		fail "quire-sim did not get ready"
	fi
}
sim_stop() {
	kill "$SIM_PID"
	rc=0
	wait "$SIM_PID" || rc=$?
	assert_eq "$rc" 0 "quire-sim's exit status on SIGTERM"
}
# https_port NAME: the port in NAME's line.
https_port() {
	sed -n "s/^$1 .* https=127\.0\.0\.1:\([0-9]*\) .*/\1/p" \
	    "$TEST_DIR/sim.out"
}
# cert PORT: the PEM certificate presented there.
cert() {
	"$OPENSSL" s_client -connect "127.0.0.1:$1" </dev/null 2>/dev/null |
	    "$OPENSSL" x509 2>/dev/null
}

sim_start
p1=$(https_port web-01)
p2=$(https_port web-02)
[ -n "$p1" ] && [ -n "$p2" ] || fail "no https ports: $(cat "$TEST_DIR/sim.out")"
assert_contains "$(grep '^plain-01 ' "$TEST_DIR/sim.out")" " https=- " \
    "a model without https"

cert "$p1" >"$TEST_DIR/web-01.pem"
subject=$("$OPENSSL" x509 -in "$TEST_DIR/web-01.pem" -noout -subject \
    -nameopt compat)
assert_eq "$subject" "subject=/CN=web-01/O=quire-sim" "web-01's subject"
assert_contains "$("$OPENSSL" x509 -in "$TEST_DIR/web-01.pem" -noout \
    -ext subjectAltName 2>/dev/null)" "IP Address:127.0.0.1" "its SAN"
subject=$(cert "$p2" | "$OPENSSL" x509 -noout -subject -nameopt compat)
assert_eq "$subject" "subject=/CN=web-02/O=quire-sim" "web-02's subject"

page=$(printf 'GET / HTTP/1.1\r\nHost: web-01\r\n\r\n' |
    "$OPENSSL" s_client -quiet -connect "127.0.0.1:$p1" 2>/dev/null)
assert_contains "$page" "HTTP/1.1 200 OK" "the status line"
assert_contains "$page" "<h1>web-01</h1>" "the page names the printer"

# `cert import` and `cert use` through `quire-sim shell` (another process
# on the same state, as under sshd): the next handshake presents it.
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TEST_DIR/custom.key" -out "$TEST_DIR/custom.crt" -days 30 \
    -subj /CN=custom-web-01 2>/dev/null || fail "openssl req"
cat "$TEST_DIR/custom.crt" "$TEST_DIR/custom.key" >"$TEST_DIR/custom.pem"
shell() {
	"$QUIRE_SIM" shell --printer web-01 --fleet "$FLEET" --state "$STATE" \
	    --addressing auto "$@"
}
shell cert import custom <"$TEST_DIR/custom.pem" >/dev/null ||
    fail "cert import"
subject=$(cert "$p1" | "$OPENSSL" x509 -noout -subject -nameopt compat)
assert_eq "$subject" "subject=/CN=web-01/O=quire-sim" "before cert use"
shell cert use custom >/dev/null || fail "cert use"
subject=$(cert "$p1" | "$OPENSSL" x509 -noout -subject -nameopt compat)
assert_eq "$subject" "subject=/CN=custom-web-01" "after cert use custom"
shell cert use default >/dev/null || fail "cert use default"
subject=$(cert "$p1" | "$OPENSSL" x509 -noout -subject -nameopt compat)
assert_eq "$subject" "subject=/CN=web-01/O=quire-sim" "after cert use default"

fp1=$("$OPENSSL" x509 -in "$TEST_DIR/web-01.pem" -noout -fingerprint \
    -sha256)
sim_stop

# The certificate is the printer's, kept in its state across a restart.
sim_start
p1=$(https_port web-01)
fp2=$(cert "$p1" | "$OPENSSL" x509 -noout -fingerprint -sha256)
assert_eq "$fp2" "$fp1" "web-01's certificate after a restart"
sim_stop
