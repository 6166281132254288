/*
 * quire-sim's fleet file: a good file expands its patterns, lays out the
 * addresses and describes each printer; each broken file is refused with
 * the exact FILE:LINE:COLUMN of what is wrong.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "catalog.h"
#include "sim.h"
#include "testutil.h"
#include "xmalloc.h"

struct test_fleet {
	struct catalog	*catalog;
	char		*dir;
	char		*path;		/* DIR/fleet.yaml */
};

static const char test_fleet_good[] =
	"quire-sim: fleet/1\n"
	"addressing: { mode: ports, snmp_base: 21000, ssh_base: 22000,\n"
	"              https_base: 23000 }\n"
	"models:\n"
	"  - name: M1\n"
	"    descr: \"Model one\"\n"
	"    sys_object_id: 1.3.6.1.4.1.32473.2.1\n"
	"    firmware: \"1.0\"\n"
	"    faults: { latency_ms: 20, locked: [\"security.*\"] }\n"
	"  - name: M2\n"
	"    descr: \"Model two\"\n"
	"    sys_object_id: 1.3.6.1.4.1.32473.2.2\n"
	"    firmware: \"2.0\"\n"
	"    vendor_subtree: false\n"
	"    shell: false\n"
	"    https: false\n"
	"printers:\n"
	"  - name: lab-%03d\n"
	"    count: 3\n"
	"    start: 9\n"
	"    model: M1\n"
	"    site: lab\n"
	"    communities: { ro: pub, rw: priv }\n"
	"    v3: { user: u1, auth: SHA-256, auth_pass: authpass1,\n"
	"          priv: AES, priv_pass: privpass1 }\n"
	"    logins:\n"
	"      - { kind: user, user: admin, password: pw1 }\n"
	"      - { kind: domain, domain: CORP, user: bob, password: pw2 }\n"
	"      - { kind: sysmgr, id: \"42\", pin: \"1234\" }\n"
	"    faults: { loss_pct: 10, locked: [device.name] }\n"
	"  - name: old\n"
	"    model: M2\n"
	"    serial: SN-1\n"
	"    communities: { v1: false }\n"
	"    logins:\n"
	"      - { kind: password, password: pw3 }\n";

static int
test_fleet_setup(void **state)
{
	struct test_fleet *t = xcalloc(1, sizeof *t);
	const char *data = getenv("QUIRE_DATADIR");
	char *dir, *cause = NULL;

	if (data == NULL)
		fail_msg("QUIRE_DATADIR is not set (run through make check)");
	dir = xasprintf("%s/catalog", data);
	if (catalog_load_dir(dir, &t->catalog, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	t->dir = testutil_tmpdir();
	t->path = xasprintf("%s/fleet.yaml", t->dir);
	*state = t;
	return 0;
}

static int
test_fleet_teardown(void **state)
{
	struct test_fleet *t = *state;

	testutil_rmrf(t->dir);
	catalog_free(&t->catalog);
	free(t->path);
	free(t->dir);
	free(t);
	return 0;
}

static void
test_fleet_write(struct test_fleet *t, const char *text)
{
	FILE *fp = fopen(t->path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static struct sim_fleet *
test_fleet_load(struct test_fleet *t, const char *text,
    const struct sim_options *o)
{
	struct sim_fleet *fleet = NULL;
	char *cause = NULL;

	test_fleet_write(t, text);
	if (sim_fleet_load(t->path, t->catalog, o, &fleet, &cause) != 0)
		fail_msg("%s", cause);
	return fleet;
}

static void
test_fleet_good_file(void **state)
{
	struct test_fleet *t = *state;
	struct sim_fleet *fleet = test_fleet_load(t, test_fleet_good, NULL);
	struct sim_printer *p;
	const struct sim_login *l;
	size_t n;

	assert_int_equal(sim_fleet_count(fleet), 4);
	p = sim_fleet_find(fleet, "lab-010");
	assert_non_null(p);
	assert_ptr_equal(sim_fleet_printer(fleet, 1), p);
	assert_string_equal(sim_printer_model(p)->name, "M1");
	assert_string_equal(sim_printer_site(p), "lab");
	assert_string_equal(sim_printer_community_rw(p), "priv");
	assert_int_equal(sim_printer_usm(p)->auth, SIM_AUTH_SHA256);
	assert_int_equal(sim_printer_usm(p)->priv, SIM_PRIV_AES);
	/* The printer's faults override the model's, knob by knob. */
	assert_int_equal(sim_printer_faults(p)->latency_ms, 20);
	assert_int_equal(sim_printer_faults(p)->loss_pct, 10);
	assert_int_equal(sim_printer_faults(p)->nlocked, 1);
	assert_string_equal(sim_printer_faults(p)->locked[0], "device.name");
	l = sim_printer_logins(p, &n);
	assert_int_equal(n, 3);
	assert_int_equal(l[2].kind, SIM_LOGIN_SYSMGR);
	/* Ports mode: printer i at base + i. */
	assert_string_equal(sim_printer_host(p), "127.0.0.1");
	assert_int_equal(sim_printer_snmp_port(p), 21001);
	assert_int_equal(sim_printer_ssh_port(p), 22001);
	assert_int_equal(sim_printer_https_port(p), 23001);
	p = sim_fleet_find(fleet, "old");
	assert_string_equal(sim_printer_serial(p), "SN-1");
	assert_string_equal(sim_printer_site(p), "default");
	assert_false(sim_printer_v1(p));
	assert_int_equal(sim_printer_ssh_port(p), 0);
	assert_int_equal(sim_printer_faults(p)->nlocked, 0);
	assert_null(sim_fleet_find(fleet, "lab-012"));
	sim_fleet_free(&fleet);
	assert_null(fleet);
}

static void
test_fleet_describe(void **state)
{
	struct test_fleet *t = *state;
	struct sim_fleet *fleet = test_fleet_load(t, test_fleet_good, NULL);
	char *line;

	line = sim_printer_describe(sim_fleet_find(fleet, "lab-009"));
	assert_string_equal(line, "lab-009 model=M1 snmp=127.0.0.1:21000 "
	    "ssh=127.0.0.1:22000 https=127.0.0.1:23000 site=lab "
	    "serial=QS26847D303E community=pub write_community=priv "
	    "v3_user=u1 v3_auth=SHA-256 v3_auth_pass=authpass1 v3_priv=AES "
	    "v3_priv_pass=privpass1 user=admin:pw1 domain=CORP\\bob:pw2 "
	    "sysmgr=42:1234 policy_password=policy "
	    "faults=latency_ms:20,loss_pct:10,locked:1");
	free(line);
	line = sim_printer_describe(sim_fleet_find(fleet, "old"));
	assert_string_equal(line, "old model=M2 snmp=127.0.0.1:21003 ssh=- "
	    "https=- site=default serial=SN-1 password=pw3 "
	    "policy_password=policy");
	free(line);
	sim_fleet_free(&fleet);
}

/* Options win over the file; loopback skips .255 and .0. */
static void
test_fleet_addressing(void **state)
{
	struct test_fleet *t = *state;
	struct sim_options o = { .addressing = SIM_ADDR_LOOPBACK,
	    .addressing_set = true, .base = "127.0.0.254", .snmp_port = 1161 };
	struct sim_fleet *fleet = test_fleet_load(t, test_fleet_good, &o);
	char *line;

	assert_string_equal(sim_printer_host(sim_fleet_printer(fleet, 0)),
	    "127.0.0.254");
	assert_string_equal(sim_printer_host(sim_fleet_printer(fleet, 1)),
	    "127.0.1.1");
	assert_int_equal(sim_printer_snmp_port(sim_fleet_printer(fleet, 1)),
	    1161);
	assert_int_equal(sim_printer_ssh_port(sim_fleet_printer(fleet, 1)),
	    2022);
	sim_fleet_free(&fleet);

	o.addressing = SIM_ADDR_AUTO_PORTS;
	fleet = test_fleet_load(t, test_fleet_good, &o);
	assert_int_equal(sim_printer_snmp_port(sim_fleet_printer(fleet, 0)),
	    0);
	line = sim_printer_describe(sim_fleet_printer(fleet, 3));
	assert_non_null(strstr(line, " snmp=127.0.0.1:auto ssh=- https=- "));
	free(line);
	sim_printer_set_port(sim_fleet_printer(fleet, 0), SIM_SNMP, 4242);
	assert_int_equal(sim_printer_snmp_port(sim_fleet_printer(fleet, 0)),
	    4242);
	sim_fleet_free(&fleet);
}

/* TEXT is refused with exactly "PATH" + WANT. */
static void
test_fleet_refused(struct test_fleet *t, const char *text,
    const struct sim_options *o, const char *want)
{
	struct sim_fleet *fleet = NULL;
	char *cause = NULL, *full = xasprintf("%s%s", t->path, want);

	test_fleet_write(t, text);
	assert_int_equal(sim_fleet_load(t->path, t->catalog, o, &fleet,
	    &cause), -1);
	assert_null(fleet);
	assert_non_null(cause);
	assert_string_equal(cause, full);
	free(cause);
	free(full);
}

#define TEST_FLEET_MODEL \
	"models:\n" \
	"  - { name: M, descr: d, sys_object_id: 1.3.6.1.4.1.32473.2.1, " \
	"firmware: \"1\" }\n"

static void
test_fleet_bad_files(void **state)
{
	struct test_fleet *t = *state;
	struct sim_options o = { .addressing = SIM_ADDR_LOOPBACK,
	    .addressing_set = true, .base = "10.0.0.1" };

	test_fleet_refused(t, "models: []\n", NULL,
	    ":1:1: not a fleet file (no \"quire-sim: fleet/1\")");
	test_fleet_refused(t, "quire-sim: fleet/2\n", NULL,
	    ":1:12: quire-sim: expected fleet/1");
	test_fleet_refused(t, "quire-sim: fleet/1\nprinters: [\n", NULL,
	    ":3:1: did not find expected node content");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - { name: a, model: M, colour: red }\n", NULL,
	    ":5:26: printer: unknown field colour");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - { name: a, model: Q }\n", NULL,
	    ":5:23: model: no such model in models");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - name: a\n    model: M\n"
	    "    communities: { ro: \"pub lic\" }\n", NULL,
	    ":7:24: ro: must not contain spaces");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - { name: lab, count: 2, model: M }\n", NULL,
	    ":5:13: name: with count, expected a pattern with one %d or "
	    "%0Nd, e.g. bench-%05d");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - { name: a-%d, count: 2, model: M }\n"
	    "  - { name: a-2, model: M }\n", NULL,
	    ":6:13: name: printer a-2 is defined twice");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - name: a\n    model: M\n    logins:\n"
	    "      - { kind: user, user: bob }\n", NULL,
	    ":8:9: login: a user login needs password");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - name: a\n    model: M\n"
	    "    faults: { locked: [nosuch.*] }\n", NULL,
	    ":7:24: locked: nosuch.* matches no setting");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - name: a\n    model: M\n"
	    "    v3: { user: u, auth: SHA, auth_pass: short }\n", NULL,
	    ":7:42: auth_pass: at least 8 characters");
	test_fleet_refused(t, "quire-sim: fleet/1\n" TEST_FLEET_MODEL
	    "printers:\n  - { name: a, model: M }\n", &o,
	    ": base address 10.0.0.1 is not in 127.0.0.0/8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fleet_good_file),
		cmocka_unit_test(test_fleet_describe),
		cmocka_unit_test(test_fleet_addressing),
		cmocka_unit_test(test_fleet_bad_files),
	};

	return cmocka_run_group_tests(tests, test_fleet_setup,
	    test_fleet_teardown);
}
