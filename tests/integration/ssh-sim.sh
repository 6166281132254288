#!/bin/sh
# The SSH transport (through tests/unit/test-ssh run) logs into quire-sim's
# printers with each login kind of DESIGN.md section 1 and runs their
# management shell; wrong secrets, a printer that refuses every login and
# a login kind the printer does not offer fail with precise causes that
# hold no secret; the host key is learnt once and matches OpenSSH's view.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/sim/ssh-lib.sh"

TEST_SSH="$top_builddir/tests/unit/test-ssh"
FLEET="$TEST_DIR/fleet.yaml"
OUT="$TEST_DIR/sim.out"
cat >"$FLEET" <<'EOF'
quire-sim: fleet/1
models:
  - name: QX-C7500
    descr: "Quire QX-C7500 colour multifunction printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.2
    firmware: "7.5.12"
printers:
  - name: lab-user
    model: QX-C7500
    logins:
      - { kind: user, user: admin, password: user-pw-1 }
  - name: lab-domain
    model: QX-C7500
    logins:
      - { kind: domain, domain: CORP, user: alice, password: dom-pw-2 }
  - name: lab-sysmgr
    model: QX-C7500
    logins:
      - { kind: sysmgr, id: "4711", pin: "0815" }
  - name: lab-password
    model: QX-C7500
    logins:
      - { kind: password, password: dev-pw-3 }
  - name: lab-refuse
    model: QX-C7500
    logins:
      - { kind: user, user: admin, password: user-pw-1 }
    faults: { refuse_login: true }
EOF
sim_start "$FLEET" "$TEST_DIR/state" "$OUT"

# login PRINTER SECRET KIND [OPTIONS...] COMMAND: stdin is the payload;
# output and the summary line go to stdout, the status to $rc.
login() {
	printer=$1 secret=$2 kind=$3
	shift 3
	printf '%s\n' "$secret" >"$TEST_DIR/secret"
	chmod 600 "$TEST_DIR/secret"
	set +e
	out=$(TEST_SSH_LOG=1 "$TEST_SSH" run -d "$QUIRE_DB" -h 127.0.0.1 \
	    -p "$(sim_ssh_port "$OUT" "$printer")" -k "$kind" \
	    -s "$TEST_DIR/secret" -t 20000 "$@" 2>&1)
	rc=$?
	set -e
	rm -f "$TEST_DIR/secret"
	# Secrets never reach the log or a cause (the printer's own output
	# is not checked: a random serial may hold the digits of a PIN).
	said=$(printf '%s\n' "$out" | grep -E '^[0-9]{4}-[0-9]{2}-|^ssh: ' ||
	    true)
	[ -n "$said" ] || fail "no log or summary from test-ssh"
	assert_not_contains "$said" "$secret" "$printer log and cause (secret)"
}

# Each login kind exports the printer's settings.
login lab-user user-pw-1 user -u admin "settings export" </dev/null
assert_eq "$rc" 0 "user login"
assert_contains "$out" "name: lab-user"
assert_contains "$out" "ssh: exit=0 learnt=1 fp=SHA256:" "user login"
assert_contains "$out" ": user login by password" "the log says how"
login lab-domain dom-pw-2 domain -D CORP -u alice "settings export" </dev/null
assert_eq "$rc" 0 "domain login"
assert_contains "$out" "name: lab-domain"
login lab-sysmgr 0815 sysmgr -i 4711 "settings export" </dev/null
assert_eq "$rc" 0 "System Manager ID login"
assert_contains "$out" "name: lab-sysmgr"
assert_contains "$out" ": sysmgr login by keyboard-interactive"
login lab-password dev-pw-3 password "settings export" </dev/null
assert_eq "$rc" 0 "password login"
assert_contains "$out" "name: lab-password"

# The host key was learnt once, and it is the one OpenSSH sees.
login lab-user user-pw-1 user -u admin "settings get device.name" </dev/null
assert_contains "$out" "ssh: exit=0 learnt=0" "host key known"
fp=$(ssh-keyscan -t ed25519 -p "$(sim_ssh_port "$OUT" lab-user)" \
    127.0.0.1 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')
[ -n "$fp" ] || fail "no fingerprint from ssh-keyscan"
assert_contains "$out" "fp=$fp" "fingerprint as OpenSSH prints it"

# A payload on stdin: settings import answers per setting.
cat >"$TEST_DIR/data.yaml" <<'EOF'
quire: setting-data/1
name: lab-standard
model: any
settings:
  device.location: "Floor 3, east"
  network.mtu: 99999
EOF
login lab-password dev-pw-3 password "settings import" <"$TEST_DIR/data.yaml"
assert_eq "$rc" 1 "import with a rejected setting"
assert_contains "$out" "  - key: device.location
    result: applied" "import results"
assert_contains "$out" "  - key: network.mtu
    result: rejected"
login lab-password dev-pw-3 password "settings get device.location" \
    </dev/null
assert_contains "$out" 'device.location: "Floor 3, east"' "imported value"

# Wrong secrets and refusals, with precise causes.
login lab-user wrong-pw-9 user -u admin help </dev/null
assert_eq "$rc" 255 "status with a wrong password"
assert_contains "$out" "ssh: failed (5): authentication failed (user)"
login lab-domain dom-pw-2 domain -D OTHER -u alice help </dev/null
assert_contains "$out" "authentication failed (domain)" "wrong domain"
login lab-sysmgr 9999 sysmgr -i 4711 help </dev/null
assert_contains "$out" "authentication failed (sysmgr)" "wrong PIN"
login lab-password wrong-pw-8 password help </dev/null
assert_contains "$out" "authentication failed (password)" "wrong device password"
login lab-refuse user-pw-1 user -u admin help </dev/null
assert_contains "$out" "authentication failed (user)" "refuse_login"
login lab-user 0815 sysmgr -i 4711 help </dev/null
assert_contains "$out" "the printer offers no method for System Manager ID login (it offers: password)"
login lab-sysmgr user-pw-1 user -u admin help </dev/null
assert_contains "$out" "authentication failed (user): the printer asked an unexpected question: 'System Manager ID: '"
