/*
 * quire-sim's printer state: seeded values, atomic sets (one bad value
 * changes nothing), locks by policy, persistence across a restart, two
 * processes' connections seeing each other's writes, a full disk, reboots,
 * the policy password, logins and certificates.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "catalog.h"
#include "sim-cert.h"
#include "sim-int.h"
#include "sim.h"
#include "testutil.h"
#include "xmalloc.h"

struct test_state {
	struct catalog	*catalog;
	char		*dir;
	char		*path;		/* the fleet file */
	char		*state;		/* the state directory */
};

static const char test_state_fleet[] =
	"quire-sim: fleet/1\n"
	"models:\n"
	"  - { name: M, descr: d, sys_object_id: 1.3.6.1.4.1.32473.2.1,\n"
	"      firmware: \"1\" }\n"
	"  - { name: Old, descr: d, sys_object_id: 1.3.6.1.4.1.32473.9.1,\n"
	"      firmware: \"1\", vendor_subtree: false, shell: false,\n"
	"      https: false }\n"
	"printers:\n"
	"  - name: p1\n"
	"    model: M\n"
	"    site: lab\n"
	"    communities: { ro: pub, rw: priv }\n"
	"    policy_password: secret1\n"
	"    logins:\n"
	"      - { kind: user, user: admin, password: pw1 }\n"
	"      - { kind: domain, domain: CORP, user: bob, password: pw2 }\n"
	"      - { kind: sysmgr, id: \"42\", pin: \"1234\" }\n"
	"  - name: locked\n"
	"    model: M\n"
	"    faults: { locked: [\"security.*\"], reboot_after_sets: 2,\n"
	"              reboot_ms: 300 }\n"
	"    logins:\n"
	"      - { kind: password, password: pw3 }\n"
	"  - { name: nologin, model: M, faults: { refuse_login: true },\n"
	"      logins: [{ kind: password, password: pw3 }] }\n"
	"  - { name: old, model: Old }\n";

static int
test_state_setup(void **state)
{
	struct test_state *t = xcalloc(1, sizeof *t);
	const char *data = getenv("QUIRE_DATADIR");
	char *dir, *cause = NULL;
	FILE *fp;

	if (data == NULL)
		fail_msg("QUIRE_DATADIR is not set (run through make check)");
	dir = xasprintf("%s/catalog", data);
	if (catalog_load_dir(dir, &t->catalog, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	t->dir = testutil_tmpdir();
	t->path = xasprintf("%s/fleet.yaml", t->dir);
	t->state = xasprintf("%s/state", t->dir);
	assert_non_null(fp = fopen(t->path, "w"));
	fputs(test_state_fleet, fp);
	assert_int_equal(fclose(fp), 0);
	*state = t;
	return 0;
}

static int
test_state_teardown(void **state)
{
	struct test_state *t = *state;

	testutil_rmrf(t->dir);
	catalog_free(&t->catalog);
	free(t->path);
	free(t->state);
	free(t->dir);
	free(t);
	return 0;
}

/* The fleet with its state: started (BOOT) or attached beside one. */
static struct sim_fleet *
test_state_open(struct test_state *t, bool boot)
{
	struct sim_options o = { .addressing = SIM_ADDR_AUTO_PORTS,
	    .addressing_set = true };
	struct sim_fleet *fleet = NULL;
	char *cause = NULL;

	if (sim_fleet_load(t->path, t->catalog, &o, &fleet, &cause) != 0)
		fail_msg("%s", cause);
	if ((boot ? sim_fleet_open_state(fleet, t->state, &cause) :
	    sim_fleet_attach_state(fleet, t->state, &cause)) != 0)
		fail_msg("%s", cause);
	return fleet;
}

static const struct catalog_setting *
test_state_setting(struct test_state *t, const char *key)
{
	const struct catalog_setting *s = catalog_setting_find(t->catalog,
	    key);

	assert_non_null(s);
	return s;
}

static void
test_state_expect(struct test_state *t, struct sim_fleet *fleet,
    const char *printer, const char *key, const char *want)
{
	char *v = NULL;

	assert_int_equal(sim_value_get(sim_fleet_find(fleet, printer),
	    test_state_setting(t, key), &v), 0);
	assert_string_equal(v, want);
	free(v);
}

static enum sim_set_status
test_state_set(struct test_state *t, struct sim_fleet *fleet,
    const char *printer, const char *key, const char *value)
{
	struct sim_change c = { test_state_setting(t, key), value };
	enum sim_set_status st;
	char *cause = NULL;
	size_t bad = 99;

	st = sim_values_set(sim_fleet_find(fleet, printer), &c, 1, &bad,
	    &cause);
	assert_int_equal(bad, 0);
	assert_true((st == SIM_SET_OK) == (cause == NULL));
	free(cause);
	return st;
}

static void
test_state_seeded(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct stat sb;
	char *v = NULL, *db = xasprintf("%s/state.db", t->state);

	test_state_expect(t, fleet, "p1", "device.name", "p1");
	test_state_expect(t, fleet, "p1", "device.location", "lab");
	test_state_expect(t, fleet, "p1", "network.ipv4.address",
	    "127.0.0.1");
	test_state_expect(t, fleet, "p1", "snmp.community.read", "pub");
	test_state_expect(t, fleet, "p1", "power.sleep.timer_min", "15");
	assert_int_equal(sim_printer_engine_boots(sim_fleet_find(fleet, "p1")),
	    1);
	/* No vendor subtree: its settings are not there. */
	assert_int_equal(sim_value_get(sim_fleet_find(fleet, "old"),
	    test_state_setting(t, "power.sleep.timer_min"), &v), -1);
	assert_int_equal(test_state_set(t, fleet, "old",
	    "power.sleep.timer_min", "5"), SIM_SET_UNSUPPORTED);
	assert_int_equal(stat(t->state, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(db);
	sim_fleet_free(&fleet);
}

/* A batch with one bad value changes nothing; a good one all. */
static void
test_state_atomic(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "p1");
	struct sim_change c[3] = {
		{ test_state_setting(t, "device.contact"), "ops" },
		{ test_state_setting(t, "power.sleep.timer_min"), "30" },
		{ test_state_setting(t, "network.mtu"), "99999999" },
	};
	uint32_t before = sim_printer_config_changes(p);
	char *cause = NULL;
	size_t bad = 0;

	assert_int_equal(sim_values_set(p, c, 3, &bad, &cause),
	    SIM_SET_WRONG_VALUE);
	assert_int_equal(bad, 2);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	test_state_expect(t, fleet, "p1", "device.contact", "");
	test_state_expect(t, fleet, "p1", "power.sleep.timer_min", "15");
	assert_int_equal(sim_printer_config_changes(p), before);

	c[2].value = "1400";
	assert_int_equal(sim_values_set(p, c, 3, &bad, &cause), SIM_SET_OK);
	assert_null(cause);
	test_state_expect(t, fleet, "p1", "device.contact", "ops");
	test_state_expect(t, fleet, "p1", "network.mtu", "1400");
	assert_int_equal(sim_printer_config_changes(p), before + 3);
	/* Setting the same value again is no change. */
	assert_int_equal(sim_values_set(p, c, 1, &bad, &cause), SIM_SET_OK);
	assert_int_equal(sim_printer_config_changes(p), before + 3);
	sim_fleet_free(&fleet);
}

static void
test_state_locked(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);

	assert_int_equal(test_state_set(t, fleet, "locked",
	    "security.lockout.enable", "false"), SIM_SET_LOCKED);
	test_state_expect(t, fleet, "locked", "security.lockout.enable",
	    "true");
	assert_int_equal(test_state_set(t, fleet, "locked", "device.contact",
	    "x"), SIM_SET_OK);
	assert_int_equal(test_state_set(t, fleet, "p1",
	    "security.lockout.enable", "false"), SIM_SET_OK);
	sim_fleet_free(&fleet);
}

/* Values and counters survive a restart, which counts a boot. */
static void
test_state_persists(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	uint32_t changes, boots;

	assert_int_equal(test_state_set(t, fleet, "p1", "device.location",
	    "Floor 3"), SIM_SET_OK);
	changes = sim_printer_config_changes(sim_fleet_find(fleet, "p1"));
	boots = sim_printer_engine_boots(sim_fleet_find(fleet, "p1"));
	sim_fleet_free(&fleet);

	fleet = test_state_open(t, true);
	test_state_expect(t, fleet, "p1", "device.location", "Floor 3");
	assert_int_equal(sim_printer_config_changes(sim_fleet_find(fleet,
	    "p1")), changes);
	assert_int_equal(sim_printer_engine_boots(sim_fleet_find(fleet, "p1")),
	    boots + 1);
	sim_fleet_free(&fleet);
}

/* The simulator and a `quire-sim shell` on the same state. */
static void
test_state_two_connections(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *a = test_state_open(t, true);
	struct sim_fleet *b = test_state_open(t, false);
	uint32_t boots = sim_printer_engine_boots(sim_fleet_find(a, "p1"));
	int i;

	assert_int_equal(sim_printer_engine_boots(sim_fleet_find(b, "p1")),
	    boots);
	assert_int_equal(test_state_set(t, b, "p1", "device.contact",
	    "from-b"), SIM_SET_OK);
	test_state_expect(t, a, "p1", "device.contact", "from-b");
	assert_int_equal(test_state_set(t, a, "p1", "device.contact",
	    "from-a"), SIM_SET_OK);
	test_state_expect(t, b, "p1", "device.contact", "from-a");
	assert_int_equal(sim_printer_config_changes(sim_fleet_find(a, "p1")),
	    sim_printer_config_changes(sim_fleet_find(b, "p1")));
	/* A reboot through one is seen by the other (reboot_ms 300). */
	sim_printer_reboot(sim_fleet_find(b, "locked"));
	assert_true(sim_printer_is_down(sim_fleet_find(a, "locked")));
	assert_int_equal(sim_printer_engine_boots(sim_fleet_find(a,
	    "locked")), boots + 1);
	for (i = 0; i < 100 && sim_printer_is_down(sim_fleet_find(a,
	    "locked")); i++)
		testutil_sleep_ms(50);
	assert_false(sim_printer_is_down(sim_fleet_find(a, "locked")));
	sim_fleet_free(&b);
	sim_fleet_free(&a);
}

/* `quire-sim shell` takes the addresses of the simulator it joins. */
static void
test_state_attach_hosts(void **state)
{
	struct test_state *t = *state;
	struct sim_options o = { .addressing = SIM_ADDR_LOOPBACK,
	    .addressing_set = true, .base = "127.0.9.1" };
	struct sim_fleet *a = NULL, *b;
	char *cause = NULL;

	if (sim_fleet_load(t->path, t->catalog, &o, &a, &cause) != 0 ||
	    sim_fleet_open_state(a, t->state, &cause) != 0)
		fail_msg("%s", cause);
	b = test_state_open(t, false);
	assert_string_equal(sim_printer_host(sim_fleet_find(b, "p1")),
	    "127.0.9.1");
	test_state_expect(t, b, "p1", "network.ipv4.address", "127.0.9.1");
	sim_fleet_free(&b);
	sim_fleet_free(&a);
}

/* A full disk: SIM_SET_FAILED with the cause, nothing changed. */
static void
test_state_disk_full(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "p1");
	const struct catalog_setting *s[4];
	struct sim_change c[4];
	uint32_t before = sim_printer_config_changes(p);
	char big[256], *cause = NULL;
	sqlite3 *db;
	size_t i, bad;

	s[0] = test_state_setting(t, "device.name");
	s[1] = test_state_setting(t, "device.location");
	s[2] = test_state_setting(t, "device.contact");
	s[3] = test_state_setting(t, "device.asset_number");
	memset(big, 'x', 255);
	big[255] = '\0';
	for (i = 0; i < 4; i++) {
		c[i].setting = s[i];
		c[i].value = i < 3 ? big : "A-1";
	}
	/* The fourth write fails as a full disk would, after three went. */
	db = sim_state_lock(fleet);
	assert_int_equal(sqlite3_exec(db, "CREATE TEMP TRIGGER full BEFORE "
	    "INSERT ON main.value WHEN NEW.key = 'device.asset_number' BEGIN "
	    "SELECT RAISE(ABORT, 'database or disk is full'); END", NULL,
	    NULL, NULL), SQLITE_OK);
	sim_state_unlock(fleet);
	assert_int_equal(sim_values_set(p, c, 4, &bad, &cause),
	    SIM_SET_FAILED);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "disk is full"));
	free(cause);
	cause = NULL;
	test_state_expect(t, fleet, "p1", "device.name", "p1");
	test_state_expect(t, fleet, "p1", "device.asset_number", "");
	assert_int_equal(sim_printer_config_changes(p), before);
	sim_fleet_free(&fleet);
	/* Nor on disk. */
	fleet = test_state_open(t, false);
	test_state_expect(t, fleet, "p1", "device.name", "p1");
	assert_int_equal(test_state_set(t, fleet, "p1", "device.asset_number",
	    "A-1"), SIM_SET_OK);
	sim_fleet_free(&fleet);
}

static void
test_state_reboot(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "locked");
	uint32_t boots = sim_printer_engine_boots(p);
	int i;

	assert_false(sim_printer_is_down(p));
	sim_printer_count_set(p);
	assert_false(sim_printer_is_down(p));
	sim_printer_count_set(p);	/* the second: reboot_after_sets 2 */
	assert_true(sim_printer_is_down(p));
	assert_int_equal(sim_printer_engine_boots(p), boots + 1);
	assert_int_equal(sim_printer_uptime(p), 0);
	assert_int_equal(test_state_set(t, fleet, "locked", "device.contact",
	    "y"), SIM_SET_DOWN);
	assert_false(sim_login_password(p, "any", "pw3"));
	/* A hang guard: reboot_ms is 300. */
	for (i = 0; i < 100 && sim_printer_is_down(p); i++)
		testutil_sleep_ms(50);
	assert_false(sim_printer_is_down(p));
	assert_true(sim_login_password(p, "any", "pw3"));
	assert_int_equal(test_state_set(t, fleet, "locked", "device.contact",
	    "y"), SIM_SET_OK);
	sim_fleet_free(&fleet);
}

static void
test_state_policy(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "p1");
	uint32_t applied = sim_policy_applied(p);
	char *cause = NULL;

	assert_true(sim_policy_check(p, "secret1"));
	assert_false(sim_policy_check(p, "secret2"));
	assert_int_equal(sim_policy_passwd(p, "wrong", "secret2", &cause), -1);
	xfree(&cause);
	assert_int_equal(sim_policy_passwd(p, "secret1", "bad one", &cause),
	    -1);
	xfree(&cause);
	assert_int_equal(sim_policy_passwd(p, "secret1", "secret2", &cause),
	    0);
	sim_policy_count_apply(p);
	sim_fleet_free(&fleet);

	fleet = test_state_open(t, true);
	p = sim_fleet_find(fleet, "p1");
	assert_false(sim_policy_check(p, "secret1"));
	assert_true(sim_policy_check(p, "secret2"));
	assert_int_equal(sim_policy_applied(p), applied + 1);
	assert_int_equal(sim_policy_passwd(p, "secret2", "secret1", &cause),
	    0);
	sim_fleet_free(&fleet);
}

static void
test_state_logins(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "p1");

	assert_true(sim_login_password(p, "admin", "pw1"));
	assert_false(sim_login_password(p, "admin", "pw2"));
	assert_false(sim_login_password(p, "bob", "pw2"));
	assert_true(sim_login_password(p, "CORP\\bob", "pw2"));
	assert_true(sim_login_password(p, "corp\\bob", "pw2"));
	assert_false(sim_login_password(p, "CORP\\admin", "pw1"));
	assert_true(sim_login_sysmgr(p, "42", "1234"));
	assert_false(sim_login_sysmgr(p, "42", "4321"));
	assert_false(sim_login_sysmgr(p, "admin", "pw1"));
	p = sim_fleet_find(fleet, "locked");
	assert_true(sim_login_password(p, "whoever", "pw3"));
	assert_false(sim_login_password(p, "whoever", "pw1"));
	assert_false(sim_login_password(sim_fleet_find(fleet, "nologin"),
	    "whoever", "pw3"));
	sim_fleet_free(&fleet);
}

static char *
test_state_cn(const char *pem)
{
	char *cause = NULL, buf[256];
	X509 *x = sim_cert_read_cert(pem, NULL, &cause);

	assert_non_null(x);
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, buf, sizeof buf) > 0);
	X509_free(x);
	return xstrdup(buf);
}

static void
test_state_certs(void **state)
{
	struct test_state *t = *state;
	struct sim_fleet *fleet = test_state_open(t, true);
	struct sim_printer *p = sim_fleet_find(fleet, "p1");
	char *cert = NULL, *key = NULL, *c2 = NULL, *k2 = NULL, *csr = NULL;
	char *cause = NULL, *cn;
	struct sim_cert *v;
	size_t n;

	assert_int_equal(sim_cert_current(p, &cert, &key, &cause), 0);
	cn = test_state_cn(cert);
	assert_string_equal(cn, "p1");
	free(cn);
	assert_int_equal(sim_cert_list(p, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "default");
	assert_true(v[0].in_use);
	sim_cert_list_free(&v, n);

	/* Import another; a certificate must match its key. */
	assert_int_equal(sim_cert_self_signed("other", "127.0.0.1", &c2, &k2,
	    &cause), 0);
	assert_int_equal(sim_cert_put(p, "bad", c2, key, &cause), -1);
	assert_non_null(strstr(cause, "does not match"));
	xfree(&cause);
	assert_int_equal(sim_cert_put(p, "other", c2, k2, &cause), 0);
	assert_int_equal(sim_cert_use(p, "nosuch", &cause), -1);
	xfree(&cause);
	assert_int_equal(sim_cert_use(p, "other", &cause), 0);
	test_state_expect(t, fleet, "p1", "tls.certificate", "other");
	free(cert);
	free(key);
	assert_int_equal(sim_cert_current(p, &cert, &key, &cause), 0);
	cn = test_state_cn(cert);
	assert_string_equal(cn, "other");
	free(cn);
	assert_int_equal(sim_cert_delete(p, "other", &cause), -1);
	xfree(&cause);

	/* A CSR keeps its key on the printer until the certificate comes. */
	assert_int_equal(sim_cert_csr(p, "signed", "/CN=p1.example/O=Lab",
	    &csr, &cause), 0);
	assert_non_null(strstr(csr, "BEGIN CERTIFICATE REQUEST"));
	assert_int_equal(sim_cert_put(p, "signed", c2, NULL, &cause), -1);
	xfree(&cause);
	assert_int_equal(sim_cert_csr(p, "x", "CN=bad", &csr, &cause), -1);
	xfree(&cause);

	assert_int_equal(sim_cert_use(p, "default", &cause), 0);
	assert_int_equal(sim_cert_delete(p, "other", &cause), 0);
	assert_int_equal(sim_cert_list(p, &v, &n), 0);
	assert_int_equal(n, 1);
	sim_cert_list_free(&v, n);
	free(cert);
	free(key);
	free(c2);
	free(k2);
	free(csr);
	sim_fleet_free(&fleet);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_seeded),
		cmocka_unit_test(test_state_atomic),
		cmocka_unit_test(test_state_locked),
		cmocka_unit_test(test_state_persists),
		cmocka_unit_test(test_state_two_connections),
		cmocka_unit_test(test_state_attach_hosts),
		cmocka_unit_test(test_state_disk_full),
		cmocka_unit_test(test_state_reboot),
		cmocka_unit_test(test_state_policy),
		cmocka_unit_test(test_state_logins),
		cmocka_unit_test(test_state_certs),
	};

	return cmocka_run_group_tests(tests, test_state_setup,
	    test_state_teardown);
}
