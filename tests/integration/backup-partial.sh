#!/bin/sh
# A printer that stops answering halfway through a backup keeps what was
# read, marked partial with the reason. The printer is quire-sim's, behind
# a UDP relay (perl, on loopback) that passes everything until told to
# pass only 3 more requests: the backup reads categories one GET at a time
# (no retry here), so the first 3 categories are complete, the 4th times
# out and the rest are not asked. Once the printer answers again, the next
# backup is complete and only the categories missing before count as
# changed.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/integration/backup-lib.sh"

command -v perl >/dev/null 2>&1 || { echo "no perl: skipped"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }

cat >"$TEST_DIR/fleet.yaml" <<EOF
quire-sim: fleet/1
models:
  - name: QX-M300
    descr: "Quire QX-M300 desktop printer"
    sys_object_id: 1.3.6.1.4.1.32473.2.3
    firmware: "3.0.1"
    shell: false
    https: false
printers:
  - name: desk-01
    model: QX-M300
    site: lab
    communities: { ro: public, rw: private }
EOF
backup_sim_start "$TEST_DIR/fleet.yaml"
sim_port=$(awk '$1 == "desk-01" { sub(".*:", "", $3); print $3 }' "$SIM_OUT")

# The relay: datagrams from quire go to the printer, answers come back;
# once MARKER exists only LIMIT more requests are passed.
MARKER="$TEST_DIR/stop-after"
cat >"$TEST_DIR/relay.pl" <<'EOF'
use strict;
use IO::Socket::INET;
use IO::Select;
my ($port, $marker, $limit) = @ARGV;
my $front = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
    Proto => 'udp') or die "bind: $!";
my $back = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
    Proto => 'udp') or die "connect: $!";
$| = 1;
print $front->sockport, "\n";
my ($client, $passed) = (undef, 0);
my $sel = IO::Select->new($front, $back);
while (1) {
	for my $fh ($sel->can_read) {
		my $buf;
		if ($fh == $front) {
			my $peer = $front->recv($buf, 65535);
			if (-e $marker) {
				next if $passed >= $limit;
				$passed++;
			}
			$client = $peer;
			$back->send($buf);
		} else {
			$back->recv($buf, 65535);
			$front->send($buf, 0, $client) if defined $client;
		}
	}
}
EOF
perl "$TEST_DIR/relay.pl" "$sim_port" "$MARKER" 3 >"$TEST_DIR/relay.out" \
    2>"$TEST_DIR/relay.err" </dev/null &
test_track $!
wait_for 10 test -s "$TEST_DIR/relay.out" ||
    { cat "$TEST_DIR/relay.err" >&2; fail "the relay did not start"; }
relay_port=$(head -n 1 "$TEST_DIR/relay.out")

q printer add desk-01 "127.0.0.1:$relay_port" --no-check >/dev/null
q check desk-01 >"$TEST_DIR/check.out" 2>&1 ||
    { cat "$TEST_DIR/check.out" >&2; fail "check through the relay"; }

: >"$MARKER"
set +e
q backup desk-01 --category all --timeout 300 --retries 0 \
    >"$TEST_DIR/b1.out" 2>&1
rc=$?
set -e
cat "$TEST_DIR/b1.out"
assert_eq "$rc" 1 "exit status of a partial backup"
assert_contains "$(cat "$TEST_DIR/b1.out")" \
    "partial: snmp, tls, security, power, printer: SNMP: no answer"
assert_contains "$(cat "$TEST_DIR/b1.out")" "(3 of 8 categories complete)"
sql() { sqlite3 "$QUIRE_DB" "$@"; }
assert_eq "$(sql "SELECT group_concat(category || ':' || (nsettings > 0) ||
    ':' || (partial IS NULL), ' ') FROM (SELECT * FROM backups ORDER BY id)")" \
    "device:1:1 network:1:1 protocols:1:1 snmp:0:0 tls:0:0 security:0:0 power:0:0 printer:0:0" \
    "what was kept"
assert_contains "$(q backup list desk-01 --category tls --format csv)" \
    "SNMP: no answer"

# The printer answers again: a complete backup; the 3 categories read
# before are unchanged (their states confirmed, no row added), the 5
# missing ones are new states and count as changed.
rm -f "$MARKER"
q backup desk-01 --category all --timeout 1000 --retries 1 \
    >"$TEST_DIR/b2.out" 2>&1 ||
    { cat "$TEST_DIR/b2.out" >&2; fail "backup once the printer answers"; }
assert_contains "$(cat "$TEST_DIR/b2.out")" \
    "8 snapshots: 5 stored (5 changed, 0 partial), 3 unchanged"
assert_eq "$(sql "SELECT group_concat(category || ':' || seen || ':' ||
    (partial IS NULL), ' ') FROM (SELECT * FROM backups ORDER BY id)")" \
    "device:2:1 network:2:1 protocols:2:1 snmp:1:0 tls:1:0 security:1:0 power:1:0 printer:1:0 snmp:1:1 tls:1:1 security:1:1 power:1:1 printer:1:1" \
    "the complete states confirmed, the partial ones followed by new ones"
