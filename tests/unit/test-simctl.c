/*
 * simctl: the printer lines of quire-sim parse into their fields, and a real
 * quire-sim ($QUIRE_SIM) starts on the demo fleet, is ready with all its
 * printers, and stops by its PID; one that cannot start says why.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "simctl.h"
#include "testutil.h"
#include "xmalloc.h"

static void
test_simctl_parse(void **state)
{
	struct simctl_printer p;
	char *cause = NULL;

	assert_int_equal(simctl_parse_line("lab-01 model=M1 "
	    "snmp=127.0.1.2:161 ssh=127.0.1.2:2022 https=- site=lab "
	    "serial=S1 community=public write_community=private v3_user=u "
	    "v3_auth=SHA-256 v3_auth_pass=ap123456 v3_priv=AES "
	    "v3_priv_pass=pp123456 user=admin:pw domain=CORP\\bob:pw2 "
	    "sysmgr=42:1234 password=pw3 policy_password=pol "
	    "faults=latency_ms:20,timeout future=x\n", &p, &cause), 0);
	assert_string_equal(p.name, "lab-01");
	assert_string_equal(p.model, "M1");
	assert_string_equal(p.snmp_host, "127.0.1.2");
	assert_int_equal(p.snmp_port, 161);
	assert_int_equal(p.ssh_port, 2022);
	assert_null(p.https_host);
	assert_int_equal(p.https_port, 0);
	assert_string_equal(p.site, "lab");
	assert_string_equal(p.write_community, "private");
	assert_string_equal(p.v3_auth, "SHA-256");
	assert_string_equal(p.v3_priv_pass, "pp123456");
	assert_int_equal(p.nlogins, 4);
	assert_string_equal(p.logins[1], "domain=CORP\\bob:pw2");
	assert_string_equal(p.logins[3], "password=pw3");
	assert_string_equal(p.policy_password, "pol");
	assert_string_equal(p.faults, "latency_ms:20,timeout");
	simctl_printer_clear(&p);

	assert_int_equal(simctl_parse_line("x model=M snmp=127.0.0.1:auto",
	    &p, &cause), 0);
	assert_int_equal(p.snmp_port, 0);
	simctl_printer_clear(&p);

	assert_int_equal(simctl_parse_line("x model=M snmp=nope", &p,
	    &cause), -1);
	xfree(&cause);
	assert_int_equal(simctl_parse_line("x model=M", &p, &cause), -1);
	xfree(&cause);
	assert_int_equal(simctl_parse_line("model=M snmp=a:1", &p, &cause),
	    -1);
	xfree(&cause);
}

static void
test_simctl_demo(void **state)
{
	const char *data = getenv("QUIRE_DATADIR");
	struct simctl_options o = { 0 };
	const struct simctl_printer *p;
	struct simctl *sim = NULL;
	char *dir, *fleet, *cause = NULL;
	pid_t pid;

	if (data == NULL || getenv("QUIRE_SIM") == NULL)
		fail_msg("QUIRE_DATADIR or QUIRE_SIM is not set (run through "
		    "make check)");
	dir = testutil_tmpdir();
	fleet = xasprintf("%s/demo-fleet.yaml", data);
	o.fleet = fleet;
	o.state_dir = dir;
	if (simctl_start(&o, &sim, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(simctl_count(sim) >= 40);
	p = simctl_find(sim, "hq-01");
	assert_non_null(p);
	assert_string_equal(p->snmp_host, "127.0.0.1");
	assert_int_not_equal(p->snmp_port, 0);
	assert_int_not_equal(p->https_port, 0);
	assert_string_equal(p->site, "hq");
	p = simctl_find(sim, "plant-legacy-01");
	assert_non_null(p);
	assert_null(p->ssh_host);
	pid = simctl_pid(sim);
	assert_int_equal(kill(pid, 0), 0);
	assert_int_equal(simctl_stop(&sim), 0);
	assert_null(sim);
	assert_int_equal(kill(pid, 0), -1);

	/* A fleet that does not load: it exits, and says so. */
	o.fleet = "/nonexistent/fleet.yaml";
	assert_int_equal(simctl_start(&o, &sim, &cause), -1);
	assert_null(sim);
	assert_non_null(strstr(cause, "exited with status 1"));
	free(cause);
	testutil_rmrf(dir);
	free(fleet);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simctl_parse),
		cmocka_unit_test(test_simctl_demo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
